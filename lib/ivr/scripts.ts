/**
 * Call scripts: what the IVR plays and which keys it accepts, per call type. A script is
 * stored as JSON in `Call.scriptJson` when the call is created (PA templates and campaigns
 * choose its options through `buildCallScript`), and parsed again when Asterisk connects.
 */
import { z } from "zod";
import { MAX_SOUND_NAME_CHARS, SOUND_NAME } from "./protocol";
import { SYSTEM_SOUNDS } from "./system-prompts";

const sound = z
  .string()
  .max(MAX_SOUND_NAME_CHARS)
  .regex(SOUND_NAME, "must be a server sound name: lower-case a-z 0-9 _ - segments joined by /, no extension");
const digit = z.string().regex(/^[0-9*#]$/, "must be one key: 0-9, * or #");

/** A message with optional acknowledgement: PA announcements, campaigns, test calls. */
export const messageScriptSchema = z
  .object({
    kind: z.literal("message"),
    /** Played once before the message. */
    intro: sound.optional(),
    /** Defaults to the call's audio (Call.audioId → AudioMessage.soundName). */
    message: sound.optional(),
    /** Times the message is played back to back before the prompt. */
    repeat: z.number().int().min(1).max(5).default(1),
    requireAck: z.boolean().default(true),
    /** Replays the callee may ask for with `replayDigit`. */
    maxReplays: z.number().int().min(0).max(10).default(2),
    /** Prompts played in total before giving up with no key pressed (1 = no re-prompt). */
    maxPrompts: z.number().int().min(1).max(5).default(2),
    noInputTimeoutSec: z.number().int().min(1).max(60).default(6),
    ackDigit: digit.default("1"),
    replayDigit: digit.default("2"),
    promptSound: sound.default(SYSTEM_SOUNDS.promptAckReplay),
    /** Prompt once no replays are left (it must not offer the replay key). */
    promptNoReplaySound: sound.default(SYSTEM_SOUNDS.promptAck),
    thanksSound: sound.default(SYSTEM_SOUNDS.thanks),
    noInputSound: sound.default(SYSTEM_SOUNDS.noInput),
  })
  .strict()
  .refine((s) => s.ackDigit !== s.replayDigit, { message: "must differ from ackDigit", path: ["replayDigit"] });

/** A wake-up call: confirm with 1, snooze with 5. */
export const wakeupScriptSchema = z
  .object({
    kind: z.literal("wakeup"),
    /** Defaults to the call's audio, else the built-in "this is your wake-up call". */
    message: sound.optional(),
    allowSnooze: z.boolean().default(true),
    confirmDigit: digit.default("1"),
    snoozeDigit: digit.default("5"),
    maxPrompts: z.number().int().min(1).max(5).default(2),
    noInputTimeoutSec: z.number().int().min(1).max(60).default(6),
    promptSound: sound.default(SYSTEM_SOUNDS.wakeupPrompt),
    promptNoSnoozeSound: sound.default(SYSTEM_SOUNDS.wakeupPromptNoSnooze),
    confirmedSound: sound.default(SYSTEM_SOUNDS.wakeupConfirmed),
    snoozedSound: sound.default(SYSTEM_SOUNDS.snoozed),
    noInputSound: sound.default(SYSTEM_SOUNDS.noInput),
  })
  .strict()
  .refine((s) => s.confirmDigit !== s.snoozeDigit, { message: "must differ from confirmDigit", path: ["snoozeDigit"] });

/** Click-to-call bridges two people; if such a call reaches the IVR it just returns to the dialplan. */
export const clickScriptSchema = z.object({ kind: z.literal("click") }).strict();

export const callScriptSchema = z.union([messageScriptSchema, wakeupScriptSchema, clickScriptSchema]);

export type MessageScript = z.infer<typeof messageScriptSchema>;
export type WakeupScript = z.infer<typeof wakeupScriptSchema>;
export type CallScript = z.infer<typeof callScriptSchema>;
export type CallScriptInput = z.input<typeof callScriptSchema>;

/** A script that cannot be used; `field` names the offending JSON path. */
export class ScriptError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`scriptJson.${field}: ${reason}`);
    this.name = "ScriptError";
  }
}

function firstIssue(error: z.ZodError): ScriptError {
  const issue = error.issues[0]!;
  if (issue.code === "unrecognized_keys") return new ScriptError(issue.keys.join(","), "is not a script option");
  return new ScriptError(issue.path.join(".") || "kind", issue.message);
}

/** Validates a script and fills its defaults; throws ScriptError naming the field. */
export function buildCallScript(input: CallScriptInput): CallScript {
  const parsed = callScriptSchema.safeParse(input);
  if (!parsed.success) {
    // A union reports "no match" for every branch; re-parse against the branch the kind names.
    const kind = (input as { kind?: unknown }).kind;
    const branch =
      kind === "message"
        ? messageScriptSchema
        : kind === "wakeup"
          ? wakeupScriptSchema
          : kind === "click"
            ? clickScriptSchema
            : null;
    if (!branch) throw new ScriptError("kind", `must be "message", "wakeup" or "click"`);
    const again = branch.safeParse(input);
    throw again.success ? new ScriptError("kind", "invalid script") : firstIssue(again.error);
  }
  return parsed.data;
}

/** The JSON stored in Call.scriptJson. */
export function serializeCallScript(input: CallScriptInput): string {
  return JSON.stringify(buildCallScript(input));
}

/**
 * The script of a call as stored. `{}` (the column default) means "the default for the
 * call's kind", using the call's own requireAck; anything else must validate.
 */
export function parseCallScript(json: string, call: { kind: string; requireAck: boolean }): CallScript {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ScriptError("(json)", "is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ScriptError("(json)", "must be an object");
  if (Object.keys(value).length === 0) return defaultScriptFor(call);
  return buildCallScript(value as CallScriptInput);
}

/** The script used when a call carries none. */
export function defaultScriptFor(call: { kind: string; requireAck: boolean }): CallScript {
  if (call.kind === "wakeup") return buildCallScript({ kind: "wakeup" });
  if (call.kind === "click") return buildCallScript({ kind: "click" });
  return buildCallScript({ kind: "message", requireAck: call.requireAck });
}
