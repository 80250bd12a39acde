/**
 * Click-to-call: Spoolcast rings the user's own desk phone (User.deskEndpoint, set on "Your
 * account") and, once it is answered, Asterisk dials the contact's number through the host's
 * outbound context, exactly as if the user had dialled it (lib/engine/build-call-file.ts). In
 * dialplan IVR mode the file goes through the snippet's click context, which tells Spoolcast
 * that the desk phone answered and, when the call ends, what Dial() did with the contact
 * (lib/calls/contact-leg.ts); in direct mode the file goes straight to the outbound context and
 * only the desk leg is visible. No retries: a desk phone that rang out means the user walked
 * away, and a surprise call minutes later would confuse them.
 */
import { z } from "zod";
import { recordId } from "@/lib/text/record-id";
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { contactAnswered, contactLegOf, contactLegText, CONTACT_LEG_EVENT, type ContactLegReport } from "@/lib/calls/contact-leg";
import { isFinalState } from "@/lib/engine/call-state";
import { enqueueCalls } from "@/lib/engine/calls";
import { UserError } from "@/lib/errors";
import { serializeCallScript } from "@/lib/ivr/scripts";
import { parseOrThrow } from "@/lib/pa/pa.schema";
import { parseDestination, type DestinationRules } from "@/lib/destinations/destination";
import { getDestinationRules } from "@/lib/destinations/destination-rules";

/** `typed` in canonical form, or null when it is no destination (then nothing matches). */
function canonicalOf(typed: string, rules: DestinationRules | null): string | null {
  if (!rules) return null;
  const r = parseDestination(typed, rules);
  return r.ok ? r.value : null;
}

export const clickToCallSchema = z
  .object({
    contactId: recordId(),
    /** One of the contact's numbers; default its first. */
    phoneId: recordId().optional(),
    /** Alternatively the number itself (a number or an extension), which must be one of the contact's. */
    number: z.string().trim().min(1).max(200).optional(),
    userId: recordId(),
  })
  .refine((v) => !(v.phoneId && v.number), { message: "Give phoneId or number, not both.", path: ["number"] });
export type ClickToCallInput = z.input<typeof clickToCallSchema>;

export type ClickToCallResult = { callId: string; deskEndpoint: string; number: string; name: string };

export async function startClickToCall(
  db: Db,
  input: ClickToCallInput,
  actor: AuditActor,
  opts: { ip?: string | null } = {},
): Promise<ClickToCallResult> {
  const data = parseOrThrow(clickToCallSchema, input);
  const user = await db.user.findUnique({ where: { id: data.userId }, select: { deskEndpoint: true, disabled: true } });
  if (!user || user.disabled) throw new UserError("Unknown or disabled user.", { field: "userId" });
  if (!user.deskEndpoint) {
    throw new UserError('Set your desk phone on "Your account" first: Spoolcast rings it, then connects you.', {
      field: "deskEndpoint",
    });
  }
  const rules = data.number ? await getDestinationRules(db) : null;
  const contact = await db.contact.findUnique({
    where: { id: data.contactId },
    select: {
      id: true,
      name: true,
      phones: { select: { id: true, destination: true, kind: true }, orderBy: [{ position: "asc" }, { id: "asc" }] },
    },
  });
  if (!contact) throw new UserError("That contact no longer exists.", { field: "contactId" });
  const phone = data.phoneId
    ? contact.phones.find((p) => p.id === data.phoneId)
    : data.number
      ? contact.phones.find((p) => p.destination === data.number || p.destination === canonicalOf(data.number!, rules))
      : contact.phones[0];
  if (!phone) {
    throw new UserError(
      contact.phones.length === 0 ? `${contact.name} has no phone number.` : `That number is not one of ${contact.name}'s.`,
      {
        field: data.number ? "number" : "phoneId",
      },
    );
  }
  if (phone.kind === "endpoint") {
    // The contact is dialled by the outbound context as an extension (docs/operations.md); an
    // endpoint such as PJSIP/101 is no extension there, so the file would fail. Said now instead.
    throw new UserError(
      `${phone.destination} is an endpoint: click-to-call dials through the outbound context, which needs an extension or a number.`,
      { field: data.number ? "number" : "phoneId" },
    );
  }
  // enqueueCalls throws a UserError (no host, a bad channel) that the caller shows as is.
  const [callId] = (await enqueueCalls(db, [
    {
      kind: "click",
      destination: phone.destination,
      displayName: contact.name,
      channel: user.deskEndpoint,
      contactId: contact.id,
      createdById: data.userId,
      scriptJson: serializeCallScript({ kind: "click" }),
      maxRetries: 0,
    },
  ])) as [string];
  await recordAudit(db, {
    actor,
    action: "call.click",
    targetType: "call",
    targetId: callId,
    summary: `click-to-call ${contact.name} at ${phone.destination} from ${user.deskEndpoint}`,
    ip: opts.ip ?? null,
  });
  return { callId, deskEndpoint: user.deskEndpoint, number: phone.destination, name: contact.name };
}

/**
 * What the toast shows: "ringing-you" until the desk phone answers; "connecting" while the
 * contact is dialled; "connected" only once Asterisk reported that the contact answered;
 * "ended" (the contact answered, call over), "failed" (either leg failed) or "unknown" (the
 * call ended and the contact leg cannot be known) when final.
 */
export type ClickPhase = "ringing-you" | "connecting" | "connected" | "ended" | "failed" | "unknown";
export type ClickCallStatus = { callId: string; state: string; phase: ClickPhase; final: boolean; text: string };

const FAILURE_TEXT: Record<string, string> = {
  "no-answer": "Your phone was not answered",
  busy: "Your phone is busy",
  congestion: "The line is congested",
  failed: "Your phone could not be reached",
  expired: "Your phone was not answered",
  lost: "The PBX lost the call",
  // Not dialled within its 2 minutes (lib/engine/valid-until.ts): ringing later would surprise the user.
  missed: "Not placed: Spoolcast was not running at the time",
  cancelled: "The call was cancelled",
};

/** Final states in which the desk phone had answered. */
const DESK_ANSWERED_FINAL = new Set(["completed", "acknowledged", "not-acknowledged", "not-played", "playback-unconfirmed"]);

/**
 * The toast's status from what is known. The engine sees the desk leg (ringing, answered, the
 * archived file). The contact leg is known only in dialplan IVR mode, from the click context's
 * report (lib/calls/contact-leg.ts); in direct mode it is never visible, so never "Connected".
 */
export function clickStatusFor(
  call: { id: string; state: string; reason: string | null; displayName: string; destination: string },
  known: { ivrMode: string; leg: ContactLegReport | null } = { ivrMode: "direct", leg: null },
): ClickCallStatus {
  const who = call.displayName ? `${call.displayName} (${call.destination})` : call.destination;
  const status = (phase: ClickPhase, final: boolean, text: string): ClickCallStatus => ({
    callId: call.id,
    state: call.state,
    phase,
    final,
    text,
  });
  const direct = known.ivrMode !== "dialplan";
  const leg = direct ? null : known.leg;
  const final = isFinalState(call.state);
  if (leg && (final || call.state === "answered")) {
    const text = contactLegText(leg, who);
    if (!final) return status(contactAnswered(leg) ? "connected" : "connecting", false, text);
    return status(contactAnswered(leg) ? "ended" : "failed", true, contactAnswered(leg) ? `${text}; call ended` : text);
  }
  switch (call.state) {
    case "queued":
      return status("ringing-you", false, "Calling your phone…");
    case "spooled":
    case "dialling":
    case "retry-wait":
      return status(
        "ringing-you",
        false,
        direct
          ? "Ringing your phone… (in direct IVR mode Spoolcast sees the call again only when it ends)"
          : "Ringing your phone…",
      );
    case "answered":
      return status("connecting", false, `Your phone answered. Calling ${who}…`);
    default:
      if (DESK_ANSWERED_FINAL.has(call.state)) {
        return status(
          "unknown",
          true,
          direct
            ? `Your phone answered; the call to ${who} ended. The other leg is not visible in direct IVR mode.`
            : `Your phone answered; the call to ${who} ended without a report from the PBX on the contact's leg (is the host's dialplan snippet up to date?).`,
        );
      }
      {
        const base = FAILURE_TEXT[call.state] ?? "The call failed";
        return status("failed", final, call.reason ? `${base}: ${call.reason}` : base);
      }
  }
}

export async function getClickCallStatus(db: Db, callId: string): Promise<ClickCallStatus> {
  const call = await db.call.findUnique({
    where: { id: callId },
    select: {
      id: true,
      kind: true,
      state: true,
      reason: true,
      displayName: true,
      destination: true,
      host: { select: { ivrMode: true } },
      events: { where: { type: CONTACT_LEG_EVENT }, select: { type: true, detail: true, at: true } },
    },
  });
  if (!call || call.kind !== "click") throw new UserError("No such click-to-call call.", { field: "callId" });
  const events = [...call.events].sort((a, b) => a.at.getTime() - b.at.getTime());
  return clickStatusFor(call, { ivrMode: call.host.ivrMode, leg: contactLegOf(events) });
}
