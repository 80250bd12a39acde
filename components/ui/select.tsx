import { ChevronDown } from "lucide-react";
import { cn } from "@/lib/utils";
import { fieldControlClass } from "@/components/ui/input";

/**
 * A styled native <select>: keyboard, screen-reader and mobile pickers behave as users
 * expect without extra code.
 */
export function Select({ className, children, ...props }: React.ComponentProps<"select">) {
  return (
    <div className="relative">
      <select className={cn(fieldControlClass, "h-9 appearance-none pr-8", className)} {...props}>
        {children}
      </select>
      <ChevronDown aria-hidden className="pointer-events-none absolute top-2.5 right-2.5 size-4 text-slate-500" />
    </div>
  );
}
