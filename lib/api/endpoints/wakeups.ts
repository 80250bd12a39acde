/** Wake-up calls over the API: list, read, create, change, cancel (lib/wakeups). */
import { z } from "zod";
import { cancelWakeUp } from "@/lib/wakeups/cancel-wakeup";
import { createWakeUp } from "@/lib/wakeups/create-wakeup";
import { getWakeUp, listWakeUps } from "@/lib/wakeups/list-wakeups";
import { updateWakeUp } from "@/lib/wakeups/update-wakeup";
import { createWakeUpSchema, listWakeUpsSchema, updateWakeUpSchema } from "@/lib/wakeups/wakeup.schema";
import { ApiError } from "../errors";
import { defineEndpoint } from "../endpoint";

const idParams = z.object({ id: z.string().min(1).max(40) });

export const wakeUpSeriesSchema = z
  .object({
    id: z.string(),
    room: z.string(),
    guestName: z.string(),
    destination: z.string(),
    timeZone: z.string(),
    localTime: z.string(),
    recurrence: z.string(),
    rrule: z.string().nullable(),
    startDate: z.string(),
    untilDate: z.string().nullable(),
    snoozeMinutes: z.number().int(),
    maxSnoozes: z.number().int(),
    retries: z.number().int(),
    escalateTo: z.string().nullable(),
    /** Minutes past its time the call may still ring; null: the site's setting. */
    toleranceMinutes: z.number().int().nullable(),
    state: z.string(),
  })
  .meta({ id: "WakeUp" });

const wakeUpCallSchema = z
  .object({
    occurrenceId: z.string(),
    wakeUpId: z.string(),
    room: z.string(),
    guestName: z.string(),
    destination: z.string(),
    timeZone: z.string(),
    localDate: z.string(),
    localTime: z.string(),
    occursAt: z.string(),
    state: z.string(),
    snoozes: z.number().int(),
    maxSnoozes: z.number().int(),
    recurrence: z.string(),
    callId: z.string().nullable(),
  })
  .meta({ id: "WakeUpCall" });

async function requireWakeUp(db: Parameters<typeof getWakeUp>[0], id: string) {
  const w = await getWakeUp(db, id);
  if (!w) throw new ApiError(404, "not_found", `No wake-up with id ${id}`, "id");
  return w;
}

export const listWakeUpsEndpoint = defineEndpoint({
  method: "GET",
  path: "/wakeups",
  scope: "wakeups:read",
  tag: "Wake-ups",
  summary: "List wake-up calls",
  description: "Calls due between two local dates (site time zone; default today and tomorrow) and the series they belong to.",
  query: listWakeUpsSchema,
  response: z
    .object({
      siteTimeZone: z.string(),
      from: z.string(),
      to: z.string(),
      calls: z.array(wakeUpCallSchema),
      series: z.array(wakeUpSeriesSchema),
    })
    .meta({ id: "WakeUpList" }),
  handler: async ({ db, query, now }) => await listWakeUps(db, query, now),
});

export const getWakeUpEndpoint = defineEndpoint({
  method: "GET",
  path: "/wakeups/{id}",
  scope: "wakeups:read",
  tag: "Wake-ups",
  summary: "One wake-up booking",
  params: idParams,
  response: wakeUpSeriesSchema,
  handler: async ({ db, params }) => await requireWakeUp(db, params.id),
});

export const createWakeUpEndpoint = defineEndpoint({
  method: "POST",
  path: "/wakeups",
  scope: "wakeups:write",
  tag: "Wake-ups",
  summary: "Book a wake-up call",
  body: createWakeUpSchema,
  successStatus: 201,
  example: { room: "101", guestName: "Ms Smith", localTime: "06:30", recurrence: "once" },
  response: wakeUpSeriesSchema,
  handler: async ({ db, body, actor, now }) => await createWakeUp(db, body, actor, now),
});

export const updateWakeUpEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/wakeups/{id}",
  scope: "wakeups:write",
  tag: "Wake-ups",
  summary: "Change a wake-up booking",
  description: "Replaces the booking: send every field, as for creation.",
  params: idParams,
  body: updateWakeUpSchema.omit({ id: true }),
  response: wakeUpSeriesSchema,
  handler: async ({ db, params, body, actor, now }) => {
    await requireWakeUp(db, params.id);
    return await updateWakeUp(db, { ...body, id: params.id }, actor, now);
  },
});

export const cancelWakeUpEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/wakeups/{id}",
  scope: "wakeups:write",
  tag: "Wake-ups",
  summary: "Cancel a wake-up booking",
  description: "Cancels the whole series, or only one day's call with `occurrenceId`.",
  params: idParams,
  query: z.object({ occurrenceId: z.string().min(1).max(40).optional() }),
  response: z
    .object({
      wakeUpId: z.string(),
      scope: z.enum(["occurrence", "series"]),
      cancelled: z.number().int(),
      stillRinging: z.number().int(),
    })
    .meta({ id: "WakeUpCancelled" }),
  handler: async ({ db, params, query, actor }) => {
    await requireWakeUp(db, params.id);
    return await cancelWakeUp(db, { id: params.id, ...(query.occurrenceId ? { occurrenceId: query.occurrenceId } : {}) }, actor);
  },
});
