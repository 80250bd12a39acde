/**
 * One call in full: its row, each attempt (file, times from the archived file, Asterisk's
 * result and failure reason), the timeline (engine, Asterisk, IVR and user events in order),
 * the IVR events and digits pressed, and who/what it belongs to.
 */
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { orderTimeline } from "@/lib/calls/timeline-order";
import { contactLegOf } from "@/lib/calls/contact-leg";

export type CallDetail = Awaited<ReturnType<typeof getCallDetail>>;

export async function getCallDetail(db: Db, callId: string) {
  const call = await db.call.findUnique({
    where: { id: callId },
    include: {
      host: { select: { id: true, name: true, ivrMode: true } },
      audio: { select: { id: true, name: true, durationMs: true } },
      campaign: { select: { id: true, name: true } },
      contact: { select: { id: true, name: true } },
      callAttempts: { orderBy: [{ startedAt: "asc" }, { n: "asc" }] },
      events: true,
    },
  });
  if (!call) throw new UserError("No such call", { field: "callId" });
  const createdBy = call.createdById
    ? await db.user.findUnique({ where: { id: call.createdById }, select: { id: true, name: true } }).catch(() => null)
    : null;
  const timeline = orderTimeline(call.events);
  const ivrEvents = timeline.filter((e) => e.source === "ivr");
  // Keys as the IVR received them: its "ivr.dtmf" events carry the digit in `detail`.
  const digits = ivrEvents.filter((e) => /dtmf/i.test(e.type)).map((e) => ({ at: e.at, type: e.type, detail: e.detail }));
  const { callAttempts, events: _events, ...rest } = call;
  // The Answered field follows the timeline: an answer seen only in the archive (Completed)
  // is an `answered` event without Call.answeredAt, which only the IVR session sets.
  const answeredAt = rest.answeredAt ?? timeline.find((e) => e.type === "answered")?.at ?? null;
  return {
    call: { ...rest, answeredAt, createdBy },
    attempts: callAttempts,
    timeline,
    ivrEvents,
    digits,
    contactLeg: contactLegOf(timeline),
  };
}
