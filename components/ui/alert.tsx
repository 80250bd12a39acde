import { cva, type VariantProps } from "class-variance-authority";
import { cn } from "@/lib/utils";

const alertVariants = cva("rounded-md border px-4 py-3 text-sm", {
  variants: {
    variant: {
      info: "border-blue-200 bg-blue-50 text-blue-900",
      error: "border-red-200 bg-red-50 text-red-900",
      warning: "border-amber-200 bg-amber-50 text-amber-900",
      success: "border-green-200 bg-green-50 text-green-900",
    },
  },
  defaultVariants: { variant: "info" },
});

/** An inline message; errors are announced to screen readers at once (role=alert). */
export function Alert({ className, variant, ...props }: React.ComponentProps<"div"> & VariantProps<typeof alertVariants>) {
  return <div role={variant === "error" ? "alert" : "status"} className={cn(alertVariants({ variant }), className)} {...props} />;
}
