/** Campaigns over the API: create, start, pause, resume, cancel, list and results (lib/campaigns). */
import { z } from "zod";
import { cancelCampaign } from "@/lib/campaigns/cancel-campaign";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { createCampaignSchema } from "@/lib/campaigns/campaign.schema";
import { getCampaignResults } from "@/lib/campaigns/get-campaign-results";
import { listCampaigns } from "@/lib/campaigns/list-campaigns";
import { pauseCampaign } from "@/lib/campaigns/pause-campaign";
import { resumeCampaign } from "@/lib/campaigns/resume-campaign";
import { startCampaign } from "@/lib/campaigns/start-campaign";
import type { Db } from "@/lib/db";
import { ApiError } from "../errors";
import { defineEndpoint } from "../endpoint";

const idParams = z.object({ id: z.string().min(1).max(40) });

async function requireCampaign(db: Db, id: string): Promise<void> {
  if (!(await db.campaign.findUnique({ where: { id }, select: { id: true } })))
    throw new ApiError(404, "not_found", `No campaign with id ${id}`, "id");
}

const stateChange = z
  .object({ id: z.string(), state: z.string(), cancelled: z.number().int(), dialling: z.number().int() })
  .meta({ id: "CampaignStopped" });

export const createCampaignEndpoint = defineEndpoint({
  method: "POST",
  path: "/campaigns",
  scope: "campaigns:write",
  tag: "Campaigns",
  summary: "Create a campaign (draft)",
  description:
    "Creates a draft; start it with POST /campaigns/{id}/start. Dates are ISO 8601; the calling window is in each callee's time zone.",
  body: createCampaignSchema,
  successStatus: 201,
  example: {
    name: "Flu shot reminder",
    groupIds: ["<group id>"],
    audioId: "<message id>",
    windowStart: "09:00",
    windowEnd: "18:00",
  },
  response: z.object({ id: z.string() }).meta({ id: "CampaignCreated" }),
  handler: async ({ db, body, actor }) => await createCampaign(db, body, actor),
});

export const listCampaignsEndpoint = defineEndpoint({
  method: "GET",
  path: "/campaigns",
  scope: "campaigns:read",
  tag: "Campaigns",
  summary: "List campaigns",
  description: "Newest first, with progress counts.",
  query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
  response: z
    .object({
      campaigns: z.array(
        z.looseObject({
          id: z.string(),
          name: z.string(),
          state: z.string(),
          total: z.number().int(),
          finished: z.number().int(),
          active: z.number().int(),
          pending: z.number().int(),
        }),
      ),
    })
    .meta({ id: "CampaignList" }),
  handler: async ({ db, query }) => ({ campaigns: await listCampaigns(db, { take: query.limit }) }),
});

export const startCampaignEndpoint = defineEndpoint({
  method: "POST",
  path: "/campaigns/{id}/start",
  scope: "campaigns:write",
  tag: "Campaigns",
  summary: "Start a campaign",
  description: "Plans the targets (skipping do-not-call and numberless contacts) and schedules the campaign.",
  params: idParams,
  body: z.object({}),
  response: z
    .object({ id: z.string(), state: z.string(), targets: z.number().int(), skipped: z.number().int() })
    .meta({ id: "CampaignStarted" }),
  handler: async ({ db, params, actor, now }) => {
    await requireCampaign(db, params.id);
    return await startCampaign(db, { id: params.id }, actor, now);
  },
});

export const pauseCampaignEndpoint = defineEndpoint({
  method: "POST",
  path: "/campaigns/{id}/pause",
  scope: "campaigns:write",
  tag: "Campaigns",
  summary: "Pause a campaign",
  params: idParams,
  body: z.object({}),
  response: stateChange,
  handler: async ({ db, params, actor }) => {
    await requireCampaign(db, params.id);
    return await pauseCampaign(db, { id: params.id }, actor);
  },
});

export const resumeCampaignEndpoint = defineEndpoint({
  method: "POST",
  path: "/campaigns/{id}/resume",
  scope: "campaigns:write",
  tag: "Campaigns",
  summary: "Resume a paused campaign",
  params: idParams,
  body: z.object({}),
  response: z.object({ id: z.string(), state: z.string() }).meta({ id: "CampaignResumed" }),
  handler: async ({ db, params, actor }) => {
    await requireCampaign(db, params.id);
    return await resumeCampaign(db, { id: params.id }, actor);
  },
});

export const cancelCampaignEndpoint = defineEndpoint({
  method: "POST",
  path: "/campaigns/{id}/cancel",
  scope: "campaigns:write",
  tag: "Campaigns",
  summary: "Cancel a campaign",
  description: "Stops for good: queued calls are cancelled, calls already ringing finish.",
  params: idParams,
  body: z.object({}),
  response: stateChange,
  handler: async ({ db, params, actor }) => {
    await requireCampaign(db, params.id);
    return await cancelCampaign(db, { id: params.id }, actor);
  },
});

export const campaignResultsEndpoint = defineEndpoint({
  method: "GET",
  path: "/campaigns/{id}/results",
  scope: "campaigns:read",
  tag: "Campaigns",
  summary: "Campaign results",
  description:
    "Settings, target counts, reached and acknowledged rates, outcomes, progress over time, skipped targets and up to 500 targets.",
  params: idParams,
  response: z
    .looseObject({
      campaign: z.looseObject({ id: z.string(), name: z.string(), state: z.string() }),
      counts: z.record(z.string(), z.number()),
      summary: z.looseObject({
        reachedPct: z.number().nullable(),
        acknowledgedPct: z.number().nullable(),
        medianAckMs: z.number().nullable(),
        calls: z.number().int(),
        outcomes: z
          .array(z.object({ outcome: z.string(), count: z.number().int() }))
          .meta({ description: "Calls by state code (see `Call.state`)" }),
        outcomeGroups: z
          .array(
            z.object({
              group: z.string(),
              count: z.number().int(),
              parts: z.array(z.object({ label: z.string(), count: z.number().int() })),
            }),
          )
          .meta({
            description:
              "Calls by outcome group as the campaign page charts them (Confirmed, Heard, Not reached, Failed, In progress, Cancelled; congestion is under Failed), each with the plain words it is made of",
          }),
      }),
      skipped: z.array(
        z.looseObject({ id: z.string(), name: z.string(), destination: z.string(), reason: z.string().nullable() }),
      ),
      targets: z.array(
        z.looseObject({
          id: z.string(),
          destination: z.string(),
          status: z.string(),
          attempts: z.number().int(),
          outcome: z.string().nullable().meta({ description: "The last call's state code (see `Call.state`)" }),
          outcomeLabel: z
            .string()
            .nullable()
            .meta({ description: "The same outcome in the plain words the campaign page shows" }),
        }),
      ),
    })
    .meta({ id: "CampaignResults" }),
  handler: async ({ db, params }) => {
    await requireCampaign(db, params.id);
    return await getCampaignResults(db, params.id);
  },
});
