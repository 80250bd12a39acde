/**
 * The IVR's own spoken prompts ("press 1 to confirm…", "thank you", "goodbye"). They are
 * generated on the machine with espeak-ng and converted by sox into what Asterisk plays
 * without transcoding surprises: 8 kHz, mono, 16-bit signed PCM WAV, under
 * `<soundsDir>/spoolcast/system/<name>.wav` (sound name `spoolcast/system/<name>`).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Sound names of the system prompts, as scripts refer to them. */
export const SYSTEM_SOUNDS = {
  promptAckReplay: "spoolcast/system/press-1-confirm-2-replay",
  promptAck: "spoolcast/system/press-1-confirm",
  thanks: "spoolcast/system/thank-you",
  noInput: "spoolcast/system/no-input-goodbye",
  goodbye: "spoolcast/system/goodbye",
  wakeupMessage: "spoolcast/system/wakeup-message",
  wakeupPrompt: "spoolcast/system/wakeup-press-1-confirm-5-snooze",
  wakeupPromptNoSnooze: "spoolcast/system/wakeup-press-1-confirm",
  wakeupConfirmed: "spoolcast/system/wakeup-confirmed",
  snoozed: "spoolcast/system/snoozed",
} as const;

/** What each prompt says. */
export const SYSTEM_PROMPT_TEXT: Record<(typeof SYSTEM_SOUNDS)[keyof typeof SYSTEM_SOUNDS], string> = {
  [SYSTEM_SOUNDS.promptAckReplay]: "Press 1 to confirm you have heard this message. Press 2 to hear it again.",
  [SYSTEM_SOUNDS.promptAck]: "Press 1 to confirm you have heard this message.",
  [SYSTEM_SOUNDS.thanks]: "Thank you. Your confirmation has been recorded. Goodbye.",
  [SYSTEM_SOUNDS.noInput]: "No key was pressed. Goodbye.",
  [SYSTEM_SOUNDS.goodbye]: "Goodbye.",
  [SYSTEM_SOUNDS.wakeupMessage]: "Good day. This is your wake-up call.",
  [SYSTEM_SOUNDS.wakeupPrompt]: "Press 1 if you are awake. Press 5 to snooze.",
  [SYSTEM_SOUNDS.wakeupPromptNoSnooze]: "Press 1 if you are awake.",
  [SYSTEM_SOUNDS.wakeupConfirmed]: "Thank you. Have a good day. Goodbye.",
  [SYSTEM_SOUNDS.snoozed]: "Snoozing. We will call you again in a few minutes. Goodbye.",
};

/** The WAV path of a sound name under a sounds directory. */
export function soundFilePath(soundsDir: string, soundName: string): string {
  return path.join(soundsDir, ...soundName.split("/")) + ".wav";
}

/** Raised when the text-to-speech tools are missing; the message says what to install. */
export class PromptToolMissingError extends Error {
  constructor(readonly tool: "espeak-ng" | "sox") {
    super(
      `${tool} is not installed: the IVR's system prompts are generated with espeak-ng and sox ` +
        `(Debian/Ubuntu: apt-get install espeak-ng sox; or run scripts/system-deps.sh)`,
    );
    this.name = "PromptToolMissingError";
  }
}

async function runTool(tool: "espeak-ng" | "sox", args: string[]): Promise<void> {
  try {
    await run(tool, args, { timeout: 60_000 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new PromptToolMissingError(tool);
    throw new Error(`${tool} ${args.join(" ")} failed: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Generates every missing system prompt; existing non-empty files are kept. Each file is
 * written under a temporary name and renamed, so Asterisk never plays a half-written WAV.
 * Returns the sound names it generated.
 */
export async function ensureSystemPrompts(soundsDir: string, options: { voice?: string } = {}): Promise<string[]> {
  const made: string[] = [];
  for (const [name, text] of Object.entries(SYSTEM_PROMPT_TEXT)) {
    if (await ensureSpokenPrompt(soundsDir, name, text, options)) made.push(name);
  }
  return made;
}

/**
 * Generates one spoken prompt `<soundsDir>/<name>.wav` from `text` unless a non-empty file
 * is there (returns whether it generated). Also used for prompts other modules speak, such
 * as a wake-up greeting with the time. `text` is passed as one argv entry, never a shell.
 */
export async function ensureSpokenPrompt(
  soundsDir: string,
  name: string,
  text: string,
  options: { voice?: string } = {},
): Promise<boolean> {
  const target = soundFilePath(soundsDir, name);
  if (existsSync(target) && statSync(target).size > 44) return false;
  mkdirSync(path.dirname(target), { recursive: true });
  // Random suffix: two callers in one process may generate the same prompt at once.
  const tag = `${process.pid}.${randomBytes(4).toString("hex")}`;
  const raw = `${target}.${tag}.espeak.tmp.wav`;
  const converted = `${target}.${tag}.tmp.wav`;
  try {
    await runTool("espeak-ng", ["-v", options.voice ?? "en-us", "-s", "150", "-w", raw, text]);
    await runTool("sox", [raw, "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", converted]);
    renameSync(converted, target);
    return true;
  } finally {
    rmSync(raw, { force: true });
    rmSync(converted, { force: true });
  }
}
