/**
 * Plain words for wake-up occurrences, defined once for the wake-ups page, the dashboard
 * banner and the report. Each says what happened on the guest's phone: "No answer" only when
 * nobody picked up, "Answered, not confirmed" when somebody did but pressed no key.
 */
import type { WakeUpOccurrenceState } from "@/lib/wakeups/wakeup.schema";
import { stateLabel } from "@/lib/calls/outcome-words";

/** Why an occurrence was never dialled (its call ended `missed`, past its valid-until). */
export const NOT_CALLED_WORDS = stateLabel("missed");

/** An occurrence whose call the engine refused to write (its call ended `failed`, never spooled). */
export const NOT_PLACED_WORDS = stateLabel("failed");

export type BadgeVariant = "default" | "secondary" | "success" | "warning" | "destructive" | "outline";

export const OCCURRENCE_LABELS: Record<WakeUpOccurrenceState, { label: string; variant: BadgeVariant; help: string }> = {
  pending: { label: "Pending", variant: "secondary", help: "The call is booked and has not rung yet." },
  calling: { label: "Calling", variant: "default", help: "The guest's phone is ringing or the call is in progress." },
  confirmed: { label: "Confirmed", variant: "success", help: "The guest pressed the confirm key." },
  snoozed: { label: "Snoozed", variant: "default", help: "The guest pressed 5: called again after the snooze time." },
  retrying: {
    label: "Answered, not confirmed: calling again",
    variant: "warning",
    help: "The guest answered but pressed no key (or hung up): called again after the retry interval.",
  },
  unconfirmed: {
    label: "Answered, not confirmed",
    variant: "warning",
    help: "The guest answered every call but never pressed the confirm key.",
  },
  missed: { label: "No answer", variant: "warning", help: "Nobody answered, after every retry." },
  escalated: { label: "Front desk called", variant: "destructive", help: "Not confirmed: the front desk was called." },
  cancelled: { label: "Cancelled", variant: "outline", help: "Cancelled before it rang." },
};

/**
 * The badge of an occurrence. A missed one whose call was never dialled (Spoolcast was not
 * running) must not read "No answer": nobody was called.
 */
export function occurrenceBadge(o: { state: WakeUpOccurrenceState; outcome: string | null }): {
  label: string;
  variant: BadgeVariant;
  help: string;
} {
  if (o.state === "missed" && o.outcome === "not-called") {
    return {
      label: NOT_CALLED_WORDS,
      variant: "destructive",
      help: "The wake-up was due while Spoolcast was not running; it was not dialled late.",
    };
  }
  if (o.state === "missed" && o.outcome === "not-placed") {
    return {
      label: NOT_PLACED_WORDS,
      variant: "destructive",
      help: "Spoolcast refused to write the call for the PBX, so the phone never rang; the call's details say why.",
    };
  }
  return OCCURRENCE_LABELS[o.state];
}

/** The detail line of an occurrence: why the front desk was called, snoozes and calls again. */
export function occurrenceDetail(o: {
  state: WakeUpOccurrenceState;
  outcome: string | null;
  snoozes: number;
  maxSnoozes: number;
  retries: number;
  maxRetries: number;
}): string[] {
  const parts: string[] = [];
  if (o.state === "escalated")
    parts.push(
      o.outcome === "answered-not-confirmed"
        ? "answered, not confirmed"
        : o.outcome === "not-called"
          ? "not called: Spoolcast was not running at the time"
          : o.outcome === "not-placed"
            ? "not called: the call could not be placed"
            : "no answer",
    );
  if (o.snoozes > 0) parts.push(`snoozed ${o.snoozes}/${o.maxSnoozes}`);
  if (o.retries > 0) parts.push(`called again ${o.retries}/${o.maxRetries}`);
  return parts;
}

/** One alert line: "Room 101 (Ada) did not answer the 07:00 wake-up — front desk 100 was called." */
export function alertSentence(a: {
  room: string;
  guestName: string;
  localTime: string;
  state: "unconfirmed" | "missed" | "escalated";
  outcome: "no-answer" | "answered-not-confirmed" | "not-called" | "not-placed";
  escalateTo: string | null;
}): string {
  const who = `Room ${a.room}${a.guestName ? ` (${a.guestName})` : ""}`;
  const what =
    a.outcome === "answered-not-confirmed"
      ? `answered the ${a.localTime} wake-up but did not confirm being awake`
      : a.outcome === "not-called"
        ? `was not called for the ${a.localTime} wake-up (${NOT_CALLED_WORDS})`
        : a.outcome === "not-placed"
          ? `was not called for the ${a.localTime} wake-up (${NOT_PLACED_WORDS.toLowerCase()})`
          : `did not answer the ${a.localTime} wake-up`;
  const then = a.state === "escalated" ? ` — front desk ${a.escalateTo} was called.` : " — please check on the guest.";
  return `${who} ${what}${then}`;
}
