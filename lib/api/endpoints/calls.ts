/**
 * Calls over the API: query (filters, newest first, cursor pages) and one call with its
 * timeline (lib/engine `getCallTimeline`). Read-only; placing calls is click-to-call.
 */
import { z } from "zod";
import { describeOutcome, stateLabel } from "@/lib/calls/outcome-words";
import { ACTIVE_STATES, CALL_KINDS, FINAL_STATES } from "@/lib/engine/call-state";
import { getCallTimeline } from "@/lib/engine/calls";
import { ApiError } from "../errors";
import { defineEndpoint } from "../endpoint";

const STATES = [...ACTIVE_STATES, ...FINAL_STATES] as [string, ...string[]];

/** The state codes with the words the dashboard shows for each (the API document's glossary). */
export const STATE_CODE_GLOSSARY = STATES.map((s) => `\`${s}\` = "${stateLabel(s)}"`).join("; ");

const isoDate = z.iso.datetime({ offset: true, message: "Use an ISO 8601 date-time, e.g. 2026-11-23T08:00:00Z" });

export const callSchema = z
  .object({
    id: z.string(),
    kind: z.enum(CALL_KINDS),
    state: z.string().meta({
      description:
        "The call's state as a stable machine code: match on this, never on `outcomeLabel`. " +
        `Codes and the words shown for them: ${STATE_CODE_GLOSSARY}.`,
    }),
    outcomeLabel: z.string().meta({
      description:
        'The outcome in the plain words the dashboard shows, e.g. "Heard part (hung up after 3 s)" or "Answered, message not played". ' +
        "It depends on the kind (a completed click-to-call is Answered, a completed message call Heard) and on the playback Asterisk reported; its wording may change.",
    }),
    destination: z.string(),
    displayName: z.string(),
    hostId: z.string(),
    campaignId: z.string().nullable(),
    broadcastId: z.string().nullable(),
    wakeUpId: z.string().nullable(),
    contactId: z.string().nullable(),
    attempts: z.number().int(),
    outcome: z.string().nullable(),
    reason: z.string().nullable(),
    ackDigit: z.string().nullable(),
    ackAt: z.string().nullable(),
    heardMs: z.number().int().nullable(),
    scheduledAt: z.string(),
    answeredAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "Call" });

export const timelineEventSchema = z
  .object({ at: z.string(), type: z.string(), source: z.string(), detail: z.string() })
  .meta({ id: "TimelineEvent" });

export const callAttemptSchema = z
  .object({
    n: z.number().int(),
    fileName: z.string(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    result: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: "CallAttempt" });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type CallRow = {
  id: string;
  /** The message, for its length ("Heard part"); absent for calls without one. */
  audio?: { durationMs: number } | null;
  kind: string;
  state: string;
  destination: string;
  displayName: string;
  hostId: string;
  campaignId: string | null;
  broadcastId: string | null;
  wakeUpId: string | null;
  contactId: string | null;
  attempts: number;
  outcome: string | null;
  reason: string | null;
  ackDigit: string | null;
  ackAt: Date | null;
  heardMs: number | null;
  scheduledAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
};

export function toApiCall(c: CallRow): z.input<typeof callSchema> {
  return {
    id: c.id,
    kind: c.kind as (typeof CALL_KINDS)[number],
    state: c.state,
    outcomeLabel: describeOutcome({ ...c, messageMs: c.audio?.durationMs }).label,
    destination: c.destination,
    displayName: c.displayName,
    hostId: c.hostId,
    campaignId: c.campaignId,
    broadcastId: c.broadcastId,
    wakeUpId: c.wakeUpId,
    contactId: c.contactId,
    attempts: c.attempts,
    outcome: c.outcome,
    reason: c.reason,
    ackDigit: c.ackDigit,
    ackAt: iso(c.ackAt),
    heardMs: c.heardMs,
    scheduledAt: c.scheduledAt.toISOString(),
    answeredAt: iso(c.answeredAt),
    endedAt: iso(c.endedAt),
    createdAt: c.createdAt.toISOString(),
  };
}

/** A row id as Spoolcast makes them (cuid); anything else cannot match, so it is refused. */
const recordId = z
  .string()
  .min(1)
  .max(40, "is not an id (too long)")
  .regex(/^[A-Za-z0-9_-]+$/, "is not an id");

export const listCallsQuery = z.object({
  state: z.enum(STATES).optional().meta({ description: "Only calls in this state" }),
  kind: z.enum(CALL_KINDS).optional(),
  campaignId: recordId.optional(),
  broadcastId: recordId.optional(),
  wakeUpId: recordId.optional(),
  destination: z.string().min(1).max(200).optional().meta({
    description:
      "Exact destination in canonical form: an E.164 number (+442079460000), an extension (101) or an endpoint (PJSIP/101)",
  }),
  since: isoDate.optional().meta({ description: "Created at or after (ISO 8601)" }),
  until: isoDate.optional().meta({ description: "Created before (ISO 8601)" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional().meta({ description: "nextCursor of the previous page" }),
});

export const listCallsEndpoint = defineEndpoint({
  method: "GET",
  path: "/calls",
  scope: "calls:read",
  tag: "Calls",
  summary: "List calls",
  description: "Newest first. Pass `nextCursor` back as `cursor` for the next page.",
  query: listCallsQuery,
  response: z.object({ calls: z.array(callSchema), nextCursor: z.string().nullable() }).meta({ id: "CallList" }),
  handler: async ({ db, query }) => {
    const where = {
      ...(query.state ? { state: query.state } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.campaignId ? { campaignId: query.campaignId } : {}),
      ...(query.broadcastId ? { broadcastId: query.broadcastId } : {}),
      ...(query.wakeUpId ? { wakeUpId: query.wakeUpId } : {}),
      ...(query.destination ? { destination: query.destination } : {}),
      ...(query.since || query.until
        ? {
            createdAt: {
              ...(query.since ? { gte: new Date(query.since) } : {}),
              ...(query.until ? { lt: new Date(query.until) } : {}),
            },
          }
        : {}),
    };
    if (query.cursor && !(await db.call.findUnique({ where: { id: query.cursor }, select: { id: true } }))) {
      throw new ApiError(422, "validation_failed", "cursor: unknown cursor; start again without it", "cursor");
    }
    const rows = await db.call.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: query.limit + 1,
      include: { audio: { select: { durationMs: true } } },
      ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    });
    const page = rows.slice(0, query.limit);
    return { calls: page.map(toApiCall), nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null };
  },
});

export const getCallEndpoint = defineEndpoint({
  method: "GET",
  path: "/calls/{id}",
  scope: "calls:read",
  tag: "Calls",
  summary: "One call with its timeline",
  params: z.object({ id: z.string().min(1).max(100) }),
  response: z
    .object({ call: callSchema, timeline: z.array(timelineEventSchema), attempts: z.array(callAttemptSchema) })
    .meta({ id: "CallDetail" }),
  handler: async ({ db, params }) => {
    if (!(await db.call.findUnique({ where: { id: params.id }, select: { id: true } }))) {
      throw new ApiError(404, "not_found", `No call with id ${params.id}`, "id");
    }
    const call = await getCallTimeline(params.id, { db });
    const audio = call.audioId
      ? await db.audioMessage.findUnique({ where: { id: call.audioId }, select: { durationMs: true } })
      : null;
    return {
      call: toApiCall({ ...call, audio }),
      timeline: call.events.map((e) => ({ at: e.at.toISOString(), type: e.type, source: e.source, detail: e.detail })),
      attempts: call.callAttempts.map((a) => ({
        n: a.n,
        fileName: a.fileName,
        startedAt: iso(a.startedAt),
        endedAt: iso(a.endedAt),
        result: a.result,
        reason: a.reason,
      })),
    };
  },
});
