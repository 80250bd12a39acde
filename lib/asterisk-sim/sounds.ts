/**
 * Sound files as Asterisk's file layer sees them: a name without extension, resolved under
 * the sounds directory (absolute names as-is, `../` not sanitised, docs/asterisk.md#sound-file-lookup), existing when a
 * file `<name>.<format>` exists for a format the simulator knows. Durations come from the
 * WAV header (or the byte rate of headerless formats), so playback lasts as long as it would.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";

/** Headerless formats and their bytes per second. */
const RAW_FORMATS: Record<string, number> = { ulaw: 8000, alaw: 8000, gsm: 1650, sln: 16000, sln16: 32000, g722: 8000 };
const FORMATS = ["wav", "WAV", ...Object.keys(RAW_FORMATS)];

export type SoundFile = { path: string; durationMs: number };

/**
 * The `silence/<n>` files of Asterisk's core sounds package (n seconds of silence, 1 to 10),
 * which ExternalIVR's generator plays whenever its playlist is empty (`gen_nextfile` in
 * apps/app_externalivr.c opens `silence/10`). A PBX installed without the core sounds has none.
 */
const CORE_SILENCE = /^silence\/([1-9]|10)$/;

/**
 * The file Asterisk would play for `name`, or null when `ast_fileexists` would say no.
 * `coreSounds` (default true) says whether Asterisk's core sounds are installed: when true,
 * `silence/1` … `silence/10` exist even if the sounds dir has no such file; when false, no
 * `silence/*` name exists at all, whatever the sounds dir holds.
 */
export function findSound(soundsDir: string, name: string, coreSounds = true): SoundFile | null {
  if (name === "") return null;
  if (name.startsWith("silence/")) {
    if (!coreSounds) return null;
    const own = findSoundFile(soundsDir, name);
    if (own) return own;
    const seconds = CORE_SILENCE.exec(name)?.[1];
    return seconds ? { path: `(core sounds) ${name}`, durationMs: Number(seconds) * 1000 } : null;
  }
  return findSoundFile(soundsDir, name);
}

function findSoundFile(soundsDir: string, name: string): SoundFile | null {
  const base = path.isAbsolute(name) ? name : path.join(soundsDir, name);
  for (const ext of FORMATS) {
    const file = `${base}.${ext}`;
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) continue;
      size = st.size;
    } catch {
      continue;
    }
    const rate = RAW_FORMATS[ext];
    if (rate) return { path: file, durationMs: Math.round((size / rate) * 1000) };
    const durationMs = readWavDurationMs(file);
    if (durationMs !== null) return { path: file, durationMs };
  }
  return null;
}

/** Duration of a RIFF/WAVE file from its `fmt ` byte rate and `data` size; null if unreadable. */
export function readWavDurationMs(file: string): number | null {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(12);
    if (readSync(fd, head, 0, 12, 0) < 12) return null;
    if (head.toString("latin1", 0, 4) !== "RIFF" || head.toString("latin1", 8, 12) !== "WAVE") return null;
    let pos = 12;
    let byteRate = 0;
    const chunk = Buffer.alloc(8);
    for (let guard = 0; guard < 64; guard++) {
      if (readSync(fd, chunk, 0, 8, pos) < 8) return null;
      const id = chunk.toString("latin1", 0, 4);
      const size = chunk.readUInt32LE(4);
      if (id === "fmt ") {
        const fmt = Buffer.alloc(Math.min(size, 16));
        readSync(fd, fmt, 0, fmt.length, pos + 8);
        byteRate = fmt.readUInt32LE(8);
      } else if (id === "data") {
        if (!byteRate) return null;
        // A streaming writer may leave the size at 0xFFFFFFFF: fall back to the file size.
        const dataSize = size === 0xffffffff ? statSync(file).size - pos - 8 : size;
        return Math.round((dataSize / byteRate) * 1000);
      }
      pos += 8 + size + (size % 2);
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/** A PCM WAV file of `durationMs` of silence (8 kHz, 16-bit mono), for tests and the demo. */
export function makeSilentWav(durationMs: number, sampleRate = 8000): Buffer {
  const samples = Math.round((durationMs / 1000) * sampleRate);
  const dataSize = samples * 2;
  const buf = Buffer.alloc(44 + dataSize);
  buf.write("RIFF", 0, "latin1");
  buf.writeUInt32LE(36 + dataSize, 4);
  buf.write("WAVE", 8, "latin1");
  buf.write("fmt ", 12, "latin1");
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write("data", 36, "latin1");
  buf.writeUInt32LE(dataSize, 40);
  return buf;
}
