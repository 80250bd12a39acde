/**
 * Shared set-up for the audio integration tests: a private data dir (master copies), a tone
 * WAV built with wavefile, and Asterisk host rows.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AuditActor } from "@/lib/audit/record-audit";
import { WaveFile } from "@/lib/audio/wavefile";
import type { Db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";

export const ACTOR: AuditActor = { type: "user", id: null, name: "Test Operator" };

/** Points SPOOLCAST_DATA_DIR at a fresh temp dir; returns it and a cleanup. */
export function useTempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "spoolcast-audio-data-"));
  const saved = { data: process.env.SPOOLCAST_DATA_DIR, secret: process.env.SPOOLCAST_SECRET };
  process.env.SPOOLCAST_DATA_DIR = dir;
  process.env.SPOOLCAST_SECRET ??= "test-secret-test-secret-test-secret-0123";
  resetEnvForTests();
  return {
    dir,
    cleanup: () => {
      if (saved.data === undefined) delete process.env.SPOOLCAST_DATA_DIR;
      else process.env.SPOOLCAST_DATA_DIR = saved.data;
      if (saved.secret === undefined) delete process.env.SPOOLCAST_SECRET;
      resetEnvForTests();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A stereo 22.05 kHz 16-bit sine WAV of `seconds`. */
export function toneWav(seconds = 1.2): Buffer {
  const rate = 22050;
  const samples = Array.from({ length: Math.round(rate * seconds) }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)),
  );
  const wav = new WaveFile();
  wav.fromScratch(2, rate, "16", [samples, samples]);
  return Buffer.from(wav.toBuffer());
}

/** Every file under `dir`, relative, including hidden temp files; [] when dir is missing. */
export function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full).map((f) => path.join(name, f)) : [name];
  });
}

export async function createLocalHost(db: Db, input: { name: string; soundsDir: string; enabled?: boolean }) {
  return db.asteriskHost.create({
    data: {
      name: input.name,
      transport: "local",
      spoolDir: path.join(input.soundsDir, "..", "spool"),
      soundsDir: input.soundsDir,
      enabled: input.enabled ?? true,
    },
  });
}
