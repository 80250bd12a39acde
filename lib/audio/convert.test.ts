import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { WaveFile } from "@/lib/audio/wavefile";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { convertToAsteriskWav, detectFormat, readWavInfo } from "@/lib/audio/convert";
import { MAX_UPLOAD_BYTES } from "@/lib/audio/limits";
import { UserError } from "@/lib/errors";

const tmp = mkdtempSync(path.join(os.tmpdir(), "spoolcast-convert-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A sine tone built with wavefile (independent of SoX, which does the conversion). */
function sineWav(options: { rate: number; channels: number; bitDepth: string; seconds: number; hz?: number }): Buffer {
  const frames = Math.round(options.rate * options.seconds);
  const hz = options.hz ?? 440;
  const isFloat = options.bitDepth === "32f" || options.bitDepth === "64f";
  const bits = Number.parseInt(options.bitDepth, 10);
  const peak = isFloat ? 0.5 : bits === 8 ? 60 : (2 ** (bits - 1) - 1) / 2;
  const offset = bits === 8 && !isFloat ? 128 : 0;
  const channel = Array.from(
    { length: frames },
    (_, i) =>
      Math.round(offset + peak * Math.sin((2 * Math.PI * hz * i) / options.rate) * (isFloat ? 1e6 : 1)) / (isFloat ? 1e6 : 1),
  );
  const wav = new WaveFile();
  wav.fromScratch(
    options.channels,
    options.rate,
    options.bitDepth,
    Array.from({ length: options.channels }, () => channel),
  );
  return Buffer.from(wav.toBuffer());
}

function soxMake(name: string, args: string[]): Buffer {
  const file = path.join(tmp, name);
  execFileSync("sox", ["-n", ...args.slice(0, -1), file, ...args.slice(-1)[0]!.split(" ")]);
  return readFileSync(file);
}

/** Zero crossings per second of the 16-bit mono output: a 440 Hz tone has ~880. */
function crossingsPerSecond(wav: Buffer): number {
  const w = new WaveFile(wav);
  const samples = w.getSamples(false, Int16Array) as unknown as Int16Array;
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) crossings++;
  return crossings / (samples.length / 8000);
}

async function refusal(bytes: Uint8Array): Promise<UserError> {
  const error = await convertToAsteriskWav(bytes).then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).field).toBe("file");
  return error as UserError;
}

describe("convertToAsteriskWav", () => {
  it.each([
    { rate: 44100, channels: 2, bitDepth: "24", seconds: 1.5 },
    { rate: 48000, channels: 1, bitDepth: "32f", seconds: 2 },
    { rate: 11025, channels: 1, bitDepth: "8", seconds: 0.75 },
    { rate: 16000, channels: 6, bitDepth: "16", seconds: 1 },
    { rate: 8000, channels: 1, bitDepth: "16", seconds: 3 },
    { rate: 96000, channels: 2, bitDepth: "32", seconds: 1.25 },
  ])("converts a $rate Hz $channels-channel $bitDepth-bit WAV to 8 kHz mono 16-bit of the same length", async (input) => {
    const { wav, durationMs } = await convertToAsteriskWav(sineWav(input));
    const info = readWavInfo(wav);
    expect(info).toMatchObject({ sampleRate: 8000, channels: 1, bitDepth: "16" });
    expect(Math.abs(info.durationMs - input.seconds * 1000)).toBeLessThanOrEqual(20);
    expect(durationMs).toBe(info.durationMs);
    // The tone survives: not silence, not aliasing garbage.
    expect(crossingsPerSecond(wav)).toBeGreaterThan(860);
    expect(crossingsPerSecond(wav)).toBeLessThan(900);
  });

  it("reads µ-law WAV as Asterisk exports it", async () => {
    const source = sineWav({ rate: 8000, channels: 1, bitDepth: "16", seconds: 1 });
    const w = new WaveFile(source);
    w.toMuLaw();
    const { wav } = await convertToAsteriskWav(Buffer.from(w.toBuffer()));
    expect(readWavInfo(wav)).toMatchObject({ sampleRate: 8000, channels: 1, bitDepth: "16", durationMs: 1000 });
  });

  it("converts OGG Vorbis and FLAC", async () => {
    const ogg = soxMake("tone.ogg", ["-r", "22050", "-c", "2", "synth 2.5 sine 440"]);
    const flac = soxMake("tone.flac", ["-r", "48000", "-c", "1", "-b", "24", "synth 1.2 sine 440"]);
    expect(detectFormat(ogg)).toBe("ogg");
    expect(detectFormat(flac)).toBe("flac");
    for (const [bytes, seconds] of [
      [ogg, 2.5],
      [flac, 1.2],
    ] as const) {
      const { wav, durationMs } = await convertToAsteriskWav(bytes);
      expect(readWavInfo(wav)).toMatchObject({ sampleRate: 8000, channels: 1, bitDepth: "16" });
      expect(Math.abs(durationMs - seconds * 1000)).toBeLessThanOrEqual(20);
    }
  });

  it("refuses an empty upload", async () => {
    expect((await refusal(new Uint8Array())).message).toMatch(/empty/);
  });

  it("refuses a file over 50 MB before decoding it", async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 1);
    sineWav({ rate: 8000, channels: 1, bitDepth: "16", seconds: 0.1 }).copy(big);
    expect((await refusal(big)).message).toMatch(/limit is 50 MB/);
  });

  it("refuses a text file and a PNG named .wav", async () => {
    expect((await refusal(Buffer.from("hello, I am not audio\n"))).message).toMatch(/not an audio file/);
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    expect((await refusal(png)).message).toMatch(/not an audio file/);
  });

  it("refuses a RIFF/WAVE header followed by garbage", async () => {
    const fake = Buffer.concat([Buffer.from("RIFF\x24\x00\x00\x00WAVE", "latin1"), Buffer.from("garbage garbage garbage")]);
    expect((await refusal(fake)).message).toMatch(/WAV/);
  });

  it("names MP3 as unsupported rather than as garbage", async () => {
    const mp3 = Buffer.concat([Buffer.from("ID3\x04\x00\x00\x00\x00\x00\x00", "latin1"), Buffer.alloc(100)]);
    expect((await refusal(mp3)).message).toMatch(/MP3 is not supported/);
  });

  it("refuses a truncated WAV whose data chunk is shorter than declared", async () => {
    const whole = sineWav({ rate: 44100, channels: 2, bitDepth: "16", seconds: 2 });
    const error = await refusal(whole.subarray(0, Math.floor(whole.length / 2)));
    expect(error.message).toMatch(/truncated/);
  });

  it("refuses a WAV with no audio in it", async () => {
    const empty = new WaveFile();
    empty.fromScratch(1, 8000, "16", []);
    expect((await refusal(Buffer.from(empty.toBuffer()))).message).toMatch(/empty/);
  });

  it("refuses a corrupt OGG stream", async () => {
    const ogg = soxMake("short.ogg", ["-r", "8000", "-c", "1", "synth 1 sine 440"]);
    const broken = Buffer.concat([ogg.subarray(0, 4), Buffer.alloc(ogg.length - 4, 0x55)]);
    expect((await refusal(broken)).message).toMatch(/cannot be decoded|empty/);
  });

  it("refuses 8 hours of audio from its header, before decoding it", async () => {
    // 8 h of 1 kHz 8-bit mono is 28.8 MB: under the size limit, over the length limit.
    const frames = 8 * 3600 * 1000;
    const header = Buffer.alloc(44);
    header.write("RIFF", 0, "latin1");
    header.writeUInt32LE(36 + frames, 4);
    header.write("WAVEfmt ", 8, "latin1");
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(1000, 24);
    header.writeUInt32LE(1000, 28);
    header.writeUInt16LE(1, 32);
    header.writeUInt16LE(8, 34);
    header.write("data", 36, "latin1");
    header.writeUInt32LE(frames, 40);
    const started = Date.now();
    const error = await refusal(Buffer.concat([header, Buffer.alloc(frames, 128)]));
    expect(error.message).toMatch(/8 h 0 min long; messages may be at most 10 minutes/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("refuses an OGG longer than 10 minutes", async () => {
    const long = soxMake("long.ogg", ["-r", "8000", "-c", "1", "synth 660 sine 440"]);
    expect((await refusal(long)).message).toMatch(/11 min 0 s long/);
  });
});

describe("readWavInfo on hostile bytes", () => {
  it("either reads a header or refuses with a UserError; never crashes otherwise", () => {
    const riff = Buffer.from("RIFF\0\0\0\0WAVE", "latin1");
    const fmt = sineWav({ rate: 8000, channels: 1, bitDepth: "16", seconds: 0.01 }).subarray(12, 36);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (tail, withFmt) => {
        const bytes = Buffer.concat([riff, withFmt ? fmt : Buffer.alloc(0), Buffer.from(tail)]);
        let outcome: "read" | "refused" | unknown;
        try {
          const info = readWavInfo(bytes);
          outcome = info.sampleRate > 0 && info.samples >= 0 ? "read" : info;
        } catch (error) {
          outcome = error instanceof UserError ? "refused" : error;
        }
        expect(["read", "refused"]).toContain(outcome);
      }),
      { numRuns: 500 },
    );
  });
});
