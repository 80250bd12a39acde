/**
 * Campaign inputs (wizard, server actions, REST API) and the state machine:
 *
 *   draft ──start──▶ scheduled ──(start time)──▶ running ──▶ completed
 *                        │  ▲                      │  ▲
 *                        ▼  │ resume        pause  ▼  │ resume
 *                        paused ◀──────────────────┘
 *   any of draft/scheduled/running/paused ──cancel──▶ cancelled
 *
 * While a campaign is running or paused only the fields in RUNNING_EDITABLE may change:
 * who is called and what they hear are fixed once planned.
 */
import { z } from "zod";
import { recordId } from "@/lib/text/record-id";
import { DEFAULT_RETRY_CHOICES, RETRY_CHOICES, type RetryChoice } from "@/lib/calls/retry-choices";
import { callerIdProblem } from "@/lib/callfile/caller-id-rule";
import { plainText } from "@/lib/text/plain-text";

export const CAMPAIGN_STATES = ["draft", "scheduled", "running", "paused", "completed", "cancelled"] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** Outcomes that may earn a retry (Campaign.retryOn); lib/calls/retry-choices.ts maps call states to them. */
export const RETRY_OUTCOMES = RETRY_CHOICES;
export type RetryOutcome = RetryChoice;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const optionalDate = z
  .union([z.date(), z.string()])
  .optional()
  .nullable()
  .transform((v, ctx) => {
    if (v === undefined || v === null || v === "") return null;
    const d = v instanceof Date ? v : new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "Enter a valid date and time" });
      return z.NEVER;
    }
    return d;
  });

const id = recordId();

export const campaignFieldsSchema = z.object({
  name: plainText("Campaign name", { min: 1, max: 120, required: "Enter a name" }),
  groupIds: z.array(id).max(200).default([]),
  contactIds: z.array(id).max(10_000).default([]),
  audioId: recordId("Choose the message callees hear"),
  requireAck: z.boolean().default(true),
  maxReplays: z.number().int().min(0, "0 to 10").max(10, "0 to 10").default(2),
  /** "Name" <1000> or a bare number; empty = the host's default caller ID. */
  // The call-file writer's own rule (lib/callfile/caller-id-rule.ts), checked before trimming so
  // a trailing control character is refused, not cut off.
  callerId: z
    .string()
    .max(200, "At most 200 characters")
    .superRefine((v, ctx) => {
      const problem = v.trim() === "" ? null : callerIdProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((v) => v.trim())
    .optional()
    .default(""),
  startAt: optionalDate,
  endAt: optionalDate,
  windowDays: z.array(z.number().int().min(1).max(7)).min(1, "Choose at least one day").default([1, 2, 3, 4, 5, 6, 7]),
  windowStart: z.string().regex(HHMM, "Use HH:MM (24-hour)").default("00:00"),
  windowEnd: z.string().regex(HHMM, "Use HH:MM (24-hour)").default("23:59"),
  maxConcurrent: z.number().int().min(1, "At least 1").max(500, "At most 500").default(10),
  perMinute: z.number().int().min(1, "At least 1").max(6000, "At most 6000").default(60),
  retryCount: z.number().int().min(0, "0 to 10").max(10, "0 to 10").default(2),
  retryIntervalSec: z
    .number()
    .int()
    .min(5, "At least 5 seconds")
    .max(7 * 86400, "At most 7 days")
    .default(600),
  retryOn: z.array(z.enum(RETRY_OUTCOMES)).default(DEFAULT_RETRY_CHOICES),
  hostId: z.string().max(40).optional().nullable().default(null),
});

function checkCross(
  v: { startAt: Date | null; endAt: Date | null; windowStart: string; windowEnd: string },
  ctx: z.RefinementCtx,
) {
  if (v.startAt && v.endAt && v.endAt <= v.startAt)
    ctx.addIssue({ code: "custom", path: ["endAt"], message: "The end must be after the start" });
  if (v.windowEnd <= v.windowStart)
    ctx.addIssue({ code: "custom", path: ["windowEnd"], message: "The window must end after it starts (same day)" });
}

export const createCampaignSchema = campaignFieldsSchema.superRefine(checkCross);
/** The wizard's submit: the campaign plus whether to start it at once. */
export const createCampaignFormSchema = campaignFieldsSchema
  .extend({ start: z.boolean().default(false) })
  .superRefine(checkCross);
export type CreateCampaignInput = z.input<typeof createCampaignSchema>;
export type CampaignFields = z.output<typeof campaignFieldsSchema>;

/**
 * Partial update; which keys are allowed depends on the state (see RUNNING_EDITABLE). Built
 * without the create defaults: a key left out must stay absent after parsing, or an edit of
 * the name would silently reset every other setting to its default.
 */
export const updateCampaignSchema = z
  .object(
    Object.fromEntries(
      Object.entries(campaignFieldsSchema.shape).map(([k, v]) => [k, (v instanceof z.ZodDefault ? v.unwrap() : v).optional()]),
    ) as unknown as {
      [K in keyof typeof campaignFieldsSchema.shape]: z.ZodOptional<
        z.ZodType<z.output<(typeof campaignFieldsSchema.shape)[K]>, z.input<(typeof campaignFieldsSchema.shape)[K]>>
      >;
    },
  )
  .extend({ id });
export type UpdateCampaignInput = z.input<typeof updateCampaignSchema>;

/** Fields that may change while a campaign is scheduled, running or paused. */
export const RUNNING_EDITABLE = [
  "name",
  "endAt",
  "maxConcurrent",
  "perMinute",
  "retryCount",
  "retryIntervalSec",
  "retryOn",
  "windowDays",
  "windowStart",
  "windowEnd",
] as const;

export const campaignIdSchema = z.object({ id });
export type CampaignIdInput = z.input<typeof campaignIdSchema>;

export const dncEntrySchema = z.object({
  number: z.string().trim().min(1, "Enter a phone number, an extension or an endpoint").max(200),
  reason: plainText("Reason", { max: 200 }).default(""),
});
export type DncEntryInput = z.input<typeof dncEntrySchema>;

/** Campaign.retryOn / windowDays are stored comma-joined. */
export function splitList(s: string): string[] {
  return s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
}
