import { Badge } from "@/components/ui/badge";

const GOOD = new Set(["acknowledged", "completed"]);
const WARN = new Set(["not-acknowledged", "no-answer", "busy", "expired"]);
const BAD = new Set(["failed", "congestion", "lost"]);

/** A call state as a badge; the text always names the state. */
export function CallStateBadge({ state }: { state: string }) {
  const variant = GOOD.has(state)
    ? "success"
    : WARN.has(state)
      ? "warning"
      : BAD.has(state)
        ? "destructive"
        : state === "cancelled"
          ? "secondary"
          : "default";
  return <Badge variant={variant}>{state}</Badge>;
}
