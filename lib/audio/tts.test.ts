import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { WaveFile } from "@/lib/audio/wavefile";
import { afterEach, describe, expect, it } from "vitest";
import { readWavInfo } from "@/lib/audio/convert";
import {
  ESPEAK_MISSING,
  isTtsAvailable,
  listVoices,
  parseVoiceList,
  resetVoicesForTests,
  synthesizeSpeech,
} from "@/lib/audio/tts";
import { UserError } from "@/lib/errors";

const SENTENCE = "Attention please. This is a test of the public address system. No action is required.";

function rms(wav: Buffer): number {
  const samples = new WaveFile(wav).getSamples(false, Int16Array) as unknown as Int16Array;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe("text-to-speech", () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
    resetVoicesForTests();
  });

  it("lists the installed espeak-ng voices", async () => {
    const voices = await listVoices();
    expect(voices.length).toBeGreaterThan(50);
    expect(voices).toContainEqual(expect.objectContaining({ id: "en-us", name: "English (America)" }));
    expect(voices).toContainEqual(expect.objectContaining({ id: "de" }));
  });

  it("parses the voice table by column", () => {
    const output = [
      "Pty Language       Age/Gender VoiceName          File                 Other Languages",
      " 5  en-gb-scotland  --/M      English_(Scotland) gmw/en-GB-scotland   (en 4)",
      " 5  fr-fr           --/F      French             roa/fr               (fr 5)",
      "",
    ].join("\n");
    expect(parseVoiceList(output)).toEqual([
      { id: "en-gb-scotland", name: "English (Scotland)", gender: "male" },
      { id: "fr-fr", name: "French", gender: "female" },
    ]);
  });

  it("speaks a sentence as 8 kHz mono 16-bit audio of a plausible length", async () => {
    const { wav, durationMs } = await synthesizeSpeech({ text: SENTENCE, voice: "en-us", wpm: 160 });
    expect(readWavInfo(wav)).toMatchObject({ sampleRate: 8000, channels: 1, bitDepth: "16" });
    // 15 words at 160 wpm is about 5.6 s of speech plus pauses.
    expect(durationMs).toBeGreaterThan(3_500);
    expect(durationMs).toBeLessThan(10_000);
    expect(rms(wav)).toBeGreaterThan(500);
  });

  it("speaks slower at a lower speed", async () => {
    const slow = await synthesizeSpeech({ text: SENTENCE, voice: "en-us", wpm: 80 });
    const fast = await synthesizeSpeech({ text: SENTENCE, voice: "en-us", wpm: 300 });
    expect(slow.durationMs).toBeGreaterThan(fast.durationMs * 2);
  });

  it("speaks every line of a multi-line text", async () => {
    const one = await synthesizeSpeech({ text: "Fire alarm in building one.", voice: "en-gb", wpm: 160 });
    const three = await synthesizeSpeech({
      text: "Fire alarm in building one.\nLeave by the nearest exit.\nDo not use the lifts.",
      voice: "en-gb",
      wpm: 160,
    });
    expect(three.durationMs).toBeGreaterThan(one.durationMs * 2);
  });

  it("passes text that looks like options as text", async () => {
    const target = path.join(os.tmpdir(), `spoolcast-owned-${process.pid}.wav`);
    const { durationMs } = await synthesizeSpeech({ text: `-w ${target} --voices`, voice: "en-gb", wpm: 160 });
    expect(durationMs).toBeGreaterThan(500);
    expect(existsSync(target)).toBe(false);
  });

  it.each([
    [{ text: "   ", voice: "en", wpm: 160 }, "text", /Enter the text/],
    [{ text: "x".repeat(2001), voice: "en", wpm: 160 }, "text", /2001 characters; the limit is 2000/],
    [{ text: "bell\u0007", voice: "en", wpm: 160 }, "text", /control characters/],
    [{ text: "hello", voice: "xx-nope", wpm: 160 }, "voice", /Unknown voice "xx-nope"/],
    [{ text: "hello", voice: "en; rm -rf /", wpm: 160 }, "voice", /Unknown voice/],
    [{ text: "hello", voice: "en", wpm: 20 }, "wpm", /80 to 300/],
    [{ text: "hello", voice: "en", wpm: 150.5 }, "wpm", /whole number/],
  ])("refuses %j", async (request, field, message) => {
    const error = await refusal(synthesizeSpeech(request));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it("says how to install espeak-ng when it is missing", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "spoolcast-nopath-"));
    try {
      process.env.PATH = empty;
      resetVoicesForTests();
      expect(await isTtsAvailable()).toBe(false);
      const error = await refusal(synthesizeSpeech({ text: "hello", voice: "en", wpm: 160 }));
      expect(error.message).toBe(ESPEAK_MISSING);
      expect(error.message).toContain("apt-get install espeak-ng");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
