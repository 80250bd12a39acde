/**
 * The words a person reads for a call's outcome: the ONE place where a call state becomes
 * text. Boards, results, filters, charts, the call page, the CSV export and the REST API all
 * ask this module; engine state names (`not-acknowledged`, `spooled`, `expired`…) never reach
 * a user (tests/outcome-words-usage.test.ts fails if a page grows its own state-to-text map).
 *
 * Rules that are easy to get wrong, and why:
 * - "Heard" needs evidence: a `heardMs` recorded from Asterisk's own playback events. An
 *   answered call without it says "Answered" and counts as not reached — a safety officer must
 *   never read "Heard" for a message that did not play.
 * - `completed` means "the message played to the end" for a message call (PA, campaign,
 *   wake-up) but "the desk phone answered" for click-to-call and test calls: same state, two
 *   meanings, so the kind is part of the input.
 * - A message call whose heardMs is short of the message (by more than PARTIAL_MARGIN_MS) is
 *   "Heard part (hung up after N s)": the person hung up during the announcement.
 * - Congestion is a failure ("Network congestion", group Failed), never a kind of busy.
 * - `expired` only survives in direct IVR mode, where Asterisk does not say why: the words say
 *   so instead of guessing.
 */
import { ACTIVE_STATES, FINAL_STATES } from "@/lib/calls/call-state-machine";

/** Every call state a user may see described: the state machine's own list, so none can lack words. */
export const OUTCOME_STATES = [...ACTIVE_STATES, ...FINAL_STATES] as const;
export type OutcomeState = (typeof OUTCOME_STATES)[number];

export type OutcomeTone = "good" | "warn" | "bad" | "neutral" | "active";

/**
 * Buckets for charts, filters and counters. "Answered" holds click-to-call and test calls that
 * were answered (they play no message, so "Heard" would be untrue). Congestion is under Failed.
 */
export const OUTCOME_GROUPS = ["Confirmed", "Heard", "Answered", "Not reached", "Failed", "In progress", "Cancelled"] as const;
export type OutcomeGroup = (typeof OUTCOME_GROUPS)[number];

export type OutcomeWords = {
  /** Short plain words for a badge or a cell ("Heard part (hung up after 3 s)"). */
  label: string;
  /** A further sentence: the cause, how much was heard. Absent when the label says it all. */
  detail?: string;
  tone: OutcomeTone;
  group: OutcomeGroup;
};

export type OutcomeInput = {
  state: string;
  /** The call's kind (pa, campaign, wakeup, click, test). */
  kind: string;
  /** The call's reason text (the engine's or Asterisk's cause), if any. */
  reason?: string | null;
  /** Milliseconds of the message Asterisk reported playing; null when it reported none. */
  heardMs?: number | null;
  /** Length of the message, when known (0 or null = unknown). */
  messageMs?: number | null;
  /** The key pressed, for a wake-up's snooze. */
  ackDigit?: string | null;
};

/** A message shorter than its length by more than this counts as heard in part (rounding, clock skew). */
export const PARTIAL_MARGIN_MS = 1000;
/** A wake-up's snooze key (lib/ivr/scripts.ts wake-up script default). */
export const WAKEUP_SNOOZE_DIGIT = "5";

const KIND_LABEL: Record<string, string> = {
  pa: "PA",
  click: "Click-to-call",
  wakeup: "Wake-up",
  campaign: "Campaign",
  test: "Test",
};

/** A call kind in words (PA, Click-to-call, Wake-up, Campaign, Test). */
export function kindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? "Other";
}

/** Kinds that play no message: their `completed` means "answered". */
const NO_MESSAGE_KINDS = new Set(["click", "test"]);

export function isMessageCall(kind: string): boolean {
  return !NO_MESSAGE_KINDS.has(kind);
}

export function isOutcomeState(s: string): s is OutcomeState {
  return (OUTCOME_STATES as readonly string[]).includes(s);
}

/** Words that depend on the state alone (the kind- and evidence-dependent ones are in describeOutcome). */
const FIXED: Record<Exclude<OutcomeState, "acknowledged" | "not-acknowledged" | "completed">, OutcomeWords> = {
  queued: { label: "Waiting to be placed", tone: "active", group: "In progress" },
  spooled: { label: "Handed to the PBX", tone: "active", group: "In progress" },
  dialling: { label: "Ringing", tone: "active", group: "In progress" },
  "retry-wait": { label: "Waiting to retry", tone: "active", group: "In progress" },
  answered: { label: "Answered, in progress", tone: "active", group: "In progress" },
  "not-played": { label: "Answered, message not played", tone: "bad", group: "Not reached" },
  "playback-unconfirmed": { label: "Answered, playback not confirmed", tone: "bad", group: "Not reached" },
  "no-answer": { label: "No answer", tone: "warn", group: "Not reached" },
  busy: { label: "Busy", tone: "warn", group: "Not reached" },
  congestion: { label: "Network congestion", tone: "bad", group: "Failed" },
  failed: { label: "Could not be placed", tone: "bad", group: "Failed" },
  expired: { label: "Not reached (reason unknown in direct IVR mode)", tone: "warn", group: "Not reached" },
  lost: { label: "Lost (Asterisk never processed the file)", tone: "bad", group: "Failed" },
  // Past its valid-until when the engine came to it (lib/engine/valid-until.ts): never dialled.
  missed: { label: "Missed: Spoolcast was not running at the time", tone: "bad", group: "Not reached" },
  cancelled: { label: "Cancelled", tone: "neutral", group: "Cancelled" },
};

/** Causes said when the call carries no reason of its own. */
const DEFAULT_DETAIL: Partial<Record<OutcomeState, string>> = {
  "not-played": "the PBX could not play the message",
  "playback-unconfirmed": "Asterisk never confirmed that the message played",
};

const NO_PLAYBACK = "Asterisk did not report the message playing";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function heardDetail(heardMs: number, messageMs: number | null): string {
  return messageMs ? `heard ${seconds(Math.min(heardMs, messageMs))} of ${seconds(messageMs)}` : `heard ${seconds(heardMs)}`;
}

function partialLabel(heardMs: number): string {
  const s = Math.round(heardMs / 1000);
  return s < 1 ? "Heard part (hung up within 1 s)" : `Heard part (hung up after ${s} s)`;
}

/** The plain words for one call's outcome. */
export function describeOutcome(input: OutcomeInput): OutcomeWords {
  const { state, kind } = input;
  const reason = input.reason?.trim() || undefined;
  const heardMs = input.heardMs ?? null;
  const messageMs = input.messageMs && input.messageMs > 0 ? input.messageMs : null;
  if (!isOutcomeState(state)) return { label: "Unknown outcome", detail: reason, tone: "neutral", group: "Not reached" };

  switch (state) {
    case "acknowledged":
      if (kind === "wakeup" && input.ackDigit === WAKEUP_SNOOZE_DIGIT) {
        return { label: "Snoozed", detail: `pressed ${WAKEUP_SNOOZE_DIGIT} to snooze`, tone: "neutral", group: "Heard" };
      }
      return {
        label: "Confirmed",
        ...(input.ackDigit ? { detail: `pressed ${input.ackDigit}` } : {}),
        tone: "good",
        group: "Confirmed",
      };
    case "completed":
    case "not-acknowledged": {
      if (!isMessageCall(kind)) return { label: "Answered", tone: "good", group: "Answered" };
      if (heardMs === null) {
        // Answered, but no playback evidence: never claim it was heard.
        return {
          label: state === "completed" ? "Answered" : "Answered, not confirmed",
          detail: NO_PLAYBACK,
          tone: "warn",
          group: "Not reached",
        };
      }
      const detail = heardDetail(heardMs, messageMs);
      if (messageMs !== null && heardMs < messageMs - PARTIAL_MARGIN_MS) {
        return { label: partialLabel(heardMs), detail, tone: "warn", group: "Heard" };
      }
      return state === "completed"
        ? { label: "Heard", detail, tone: "good", group: "Heard" }
        : { label: "Heard, not confirmed", detail, tone: "warn", group: "Heard" };
    }
    default: {
      const fixed = FIXED[state];
      const detail = reason ?? DEFAULT_DETAIL[state];
      return detail ? { ...fixed, detail } : { ...fixed };
    }
  }
}

/**
 * The label of a state when no single call is meant (filter options, the API document):
 * the kind-dependent `completed` names both its meanings.
 */
export function stateLabel(state: string): string {
  if (!isOutcomeState(state)) return "Unknown outcome";
  switch (state) {
    case "acknowledged":
      return "Confirmed";
    case "not-acknowledged":
      return "Heard, not confirmed";
    case "completed":
      return "Heard (answered, for click-to-call and test calls)";
    default:
      return FIXED[state].label;
  }
}

/** The group of a state for a message call with playback reported (what filters sort options by). */
export function stateGroup(state: string): OutcomeGroup {
  return describeOutcome({ state, kind: "pa", heardMs: 1, messageMs: null }).group;
}

/** Filter options: every given state with its label, grouped (in OUTCOME_GROUPS order). */
export function stateFilterOptions(
  states: readonly string[],
): { group: OutcomeGroup; options: { value: string; label: string }[] }[] {
  return OUTCOME_GROUPS.map((group) => ({
    group,
    options: states.filter((s) => stateGroup(s) === group).map((value) => ({ value, label: stateLabel(value) })),
  })).filter((g) => g.options.length > 0);
}

/** A campaign's retry choice (Campaign.retryOn: a state code, or `failed` for every failure). */
export function retryChoiceLabel(code: string): string {
  switch (code) {
    case "failed":
      // The campaign scheduler retries congestion, lost and could-not-be-placed under `failed`.
      return "Failed (network congestion, could not be placed)";
    case "not-acknowledged":
      return "Heard, not confirmed";
    default:
      return isOutcomeState(code) ? stateLabel(code) : "Unknown choice";
  }
}

/** One attempt's result (CallAttempt.result: answered, failed, aborted, or a state such as busy). */
export function attemptResultLabel(result: string | null): string {
  if (result === null) return "In progress";
  if (result === "answered") return "Answered";
  if (result === "aborted") return "Cut short (Asterisk restarted)";
  return isOutcomeState(result) ? stateLabel(result) : "Unknown result";
}

/** Timeline entries that are not call states (IVR and engine notes). */
const EVENT_LABEL: Record<string, string> = {
  "ivr.connected": "IVR session opened",
  "ivr.played": "Sound played",
  "ivr.interrupted": "Sound interrupted by a key",
  "ivr.dtmf": "Key pressed",
  "ivr.reprompt": "Asked again for a key",
  "ivr.no-input": "No key pressed",
  "ivr.replay": "Message replayed",
  "ivr.replay-refused": "Replay refused",
  "ivr.acknowledged": "Confirmed with a key",
  "ivr.snoozed": "Snoozed",
  "ivr.hangup": "Hung up",
  "ivr.error": "IVR problem",
  "ivr.not-played": "Asterisk could not play the message",
  "ivr.playback-unconfirmed": "Asterisk never confirmed the message played",
  "ivr.key-ignored": "Key ignored: the call had already ended",
  "attempt.failed": "Attempt failed",
  "contact.dial": "The contact's phone was dialled",
  "late-archive": "Asterisk archived the file late",
};

/**
 * A timeline event's type in words, or null for a type this module does not know (the page
 * then shows the code itself rather than hide the event). The call's final state event says
 * "Finished" rather than "Heard": whether it was heard is the outcome's business, from evidence.
 */
export function timelineEventLabel(type: string): string | null {
  switch (type) {
    case "completed":
      return "Finished";
    case "not-acknowledged":
      return "Finished without a confirmation key";
    case "answered":
      return "Answered";
    default:
      return isOutcomeState(type) ? stateLabel(type) : (EVENT_LABEL[type] ?? null);
  }
}

/** Every non-state timeline type this module names (for the test that the engine writes no other). */
export const KNOWN_EVENT_TYPES = Object.keys(EVENT_LABEL);

/** How much of the message a set of calls heard, for counts that cannot list every call. */
export type HeardBucket = "none" | "part" | "full";

export type OutcomeCount = { state: string; kind: string; heard: HeardBucket; count: number };
export type OutcomeBreakdown = { group: OutcomeGroup; count: number; parts: { label: string; count: number }[] }[];

/**
 * Counts by group (OUTCOME_GROUPS order), each with its labels, from counts grouped by state,
 * kind and heard bucket (a chart's data). A partial hearing is one label, "Heard part", since
 * the seconds differ call by call.
 */
export function outcomeBreakdown(counts: readonly OutcomeCount[]): OutcomeBreakdown {
  const byGroup = new Map<OutcomeGroup, Map<string, number>>();
  for (const c of counts) {
    if (c.count <= 0) continue;
    const heardMs = c.heard === "none" ? null : c.heard === "part" ? 0 : 1;
    const w = describeOutcome({
      state: c.state,
      kind: c.kind,
      heardMs,
      messageMs: c.heard === "part" ? 1 + PARTIAL_MARGIN_MS : null,
    });
    const label = c.heard === "part" && w.group === "Heard" ? "Heard part (hung up during the message)" : w.label;
    const labels = byGroup.get(w.group) ?? new Map<string, number>();
    labels.set(label, (labels.get(label) ?? 0) + c.count);
    byGroup.set(w.group, labels);
  }
  return OUTCOME_GROUPS.filter((g) => byGroup.has(g)).map((group) => {
    const parts = [...byGroup.get(group)!]
      .map(([label, count]) => ({ label, count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
    return { group, count: parts.reduce((n, p) => n + p.count, 0), parts };
  });
}

/** The bar colour of each group (charts), matching the badge tones. */
export const GROUP_COLOR: Record<OutcomeGroup, string> = {
  Confirmed: "#15803d",
  Heard: "#22c55e",
  Answered: "#16a34a",
  "Not reached": "#d97706",
  Failed: "#b91c1c",
  "In progress": "#2563eb",
  Cancelled: "#94a3b8",
};
