/**
 * Click-to-call: Spoolcast rings the user's own desk phone (User.deskEndpoint, set on "Your
 * account") and, once it is answered, Asterisk continues in the host's outbound context at
 * the contact's number (Context/Extension of the call file, lib/engine/build-call-file.ts),
 * so the dialplan dials the contact exactly as if the user had dialled it. No retries: a desk
 * phone that rang out means the user walked away, and a surprise call minutes later would
 * confuse them.
 */
import { z } from "zod";
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { enqueueCalls } from "@/lib/engine/calls";
import { EngineUserError } from "@/lib/engine/errors";
import { UserError } from "@/lib/errors";
import { serializeCallScript } from "@/lib/ivr/scripts";
import { parseOrThrow } from "@/lib/pa/pa.schema";

const E164 = /^\+[1-9][0-9]{6,14}$/;

export const clickToCallSchema = z
  .object({
    contactId: z.string().trim().min(1).max(40),
    /** One of the contact's numbers; default its first. */
    phoneId: z.string().trim().min(1).max(40).optional(),
    /** Alternatively the number itself, which must be one of the contact's. */
    number: z.string().trim().regex(E164, "must be an E.164 number such as +15551234567").optional(),
    userId: z.string().trim().min(1).max(40),
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
  const contact = await db.contact.findUnique({
    where: { id: data.contactId },
    select: { id: true, name: true, phones: { select: { id: true, e164: true }, orderBy: [{ position: "asc" }, { id: "asc" }] } },
  });
  if (!contact) throw new UserError("That contact no longer exists.", { field: "contactId" });
  const phone = data.phoneId
    ? contact.phones.find((p) => p.id === data.phoneId)
    : data.number
      ? contact.phones.find((p) => p.e164 === data.number)
      : contact.phones[0];
  if (!phone) {
    throw new UserError(
      contact.phones.length === 0 ? `${contact.name} has no phone number.` : `That number is not one of ${contact.name}'s.`,
      {
        field: data.number ? "number" : "phoneId",
      },
    );
  }
  let callId: string;
  try {
    [callId] = (await enqueueCalls(db, [
      {
        kind: "click",
        destination: phone.e164,
        displayName: contact.name,
        channel: user.deskEndpoint,
        contactId: contact.id,
        createdById: data.userId,
        scriptJson: serializeCallScript({ kind: "click" }),
        maxRetries: 0,
      },
    ])) as [string];
  } catch (e) {
    if (e instanceof EngineUserError) throw new UserError(e.message, { field: e.field });
    throw e;
  }
  await recordAudit(db, {
    actor,
    action: "call.click",
    targetType: "call",
    targetId: callId,
    summary: `click-to-call ${contact.name} at ${phone.e164} from ${user.deskEndpoint}`,
    ip: opts.ip ?? null,
  });
  return { callId, deskEndpoint: user.deskEndpoint, number: phone.e164, name: contact.name };
}

export type ClickPhase = "ringing-you" | "connecting" | "connected" | "ended" | "failed";
export type ClickCallStatus = { callId: string; state: string; phase: ClickPhase; final: boolean; text: string };

const FAILURE_TEXT: Record<string, string> = {
  "no-answer": "Your phone was not answered",
  busy: "Your phone is busy",
  congestion: "The line is congested",
  failed: "Your phone could not be reached",
  expired: "Your phone was not answered",
  lost: "The PBX lost the call",
  cancelled: "The call was cancelled",
};

/**
 * What the toast shows. The engine sees the desk leg only: "answered" means the user picked
 * up and the dialplan is now dialling the contact; the call ends (completed) when both hang up.
 */
export function clickStatusFor(call: {
  id: string;
  state: string;
  reason: string | null;
  displayName: string;
  destination: string;
}): ClickCallStatus {
  const who = call.displayName ? `${call.displayName} (${call.destination})` : call.destination;
  switch (call.state) {
    case "queued":
      return { callId: call.id, state: call.state, phase: "ringing-you", final: false, text: "Calling your phone…" };
    case "spooled":
    case "dialling":
    case "retry-wait":
      return { callId: call.id, state: call.state, phase: "ringing-you", final: false, text: "Ringing your phone…" };
    case "answered":
      return {
        callId: call.id,
        state: call.state,
        phase: "connected",
        final: false,
        text: `Connected: dialling ${who} from your phone`,
      };
    case "completed":
    case "acknowledged":
    case "not-acknowledged":
      return { callId: call.id, state: call.state, phase: "ended", final: true, text: `Connected to ${who}; call ended` };
    default: {
      const base = FAILURE_TEXT[call.state] ?? "The call failed";
      return {
        callId: call.id,
        state: call.state,
        phase: "failed",
        final: true,
        text: call.reason ? `${base}: ${call.reason}` : base,
      };
    }
  }
}

export async function getClickCallStatus(db: Db, callId: string): Promise<ClickCallStatus> {
  const call = await db.call.findUnique({
    where: { id: callId },
    select: { id: true, kind: true, state: true, reason: true, displayName: true, destination: true },
  });
  if (!call || call.kind !== "click") throw new UserError("No such click-to-call call.", { field: "callId" });
  return clickStatusFor(call);
}
