import { cn } from "@/lib/utils";
import { fieldControlClass } from "@/components/ui/input";

export function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return <textarea className={cn(fieldControlClass, "min-h-20", className)} {...props} />;
}
