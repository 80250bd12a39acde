/**
 * The contact leg of a click-to-call: what Dial() did when Asterisk dialled the contact from
 * the user's answered desk phone. In "dialplan" IVR mode the snippet's click context reports
 * it from its `h` extension (lib/ivr/dialplan.ts): `${DIALSTATUS}` and `${ANSWEREDTIME}` as
 * the last ExternalIVR arguments, e.g. `BUSY` or `ANSWER,11`. The IVR stores the report as one
 * timeline event; the toast and the call page read it back from there. In direct IVR mode no
 * report exists: Spoolcast sees the desk phone's leg only.
 */

/** The CallEvent type of a contact-leg report (source "ivr"); its detail is the report as Asterisk gave it. */
export const CONTACT_LEG_EVENT = "contact.dial";

/**
 * app_dial.c's DIALSTATUS values (the documented list). DONTCALL and TORTURE come from the
 * privacy options and INVALIDARGS from a malformed Dial; none means the contact was reached.
 */
export const DIAL_STATUSES = [
  "ANSWER",
  "BUSY",
  "NOANSWER",
  "CANCEL",
  "CONGESTION",
  "CHANUNAVAIL",
  "DONTCALL",
  "TORTURE",
  "INVALIDARGS",
] as const;
export type DialStatus = (typeof DIAL_STATUSES)[number];

export type ContactLegReport = {
  /** DIALSTATUS; "" when Dial never ran (the call ended before the contact was dialled). */
  status: DialStatus | "";
  /** ANSWEREDTIME in whole seconds, only for ANSWER. */
  seconds: number | null;
};

export type ContactLeg = ContactLegReport & { at: Date };

/** Parses the report's two arguments; a value Asterisk cannot produce is an Error naming it. */
export function parseContactLegReport(statusText: string, secondsText: string): ContactLegReport {
  const status = statusText.trim();
  if (status !== "" && !(DIAL_STATUSES as readonly string[]).includes(status)) {
    throw new Error(`DIALSTATUS "${status.slice(0, 20)}" is not one Dial() sets`);
  }
  const s = secondsText.trim();
  if (s !== "" && !/^\d{1,7}$/.test(s)) throw new Error(`ANSWEREDTIME "${s.slice(0, 20)}" is not a number of seconds`);
  // Dial() clears ANSWEREDTIME when it starts and sets it only when a bridge ends.
  return { status: status as DialStatus | "", seconds: status === "ANSWER" && s !== "" ? Number(s) : null };
}

/** The event detail: the report as Asterisk sent it (`ANSWER,11`, `BUSY`). */
export function formatContactLegDetail(r: ContactLegReport): string {
  return r.seconds === null ? r.status : `${r.status},${r.seconds}`;
}

/** The latest contact-leg report of a timeline, or null when there is none. */
export function contactLegOf(events: ReadonlyArray<{ type: string; detail: string; at: Date }>): ContactLeg | null {
  const e = events.findLast((x) => x.type === CONTACT_LEG_EVENT);
  if (!e) return null;
  const [status = "", seconds = ""] = e.detail.split(",");
  try {
    return { ...parseContactLegReport(status, seconds), at: e.at };
  } catch {
    return null;
  }
}

/** m:ss (h:mm:ss from an hour). */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Whether the report proves the contact answered. Nothing else may be called "Connected". */
export function contactAnswered(leg: ContactLegReport | null): boolean {
  return leg?.status === "ANSWER";
}

/**
 * Plain words for the contact leg. ANSWEREDTIME is the desk channel's time up when the bridge
 * ended (app_dial.c end_bridge_callback, ast_channel_get_up_time_ms on the caller), so it is
 * counted from the user's answer and includes the contact's ringing: "call lasted", not "talked".
 */
export function contactLegText(leg: ContactLegReport, who: string): string {
  switch (leg.status) {
    case "ANSWER":
      return leg.seconds === null ? `Connected to ${who}` : `Connected to ${who} (call lasted ${formatDuration(leg.seconds)})`;
    case "BUSY":
      return `Contact busy: ${who}`;
    case "NOANSWER":
      return `Contact did not answer: ${who}`;
    case "CANCEL":
      return `You hung up before ${who} answered`;
    case "CONGESTION":
      return `Contact could not be reached: ${who} (network congestion)`;
    case "CHANUNAVAIL":
      return `Contact could not be reached: ${who} (number unavailable)`;
    case "":
      return `${who} was not dialled: the call ended first`;
    default:
      return `Contact could not be reached: ${who} (Asterisk: ${leg.status})`;
  }
}
