/**
 * PA over the API (a fire panel's "evacuate building B"): launch from a template or library
 * message to groups, follow the board, stop. Domain logic is lib/pa's; this only maps HTTP.
 */
import { z } from "zod";
import { describeOutcome } from "@/lib/calls/outcome-words";
import { getPaBoard } from "@/lib/pa/get-pa-board";
import { launchPa } from "@/lib/pa/launch-pa";
import { launchPaSchema } from "@/lib/pa/pa.schema";
import { stopPa } from "@/lib/pa/stop-pa";
import { ApiError } from "../errors";
import { defineEndpoint } from "../endpoint";

const idParams = z.object({ id: z.string().min(1).max(40) });

export const launchPaEndpoint = defineEndpoint({
  method: "POST",
  path: "/pa",
  scope: "pa:trigger",
  tag: "PA",
  summary: "Trigger a PA broadcast",
  description:
    "Calls every member of the groups (or everyone) and plays one message: a PA template (`templateId`, its acknowledgement and repeat settings apply), a library message (`audioId`) or typed text (`ttsText`). A message that is not on the Asterisk host is refused (422 naming `audioId` or `templateId`); with `ttsFallback: true` its text is spoken by text-to-speech instead and `spokenNote` says why.",
  body: launchPaSchema,
  multiLine: ["ttsText"],
  successStatus: 201,
  example: { templateId: "<template id>", groupIds: ["<group id>"] },
  response: z
    .object({
      broadcastId: z.string(),
      recipients: z.number().int().meta({ description: "Calls queued (unique numbers)" }),
      withoutNumber: z.number().int(),
      duplicates: z.number().int(),
      audioId: z.string(),
      spokenNote: z
        .string()
        .nullable()
        .meta({ description: "Set when the message was spoken by text-to-speech because it is not on the host: why" }),
    })
    .meta({ id: "PaLaunched" }),
  handler: async ({ db, body, actor, ip }) => await launchPa(db, body, actor, { ip }),
});

export const getPaEndpoint = defineEndpoint({
  method: "GET",
  path: "/pa/{id}",
  scope: "pa:trigger",
  tag: "PA",
  summary: "Follow a PA broadcast",
  description: "Counters per state and each recipient's state, as on the PA board.",
  params: idParams,
  response: z
    .looseObject({
      broadcast: z.looseObject({
        id: z.string(),
        state: z.string(),
        createdAt: z.string(),
        stoppedAt: z.string().nullable(),
        requireAck: z.boolean(),
        audioName: z.string(),
      }),
      counters: z.record(z.string(), z.number()),
      elapsedMs: z.number(),
      done: z.boolean(),
      recipients: z.array(
        z.looseObject({
          callId: z.string(),
          name: z.string(),
          number: z.string(),
          state: z.string().meta({ description: "The board's column for this phone (a stable code)" }),
          callState: z.string().meta({ description: "The call's state code, as `Call.state`" }),
          outcomeLabel: z
            .string()
            .meta({ description: "The outcome in the plain words the board shows (see `Call.outcomeLabel`)" }),
          final: z.boolean(),
        }),
      ),
    })
    .meta({ id: "PaBoard" }),
  handler: async ({ db, params, now }) => {
    const b = await db.paBroadcast.findUnique({
      where: { id: params.id },
      select: { id: true, audio: { select: { durationMs: true } } },
    });
    if (!b) throw new ApiError(404, "not_found", `No PA with id ${params.id}`, "id");
    const board = await getPaBoard(db, params.id, now);
    const messageMs = b.audio?.durationMs;
    return {
      ...board,
      recipients: board.recipients.map((r) => ({
        ...r,
        outcomeLabel: describeOutcome({ state: r.callState, kind: "pa", reason: r.reason, heardMs: r.heardMs, messageMs }).label,
      })),
    };
  },
});

export const stopPaEndpoint = defineEndpoint({
  method: "POST",
  path: "/pa/{id}/stop",
  scope: "pa:trigger",
  tag: "PA",
  summary: "Stop a PA broadcast",
  description: "Cancels every call Asterisk has not started dialling; calls already ringing or connected finish.",
  params: idParams,
  body: z.object({}),
  response: z
    .object({ cancelled: z.number().int(), alreadyDialling: z.number().int(), finished: z.number().int() })
    .meta({ id: "PaStopped" }),
  handler: async ({ db, params, actor, ip }) => {
    if (!(await db.paBroadcast.findUnique({ where: { id: params.id }, select: { id: true } })))
      throw new ApiError(404, "not_found", `No PA with id ${params.id}`, "id");
    return await stopPa(db, { broadcastId: params.id }, actor, { ip });
  },
});
