/**
 * Text-to-speech with espeak-ng (Debian package `espeak-ng`): validates the request, speaks
 * it into a private temp file and converts the result like any upload. The text goes in on
 * stdin, never on the command line, so no text can become an espeak-ng option.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { convertToAsteriskWav, type ConvertedAudio } from "@/lib/audio/convert";
import { MAX_TTS_CHARS, MAX_TTS_WPM, MIN_TTS_WPM } from "@/lib/audio/limits";
import { UserError } from "@/lib/errors";
import { hasForbiddenChars } from "@/lib/text/plain-text";

/** One espeak-ng voice as listed by `espeak-ng --voices`. */
export type TtsVoice = { id: string; name: string; gender: string };

export const ESPEAK_MISSING = "Text-to-speech needs espeak-ng: apt-get install espeak-ng";

const ESPEAK_TIMEOUT_MS = 60_000;
const VOICE_ID = /^[a-z0-9][a-z0-9-]{0,40}$/i;

let voicesCache: TtsVoice[] | undefined;

function runEspeak(args: string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("espeak-ng", args, { stdio: ["pipe", "pipe", "pipe"], timeout: ESPEAK_TIMEOUT_MS });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < 16_000) stderr += chunk;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "ENOENT" ? new UserError(ESPEAK_MISSING, { field: "voice" }) : error);
    });
    child.on("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`espeak-ng exited with ${signal ?? code}: ${stderr.trim()}`));
    });
    // EPIPE if espeak-ng died early is reported through "close" above.
    child.stdin.on("error", () => {});
    child.stdin.end(stdin ?? "");
  });
}

/** Parses `espeak-ng --voices` output (fixed columns: Pty Language Age/Gender VoiceName File Other). */
export function parseVoiceList(output: string): TtsVoice[] {
  const voices: TtsVoice[] = [];
  for (const line of output.split("\n").slice(1)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 5) continue;
    const [, id, ageGender, name] = parts as [string, string, string, string];
    if (!VOICE_ID.test(id)) continue;
    const gender = ageGender.split("/")[1] ?? "";
    voices.push({ id, name: name.replaceAll("_", " "), gender: gender === "M" ? "male" : gender === "F" ? "female" : "" });
  }
  return voices;
}

/** The installed voices. Throws a UserError saying how to install espeak-ng when it is missing. */
export async function listVoices(): Promise<TtsVoice[]> {
  voicesCache ??= parseVoiceList(await runEspeak(["--voices"]));
  return voicesCache;
}

/** True when espeak-ng can be run; the UI shows the install hint otherwise. */
export async function isTtsAvailable(): Promise<boolean> {
  try {
    await listVoices();
    return true;
  } catch (error) {
    if (error instanceof UserError) return false;
    throw error;
  }
}

/** For tests that change PATH. */
export function resetVoicesForTests(): void {
  voicesCache = undefined;
}

export type TtsRequest = { text: string; voice: string; wpm: number };

/** Validates a TTS request; throws a UserError naming the bad field. Returns the trimmed text. */
export async function validateTtsRequest(request: TtsRequest): Promise<TtsRequest> {
  const text = request.text.trim();
  if (!text) throw new UserError("Enter the text to speak.", { field: "text" });
  if (text.length > MAX_TTS_CHARS) {
    throw new UserError(`The text is ${text.length} characters; the limit is ${MAX_TTS_CHARS}.`, { field: "text" });
  }
  // Control characters other than tab and newlines have no business in spoken text.
  if (hasForbiddenChars(text, { allowLineBreaks: true }))
    throw new UserError("The text contains control characters; remove them.", { field: "text" });
  if (!Number.isInteger(request.wpm) || request.wpm < MIN_TTS_WPM || request.wpm > MAX_TTS_WPM) {
    throw new UserError(`Speed must be a whole number of words per minute from ${MIN_TTS_WPM} to ${MAX_TTS_WPM}.`, {
      field: "wpm",
    });
  }
  const voices = await listVoices();
  if (!VOICE_ID.test(request.voice) || !voices.some((v) => v.id === request.voice)) {
    throw new UserError(`Unknown voice "${request.voice.slice(0, 50)}"; choose one from the list.`, { field: "voice" });
  }
  return { text, voice: request.voice, wpm: request.wpm };
}

/** Speaks `text` with espeak-ng and converts it to 8 kHz mono 16-bit WAV. */
export async function synthesizeSpeech(request: TtsRequest): Promise<ConvertedAudio> {
  const valid = await validateTtsRequest(request);
  const dir = await mkdtemp(path.join(os.tmpdir(), "spoolcast-tts-"));
  try {
    const out = path.join(dir, "speech.wav");
    await runEspeak(["-v", valid.voice, "-s", String(valid.wpm), "-w", out, "--stdin"], valid.text);
    return await convertToAsteriskWav(await readFile(out), { field: "text" });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
