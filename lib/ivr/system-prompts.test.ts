import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WaveFile } from "wavefile";
import { ensureSystemPrompts, PromptToolMissingError, soundFilePath, SYSTEM_PROMPT_TEXT, SYSTEM_SOUNDS } from "./system-prompts";

const dir = mkdtempSync(path.join(os.tmpdir(), "spoolcast-prompts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("system prompts", () => {
  it("generates every prompt as an 8 kHz mono 16-bit WAV with speech in it, once", async () => {
    const made = await ensureSystemPrompts(dir);
    expect(made.sort()).toEqual(Object.keys(SYSTEM_PROMPT_TEXT).sort());
    const formats = made.map((name) => {
      const wav = new WaveFile(readFileSync(soundFilePath(dir, name)));
      const fmt = wav.fmt as { sampleRate: number; numChannels: number; bitsPerSample: number; audioFormat: number };
      const samples = wav.getSamples(false, Int16Array) as unknown as Int16Array;
      return {
        name,
        rate: fmt.sampleRate,
        channels: fmt.numChannels,
        bits: fmt.bitsPerSample,
        pcm: fmt.audioFormat,
        longerThan400ms: samples.length / 8000 > 0.4,
        audible: Math.max(...Array.from(samples, Math.abs)) > 1000,
      };
    });
    expect(formats).toEqual(
      made.map((name) => ({ name, rate: 8000, channels: 1, bits: 16, pcm: 1, longerThan400ms: true, audible: true })),
    );
    expect(soundFilePath(dir, SYSTEM_SOUNDS.thanks)).toBe(path.join(dir, "spoolcast", "system", "thank-you.wav"));
    const before = statSync(soundFilePath(dir, SYSTEM_SOUNDS.thanks)).mtimeMs;
    expect(await ensureSystemPrompts(dir)).toEqual([]);
    expect(statSync(soundFilePath(dir, SYSTEM_SOUNDS.thanks)).mtimeMs).toBe(before);
  });

  it("says what to install when espeak-ng is missing", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "spoolcast-nopath-"));
    const saved = process.env.PATH;
    process.env.PATH = empty;
    try {
      const err = await ensureSystemPrompts(path.join(empty, "sounds")).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PromptToolMissingError);
      expect((err as Error).message).toMatch(/^espeak-ng is not installed: .*apt-get install espeak-ng sox/);
    } finally {
      process.env.PATH = saved;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
