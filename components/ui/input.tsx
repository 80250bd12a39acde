import { cn } from "@/lib/utils";

export const fieldControlClass =
  "flex w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:ring-offset-1 disabled:cursor-not-allowed disabled:opacity-50 aria-[invalid=true]:border-red-500 aria-[invalid=true]:focus-visible:ring-red-500";

export function Input({ className, type, ...props }: React.ComponentProps<"input">) {
  return <input type={type ?? "text"} className={cn(fieldControlClass, "h-9", className)} {...props} />;
}
