import { Badge } from "@/components/ui/badge";
import { describeOutcome, type OutcomeInput, type OutcomeTone } from "@/lib/calls/outcome-words";
import { cn } from "@/lib/utils";

const VARIANT = {
  good: "success",
  warn: "warning",
  bad: "destructive",
  neutral: "secondary",
  active: "default",
} as const satisfies Record<OutcomeTone, string>;

/** The badge colour of an outcome tone (shared by every outcome badge). */
export const toneVariant = (tone: OutcomeTone) => VARIANT[tone];

/**
 * A call's outcome as a badge, in the words of lib/calls/outcome-words.ts. With `detailClassName`
 * the cause, or how much was heard, follows in a span of that class. The machine state is kept
 * as data-state for scripts and tests, never as text.
 */
export function OutcomeBadge({ call, detailClassName }: { call: OutcomeInput; detailClassName?: string }) {
  const w = describeOutcome(call);
  return (
    <>
      <Badge variant={VARIANT[w.tone]} data-state={call.state}>
        {w.label}
      </Badge>
      {detailClassName !== undefined && w.detail ? (
        <span className={cn("ml-1 text-xs text-slate-500", detailClassName)}>{w.detail}</span>
      ) : null}
    </>
  );
}
