/**
 * What a campaign may retry, and which final call state falls under which choice: the ONE
 * mapping the scheduler, the schema and the wizard share (the words for each choice are
 * lib/calls/outcome-words.ts retryChoiceLabel). Congestion is a "failed" call everywhere (the
 * trunk or network refused it, like a call that could not be placed). `expired` is its own
 * choice: in direct IVR mode Asterisk reports no REASON for a failed call, so no answer, busy,
 * congestion and a hang-up before answering all end the same way and nobody can tell them
 * apart (lib/calls/call-state-machine.ts).
 */
export const RETRY_CHOICES = ["no-answer", "busy", "failed", "expired", "not-acknowledged"] as const;
export type RetryChoice = (typeof RETRY_CHOICES)[number];

/** The choices a new campaign starts with: a reason unknown (direct IVR mode) is retried as no answer would be. */
export const DEFAULT_RETRY_CHOICES: RetryChoice[] = ["no-answer", "busy", "expired"];

/** Why a choice exists, where its label alone does not say it (shown under it in the wizard). */
export const RETRY_CHOICE_HELP: Partial<Record<RetryChoice, string>> = {
  expired:
    "Direct IVR mode (no dialplan snippet): Asterisk does not say why a call failed, so no answer, busy, " +
    "network congestion and a hang-up before answering look the same. Ticked by default: such calls are " +
    "retried as no answer would be.",
  failed: "Network congestion, a call Asterisk could not place, and a call file Asterisk never processed.",
};

/**
 * The retry choice a final call state falls under, or null when it is never retried:
 * reached calls, cancelled ones, and delivery failures (not-played, playback-unconfirmed),
 * which another call would repeat until the PBX is fixed; they count as unreached and are
 * offered by "Retry unreached" instead.
 */
export function retryChoiceFor(state: string): RetryChoice | null {
  switch (state) {
    case "no-answer":
      return "no-answer";
    case "busy":
      return "busy";
    case "congestion":
    case "failed":
    case "lost":
      return "failed";
    case "expired":
      return "expired";
    case "not-acknowledged":
      return "not-acknowledged";
    default:
      return null;
  }
}
