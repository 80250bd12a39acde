import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { WaveFile } from "wavefile";
import { afterAll, describe, expect, it } from "vitest";
import { findSound, makeSilentWav, readWavDurationMs } from "./sounds";

const dir = mkdtempSync(path.join(os.tmpdir(), "sim-sounds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sound files", () => {
  it("reads the duration from the WAV header, whatever the rate and extra chunks", () => {
    const wav = new WaveFile();
    wav.fromScratch(1, 16000, "16", new Int16Array(16000 * 2.5));
    wav.setTag("ISFT", "spoolcast");
    writeFileSync(path.join(dir, "a.wav"), Buffer.from(wav.toBuffer()));
    expect(readWavDurationMs(path.join(dir, "a.wav"))).toBe(2500);
    writeFileSync(path.join(dir, "b.wav"), makeSilentWav(1234));
    expect(readWavDurationMs(path.join(dir, "b.wav"))).toBe(1234);
    writeFileSync(path.join(dir, "junk.wav"), "not a wav");
    expect(readWavDurationMs(path.join(dir, "junk.wav"))).toBeNull();
  });

  it("resolves names without extension under the sounds dir, absolute and ../ paths as given", () => {
    mkdirSync(path.join(dir, "custom"), { recursive: true });
    writeFileSync(path.join(dir, "custom", "bye.wav"), makeSilentWav(800));
    writeFileSync(path.join(dir, "raw.ulaw"), Buffer.alloc(16000));
    expect(findSound(dir, "custom/bye")).toMatchObject({ durationMs: 800 });
    expect(findSound(dir, "custom/bye.wav")).toBeNull();
    expect(findSound(path.join(dir, "custom"), "../custom/bye")).toMatchObject({ durationMs: 800 });
    expect(findSound("/nonexistent", path.join(dir, "custom", "bye"))).toMatchObject({ durationMs: 800 });
    expect(findSound(dir, "raw")).toMatchObject({ durationMs: 2000 });
    expect(findSound(dir, "custom/missing")).toBeNull();
  });

  it("has Asterisk's core silence/1 … silence/10 unless coreSounds is false, which hides every silence/* name", () => {
    expect(findSound(dir, "silence/10")).toMatchObject({ durationMs: 10_000 });
    expect(findSound(dir, "silence/1", true)).toMatchObject({ durationMs: 1000 });
    expect(findSound(dir, "silence/11")).toBeNull();
    mkdirSync(path.join(dir, "silence"), { recursive: true });
    writeFileSync(path.join(dir, "silence", "2.wav"), makeSilentWav(2500));
    expect(findSound(dir, "silence/2")).toMatchObject({ durationMs: 2500 });
    expect(findSound(dir, "silence/2", false)).toBeNull();
    expect(findSound(dir, "silence/10", false)).toBeNull();
    expect(findSound(dir, "custom/bye", false)).toMatchObject({ durationMs: 800 });
  });
});
