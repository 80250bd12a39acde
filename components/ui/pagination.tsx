import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/**
 * Previous/next links for server-paginated lists. `hrefFor(page)` builds each link so the
 * current filters stay in the URL (bookmarkable, works without JavaScript).
 */
export function Pagination({
  page,
  pageCount,
  total,
  hrefFor,
  label = "results",
}: {
  page: number;
  pageCount: number;
  total: number;
  hrefFor: (page: number) => string;
  label?: string;
}) {
  const linkClass = cn(buttonVariants({ variant: "outline", size: "sm" }));
  const disabledClass = cn(linkClass, "pointer-events-none opacity-50");
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 pt-4 text-sm text-slate-600">
      <p>
        {total} {label} · page {page} of {pageCount}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link className={linkClass} href={hrefFor(page - 1)} rel="prev">
            <ChevronLeft aria-hidden /> Previous
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            <ChevronLeft aria-hidden /> Previous
          </span>
        )}
        {page < pageCount ? (
          <Link className={linkClass} href={hrefFor(page + 1)} rel="next">
            Next <ChevronRight aria-hidden />
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            Next <ChevronRight aria-hidden />
          </span>
        )}
      </div>
    </nav>
  );
}
