/**
 * Inputs of the PA services (launch, stop, re-call, templates), shared by the server actions
 * and the REST API. Limits follow the IVR message script (lib/ivr/scripts.ts).
 */
import { z } from "zod";
import { recordId } from "@/lib/text/record-id";
import { voiceName } from "@/lib/audio/audio.schema";
import { MAX_TTS_CHARS } from "@/lib/audio/limits";
import { UserError } from "@/lib/errors";
import { plainText } from "@/lib/text/plain-text";

const id = recordId();

export const PA_MAX_REPEAT = 5;

/**
 * One PA. Recipients: `everyone` or `groupIds`; message: exactly one of `audioId` (library),
 * `templateId` (admin-made; its ack/repeat apply unless given here) or `ttsText` (spoken by
 * espeak-ng, saved to the library first so the callee hears a delivered file).
 */
export const launchPaSchema = z
  .object({
    groupIds: z.array(id).max(200).default([]),
    everyone: z.boolean().default(false),
    audioId: id.optional(),
    templateId: id.optional(),
    // The one text rule, here and not only on the library name made from it: a bad announcement
    // is reported as ttsText, the field the caller typed.
    ttsText: plainText("Announcement", {
      min: 1,
      max: MAX_TTS_CHARS,
      allowLineBreaks: true,
      required: "Type the announcement.",
    }).optional(),
    ttsVoice: voiceName.default("en-us"),
    requireAck: z.boolean().optional(),
    repeat: z.coerce
      .number()
      .int("Repeat must be a whole number.")
      .min(1, "Play it at least once.")
      .max(PA_MAX_REPEAT, `At most ${PA_MAX_REPEAT} times.`)
      .optional(),
    isTest: z.boolean().default(false),
    /**
     * When the chosen message (library or template) is not on the Asterisk host, speak its
     * text by text-to-speech instead of refusing; the board says so. Without it, such a PA is
     * refused (a message the PBX cannot play would ring every phone and say nothing).
     */
    ttsFallback: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (!v.everyone && v.groupIds.length === 0)
      ctx.addIssue({ code: "custom", path: ["groupIds"], message: "Choose at least one group, or everyone." });
    if (v.everyone && v.groupIds.length > 0)
      ctx.addIssue({ code: "custom", path: ["groupIds"], message: "Choose groups or everyone, not both." });
    if (v.everyone && v.isTest)
      ctx.addIssue({ code: "custom", path: ["everyone"], message: "A test PA may only call test groups." });
    const sources = [v.audioId, v.templateId, v.ttsText].filter((s) => s !== undefined).length;
    if (sources !== 1)
      ctx.addIssue({
        code: "custom",
        path: ["message"],
        message: "Choose one message: a library message, a template, or typed text.",
      });
  });
export type LaunchPaInput = z.input<typeof launchPaSchema>;

export const broadcastIdSchema = z.object({ broadcastId: id });
export type BroadcastIdInput = z.input<typeof broadcastIdSchema>;

export const paTemplateSchema = z.object({
  name: plainText("Template name", { min: 1, max: 80, required: "Give the template a name." }),
  audioId: id,
  requireAck: z.boolean().default(true),
  repeat: z.coerce
    .number()
    .int("Repeat must be a whole number.")
    .min(1)
    .max(PA_MAX_REPEAT, `At most ${PA_MAX_REPEAT} times.`)
    .default(1),
});
export type PaTemplateInput = z.input<typeof paTemplateSchema>;

export const updatePaTemplateSchema = paTemplateSchema.extend({ id });
export const paTemplateIdSchema = z.object({ id });

/** Parses `input`; the first issue becomes a UserError naming the field (services are called by the API too). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.map(String).join(".") || undefined;
    throw new UserError(issue.message, { field });
  }
  return r.data;
}
