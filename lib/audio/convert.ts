/**
 * Turns whatever audio a user brings into what Asterisk plays without transcoding:
 * 8 kHz, mono, signed 16-bit PCM WAV. Owns format detection, the refusal of bad input
 * (not audio, truncated, empty, too long) and the conversion itself.
 *
 * Conversion runs through SoX (Debian `sox`): one well-kept tool decodes every format we
 * accept (WAV in any rate / channel count / bit depth / A-law / µ-law / ADPCM, OGG Vorbis,
 * FLAC), mixes channels down, resamples with its band-limited `rate` effect and dithers to
 * 16 bits. wavefile (an independent parser) validates WAV input and reads the result back.
 * MP3 is not accepted: Debian's sox is built without an MP3 decoder unless
 * libsox-fmt-mp3 is installed, and we do not ship one.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { WaveFile } from "@/lib/audio/wavefile";
import { UserError } from "@/lib/errors";
import {
  MAX_DURATION_MS,
  MAX_UPLOAD_BYTES,
  MIN_DURATION_MS,
  TARGET_BITS,
  TARGET_CHANNELS,
  TARGET_RATE,
} from "@/lib/audio/limits";

export type AudioFormat = "wav" | "ogg" | "flac";

/** A decoded WAV header as read back from bytes. */
export type WavInfo = { sampleRate: number; channels: number; bitDepth: string; samples: number; durationMs: number };

/** The converted message, ready to store and deliver. */
export type ConvertedAudio = { wav: Buffer; durationMs: number };

const SOX_TIMEOUT_MS = 120_000;
const SOX_MISSING = "Converting audio needs SoX: apt-get install sox";

type WavFmt = { audioFormat: number; numChannels: number; sampleRate: number; blockAlign: number; bitsPerSample: number };
type WavData = { chunkSize: number; samples: Uint8Array };

/** Identifies the container by its magic bytes; the file name is never trusted. */
export function detectFormat(bytes: Uint8Array): AudioFormat | null {
  const ascii = (start: number, end: number) => Buffer.from(bytes.subarray(start, end)).toString("latin1");
  if (bytes.length >= 12 && ["RIFF", "RIFX", "RF64"].includes(ascii(0, 4)) && ascii(8, 12) === "WAVE") return "wav";
  if (bytes.length >= 4 && ascii(0, 4) === "OggS") return "ogg";
  if (bytes.length >= 4 && ascii(0, 4) === "fLaC") return "flac";
  return null;
}

function looksLikeMp3(bytes: Uint8Array): boolean {
  if (bytes.length >= 3 && Buffer.from(bytes.subarray(0, 3)).toString("latin1") === "ID3") return true;
  return bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0;
}

function parseWav(bytes: Uint8Array, field: string): { fmt: WavFmt; data: WavData } {
  const wav = new WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (error) {
    throw new UserError(`This WAV file cannot be read (${(error as Error).message}).`, { field });
  }
  return { fmt: wav.fmt as WavFmt, data: wav.data as WavData };
}

/**
 * Reads a WAV header and sample count. Refuses a file whose data chunk is shorter than its
 * header declares (an interrupted upload or copy): playing it would end mid-word.
 */
export function readWavInfo(bytes: Uint8Array, field = "file"): WavInfo {
  const { fmt, data } = parseWav(bytes, field);
  if (!fmt.sampleRate || !fmt.numChannels || !fmt.blockAlign) {
    throw new UserError("This WAV file has no valid format header.", { field });
  }
  if (data.samples.length < data.chunkSize) {
    throw new UserError(
      `This WAV file is truncated: its header promises ${data.chunkSize} bytes of audio but only ${data.samples.length} are there.`,
      { field },
    );
  }
  const frames = Math.floor(data.chunkSize / fmt.blockAlign);
  // For PCM a frame is one sample per channel; compressed WAV (ADPCM) is timed by SoX instead.
  return {
    sampleRate: fmt.sampleRate,
    channels: fmt.numChannels,
    bitDepth: String(fmt.bitsPerSample),
    samples: frames,
    durationMs: Math.round((frames / fmt.sampleRate) * 1000),
  };
}

type SoxResult = { stdout: string; stderr: string };

function runSox(program: "sox", args: string[]): Promise<SoxResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"], timeout: SOX_TIMEOUT_MS });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < 64_000) stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < 64_000) stderr += chunk;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "ENOENT" ? new UserError(SOX_MISSING) : error);
    });
    child.on("close", (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(Object.assign(new Error(`sox exited with ${signal ?? code}: ${stderr.trim()}`), { stderr }));
    });
  });
}

/** The first line SoX wrote about why it could not decode, without its "sox FAIL formats:" prefix. */
function soxReason(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr ?? "";
  const line = stderr.split("\n").find((l) => l.includes("FAIL")) ?? stderr.split("\n")[0] ?? "";
  // Drop SoX's prefix and the temp path ("can't open input file `/tmp/…': Input not an Ogg…").
  return line
    .replace(/^sox (FAIL|WARN) \w+:\s*/, "")
    .replace(/^can't open input file `[^']*':\s*/, "")
    .trim();
}

function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${(ms / 1000).toFixed(2)} s`;
}

function checkDuration(durationMs: number, field: string): void {
  if (durationMs < MIN_DURATION_MS) {
    throw new UserError(
      `This audio is empty (${formatDuration(durationMs)} long); a message needs at least ${MIN_DURATION_MS / 1000} s of sound.`,
      { field },
    );
  }
  if (durationMs > MAX_DURATION_MS) {
    throw new UserError(
      `This audio is ${formatDuration(durationMs)} long; messages may be at most ${MAX_DURATION_MS / 60_000} minutes.`,
      { field },
    );
  }
}

/**
 * Validates `bytes` and converts them to 8 kHz mono 16-bit PCM WAV. Throws a UserError
 * naming `field` for anything a user can fix; nothing is written outside a private temp
 * directory, which is removed before returning.
 */
export async function convertToAsteriskWav(bytes: Uint8Array, options: { field?: string } = {}): Promise<ConvertedAudio> {
  const field = options.field ?? "file";
  if (bytes.length === 0) throw new UserError("The file is empty.", { field });
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw new UserError(
      `The file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`,
      { field },
    );
  }
  const format = detectFormat(bytes);
  if (!format) {
    throw new UserError(
      looksLikeMp3(bytes)
        ? "MP3 is not supported on this server; upload WAV, OGG Vorbis or FLAC."
        : "This is not an audio file Spoolcast can read: upload WAV, OGG Vorbis or FLAC.",
      { field },
    );
  }
  if (format === "wav") {
    const info = readWavInfo(bytes, field);
    // Checked from the header first so an 8-hour file is refused before SoX decodes it.
    checkDuration(info.durationMs, field);
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), "spoolcast-audio-"));
  try {
    const input = path.join(dir, `input.${format}`);
    const output = path.join(dir, "output.wav");
    await writeFile(input, bytes);
    // Only the upper bound: OGG/FLAC streams may not declare a length (0); the read-back
    // below catches empty audio whatever the header said.
    const declared = await readDeclaredDurationMs(input, field);
    if (declared > MAX_DURATION_MS) checkDuration(declared, field);
    try {
      // -G: attenuate as needed so mixing/resampling never clips; trim caps the work even
      // when a header lies about the length (the read-back check below then refuses it).
      await runSox("sox", [
        "-V2",
        "-G",
        input,
        "-t",
        "wav",
        "-e",
        "signed-integer",
        "-b",
        String(TARGET_BITS),
        "-c",
        String(TARGET_CHANNELS),
        "-r",
        String(TARGET_RATE),
        output,
        "trim",
        "0",
        String(MAX_DURATION_MS / 1000 + 1),
      ]);
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`This audio cannot be decoded: ${soxReason(error) || "unknown error"}.`, { field });
    }
    const wav = await readFile(output);
    const info = readWavInfo(wav, field);
    if (info.sampleRate !== TARGET_RATE || info.channels !== TARGET_CHANNELS || info.bitDepth !== String(TARGET_BITS)) {
      throw new Error(`sox produced ${info.sampleRate} Hz ${info.channels} ch ${info.bitDepth} bit instead of 8 kHz mono 16-bit`);
    }
    checkDuration(info.durationMs, field);
    return { wav, durationMs: info.durationMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function readDeclaredDurationMs(file: string, field: string): Promise<number> {
  let result: SoxResult;
  try {
    result = await runSox("sox", ["--i", "-D", file]);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`This audio cannot be decoded: ${soxReason(error) || "unknown error"}.`, { field });
  }
  const seconds = Number(result.stdout.trim());
  if (!Number.isFinite(seconds)) throw new UserError("The length of this audio cannot be determined.", { field });
  return Math.round(seconds * 1000);
}
