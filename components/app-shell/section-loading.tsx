import { Skeleton } from "@/components/ui/skeleton";

/** What a section shows while its page renders on the server (Next's loading.tsx). */
export function SectionLoading({ section }: { section: string }) {
  return (
    <div aria-busy="true" className="flex flex-col gap-4">
      <output className="sr-only">Loading {section}…</output>
      <Skeleton className="h-8 w-56" />
      <Skeleton className="h-4 w-80 max-w-full" />
      <Skeleton className="h-40 w-full" />
      <Skeleton className="h-24 w-full" />
    </div>
  );
}
