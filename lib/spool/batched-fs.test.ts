import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SLICE, readManyOrNull, statManyOrNull } from "@/lib/spool/batched-fs";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "batched-fs-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("batched file reads and stats", () => {
  it("answers every path in order across several slices, null for a missing one", async () => {
    const paths = Array.from({ length: SLICE * 2 + 5 }, (_, i) => path.join(dir, `f${i}`));
    for (const [i, p] of paths.entries()) writeFileSync(p, `content ${i}`);
    const asked = [...paths.slice(0, SLICE + 1), path.join(dir, "missing"), ...paths.slice(SLICE + 1)];
    const contents = await readManyOrNull(asked);
    expect(contents).toEqual([
      ...paths.slice(0, SLICE + 1).map((_, i) => `content ${i}`),
      null,
      ...paths.slice(SLICE + 1).map((_, i) => `content ${i + SLICE + 1}`),
    ]);
    const stats = await statManyOrNull(asked);
    expect(stats.map((s) => s?.size ?? null)).toEqual(contents.map((c) => (c === null ? null : Buffer.byteLength(c))));
  });

  it("lets timers run between slices, so one large batch does not hold the event loop", async () => {
    const paths = Array.from({ length: SLICE * 4 }, (_, i) => path.join(dir, `f${i}`));
    for (const p of paths) writeFileSync(p, "x");
    let ranDuring = false;
    const batch = readManyOrNull(paths);
    setImmediate(() => (ranDuring = true));
    await batch;
    expect(ranDuring).toBe(true);
  });

  it("throws an error other than a missing file, naming the path", async () => {
    mkdirSync(path.join(dir, "sub"));
    await expect(readManyOrNull([path.join(dir, "sub")])).rejects.toMatchObject({ code: "EISDIR", path: path.join(dir, "sub") });
  });
});
