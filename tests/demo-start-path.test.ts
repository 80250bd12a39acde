/**
 * `npm start` and the workers never seed demo data: only `npm run demo`'s seed step
 * (scripts/seed.ts) can, and it decides by lib/demo/demo-database.ts. Checked two ways: no module
 * on the start path can reach the seeder, and the start path itself (startEngine, which
 * instrumentation.ts and scripts/worker.ts run) against PostgreSQL leaves the database without
 * demo data, while it does deliver the system prompts to the host it creates.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { DEMO_MANIFEST_KEY, DEMO_MARKER_KEY } from "@/lib/demo/demo-manifest";
import { SYSTEM_SOUNDS } from "@/lib/ivr/system-prompts";
import { freePort } from "./support/free-port";
import { createTestDb, type TestDb } from "./support/test-db";
import { waitFor } from "./support/wait-for";

const ROOT = path.resolve(import.meta.dirname, "..");
const SKIP = new Set(["node_modules", ".next", ".git", "lib/generated", "data", "test-results", "playwright-report"]);

function sourceFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = path.relative(ROOT, full);
    if (SKIP.has(rel) || SKIP.has(name)) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mjs|sh)$/.test(name) ? [rel] : [];
  });
}

describe("the start path cannot seed demo data", () => {
  it("has the seeder used only by npm run demo's seed step", () => {
    const importers = sourceFiles().filter((f) => {
      if (f.startsWith("lib/demo/") || f.endsWith(".test.ts") || f.endsWith(".spec.ts")) return false;
      const text = readFileSync(path.join(ROOT, f), "utf8");
      return /lib\/demo\/seed-demo|\.\/seed-demo|scripts\/seed\.ts/.test(text);
    });
    expect(importers.sort()).toEqual(["scripts/demo.sh", "scripts/seed.ts"]);
    // npm start is server.ts, without the seed step.
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe("tsx server.ts");
    expect(pkg.scripts.worker).not.toMatch(/seed/);
  });
});

describe("starting Spoolcast on PostgreSQL", () => {
  let t: TestDb;
  let dataDir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    t = await createTestDb("postgresql");
    dataDir = mkdtempSync(path.join(os.tmpdir(), "spoolcast-start-"));
    Object.assign(process.env, {
      DATABASE_URL: t.url,
      SPOOLCAST_DATA_DIR: dataDir,
      SPOOLCAST_SECRET: "start-path-secret-0123456789abcdef0123",
      IVR_LISTEN: `127.0.0.1:${await freePort()}`,
      ASTERISK_SIMULATOR: "on",
    });
    for (const k of ["ASTERISK_SPOOL_DIR", "ASTERISK_SOUNDS_DIR", "SPOOLCAST_SEED_DEMO"]) Reflect.deleteProperty(process.env, k);
    resetEnvForTests();
  }, 60_000);
  afterAll(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) Reflect.deleteProperty(process.env, k);
    Object.assign(process.env, saved);
    resetEnvForTests();
    await t?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates the default host and its system prompts, and no demo data", async () => {
    const { startEngine } = await import("@/lib/engine/start-engine");
    const running = await startEngine({ db: t.db });
    try {
      const host = await t.db.asteriskHost.findFirstOrThrow({ where: { isDefault: true } });
      const prompt = path.join(host.soundsDir, `${SYSTEM_SOUNDS.goodbye}.wav`);
      // Generated into the sound store and delivered to the host's sounds root, in the background.
      await waitFor(() => statSync(prompt, { throwIfNoEntry: false })?.isFile(), 60_000, "the system prompts on the host");
      expect(readFileSync(prompt).equals(readFileSync(path.join(dataDir, "audio", `${SYSTEM_SOUNDS.goodbye}.wav`)))).toBe(true);
    } finally {
      await running.stop();
    }
    expect(await t.db.contact.count()).toBe(0);
    expect(await t.db.contactGroup.count()).toBe(0);
    expect(await t.db.audioMessage.count()).toBe(0);
    expect(await t.db.paTemplate.count()).toBe(0);
    expect(await t.db.setting.count({ where: { key: { in: [DEMO_MARKER_KEY, DEMO_MANIFEST_KEY] } } })).toBe(0);
  }, 120_000);
});
