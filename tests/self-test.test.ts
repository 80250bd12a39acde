/**
 * "Test the PBX" end to end: the engine, the simulator, the IVR server and the database. The
 * self-test's Local channels go into the snippet's self-test context, which the simulator loads
 * like a PBX where the snippet was pasted (both IVR modes). Each broken PBX fails with the
 * checklist line that names its cause, and that line's fix; the lines before it pass.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runEndpoint } from "@/lib/api/endpoint";
import { hostSelfTestEndpoint } from "@/lib/api/endpoints/hosts";
import { createApiToken } from "@/lib/api/tokens";
import { makeSilentWav } from "@/lib/asterisk-sim/sounds";
import { getDashboardCounts } from "@/lib/dashboard/get-dashboard-counts";
import { runSelfTest } from "@/lib/hosts/self-test";
import type { SelfTestLine, SelfTestLineId } from "@/lib/hosts/self-test-checklist";
import { getLastSelfTest } from "@/lib/hosts/self-test-store";
import { selfTestContextFor } from "@/lib/ivr/dialplan";
import { startPbxRig, usePbxRig, type PbxRig, type PbxRigOptions } from "./support/pbx-rig";
import { createTestDb, type TestDb } from "./support/test-db";

const pbx = usePbxRig();
const SOUND = "spoolcast/msg-selftest0000000000001";

type Setup = Partial<Pick<PbxRigOptions, "coreSounds" | "noIvrServer" | "editDialplan">> & {
  ivrMode: "direct" | "dialplan";
  /** The message file is on the PBX (default true). */
  messageOnPbx?: boolean;
};

/** Starts a PBX, puts a library message in the database (and on the PBX), runs the self-test. */
async function selfTest(setup: Setup, timeoutMs = 30_000) {
  const { messageOnPbx = true, ivrMode, ...rig } = setup;
  const { db, host, engine, ivrAddress } = await pbx.start({
    ivrMode,
    callees: [],
    playbackMarginMs: 1000,
    ...rig,
    prepare: ({ soundsDir }) => {
      if (!messageOnPbx) return;
      mkdirSync(path.join(soundsDir, "spoolcast"), { recursive: true });
      writeFileSync(path.join(soundsDir, `${SOUND}.wav`), makeSilentWav(800));
    },
  });
  const audio = await db.audioMessage.create({ data: { name: "Fire drill", soundName: SOUND, durationMs: 800 } });
  await db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
  engine.start();
  const result = await runSelfTest(db, host.id, { ivrPublicAddress: ivrAddress, timeoutMs, pollMs: 50 });
  return { db, host, result, ivrAddress };
}

/** The snippet as pasted on a PBX that missed its self-test context. */
const dropSelfTest = (text: string) => text.slice(0, text.indexOf("; Self-test"));
const statusOf = (lines: SelfTestLine[]) => Object.fromEntries(lines.map((l) => [l.id, l.status]));
const line = (lines: SelfTestLine[], id: SelfTestLineId) => lines.find((l) => l.id === id)!;
const firstFailed = (lines: SelfTestLine[]) => lines.find((l) => l.status === "failed");
/** The lines before `id` all passed: the failure is diagnosed at the right step. */
const passedBefore = (lines: SelfTestLine[], id: SelfTestLineId) =>
  lines
    .slice(
      0,
      lines.findIndex((l) => l.id === id),
    )
    .map((l) => l.status);

describe("the self-test against the simulator", () => {
  it("passes in dialplan mode: picked up, archived, answered, IVR reached, token, prompt and message played, REASON 5 reported", async () => {
    const { db, host, result } = await selfTest({ ivrMode: "dialplan" });
    expect(statusOf(result.lines)).toEqual({
      "picked-up": "passed",
      archived: "passed",
      answered: "passed",
      "ivr-reached": "passed",
      token: "passed",
      "system-prompt": "passed",
      message: "passed",
      "failed-leg": "passed",
    });
    expect(result.ok).toBe(true);
    expect(line(result.lines, "picked-up").detail).toMatch(/^Picked up \d+\.\d s after it was placed in outgoing\/\.$/);
    expect(line(result.lines, "archived").detail).toMatch(/^Archived with Status: Completed, owned by uid \d+ gid \d+;/);
    expect(line(result.lines, "answered").label).toBe(
      `Asterisk answered the test call in [${selfTestContextFor(host.ivrContext)}]`,
    );
    expect(line(result.lines, "failed-leg").detail).toMatch(/reported REASON 5 \(busy\)\.$/);
    // Stored as the host's last self-test, and the calls are test calls, not PA or campaign calls.
    expect(await getLastSelfTest(db, host.id)).toEqual(result);
    const calls = await db.call.findMany({ where: { id: { in: result.callIds } } });
    expect(calls).toHaveLength(3);
    for (const c of calls) expect(c).toMatchObject({ kind: "test", broadcastId: null, campaignId: null, wakeUpId: null });
    // The dashboard's "calls today" does not count them either.
    expect(await getDashboardCounts(db)).toMatchObject({ callsToday: 0, answeredToday: 0 });
    expect(calls.map((c) => c.channel).sort()).toEqual([
      "Local/busy@spoolcast-selftest",
      "Local/s@spoolcast-selftest",
      "Local/s@spoolcast-selftest",
    ]);
  }, 90_000);

  it("passes in direct mode, where the failing leg is not checked (Asterisk reports no REASON there)", async () => {
    const { result } = await selfTest({ ivrMode: "direct" });
    expect(result.ok).toBe(true);
    expect(firstFailed(result.lines)).toBeUndefined();
    expect(line(result.lines, "message").status).toBe("passed");
    expect(line(result.lines, "failed-leg")).toMatchObject({
      status: "skipped",
      detail: expect.stringMatching(/direct IVR mode/),
    });
    expect(result.callIds).toHaveLength(2);
  }, 90_000);

  it("fails at the system prompt without Asterisk's core sounds, and says to install them", async () => {
    const { result } = await selfTest({ ivrMode: "dialplan", coreSounds: false }, 8000);
    expect(result.ok).toBe(false);
    expect(firstFailed(result.lines)?.id).toBe("system-prompt");
    expect(passedBefore(result.lines, "system-prompt").filter((s) => s === "failed")).toEqual([]);
    expect(line(result.lines, "system-prompt").fix).toMatch(/core sounds.*silence\/10/);
    expect(line(result.lines, "message").status).toBe("skipped");
  }, 90_000);

  it("fails at 'IVR reached' when Asterisk cannot connect to the IVR address, and names the address and the settings", async () => {
    const { result, ivrAddress } = await selfTest({ ivrMode: "dialplan", noIvrServer: true });
    expect(firstFailed(result.lines)?.id).toBe("ivr-reached");
    expect(passedBefore(result.lines, "ivr-reached")).toEqual(["passed", "passed", "passed"]);
    const reached = line(result.lines, "ivr-reached");
    expect(reached.label).toBe(`Asterisk reached the IVR server at ${ivrAddress}`);
    expect(reached.fix).toMatch(/IVR_LISTEN.*IVR_PUBLIC_ADDRESS.*firewall/);
    expect(statusOf(result.lines)).toMatchObject({ token: "skipped", "system-prompt": "skipped", message: "skipped" });
  }, 90_000);

  it("fails at the library message when its file is not on the PBX, and says to deliver it to the sounds root", async () => {
    const { result } = await selfTest({ ivrMode: "direct", messageOnPbx: false });
    expect(firstFailed(result.lines)?.id).toBe("message");
    expect(line(result.lines, "system-prompt").status).toBe("passed");
    const message = line(result.lines, "message");
    expect(message.detail).toBe(`The message file ${SOUND} is not on the PBX ("Unknown file requested").`);
    expect(message.fix).toMatch(/sounds root.*Sync hosts/);
  }, 90_000);

  it("fails at 'answered' when the snippet's self-test context is not loaded, and says to paste the snippet", async () => {
    // The PBX has the message context (its failed extension reports REASON 0) but not [spoolcast-selftest].
    const { result } = await selfTest({ ivrMode: "dialplan", editDialplan: dropSelfTest });
    expect(firstFailed(result.lines)?.id).toBe("answered");
    expect(passedBefore(result.lines, "answered")).toEqual(["passed", "passed"]);
    const answered = line(result.lines, "answered");
    expect(answered.detail).toMatch(/could not call Local\/s@spoolcast-selftest .*REASON 0/);
    expect(answered.fix).toMatch(/Dialplan snippet.*\[spoolcast-selftest\].*dialplan reload/);
  }, 90_000);

  it("fails at 'answered' in direct mode too when the self-test context was never pasted", async () => {
    const { result } = await selfTest({ ivrMode: "direct", editDialplan: () => "" });
    expect(firstFailed(result.lines)?.id).toBe("answered");
    expect(line(result.lines, "answered").detail).toMatch(/ended as “Not reached \(reason unknown in direct IVR mode\)”/);
  }, 90_000);
});

describe("POST /api/v1/hosts/{id}/self-test", () => {
  it("runs the self-test for a token with hosts:test, refuses one without it, and answers 404 naming the field for an unknown host", async () => {
    const { db, host, engine } = await pbx.start({ ivrMode: "direct", callees: [] });
    engine.start();
    const admin = { type: "user" as const, id: null, name: "Ada" };
    const tester = (await createApiToken(db, { name: "monitoring", scopes: ["hosts:test"] }, { actor: admin })).token;
    const reader = (await createApiToken(db, { name: "reader", scopes: ["calls:read"] }, { actor: admin })).token;
    const post = async (token: string, id: string, key: string) => {
      const request = new Request(`http://spoolcast.test/api/v1/hosts/${id}/self-test`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key },
        body: "{}",
      });
      const res = await runEndpoint(hostSelfTestEndpoint, request, { db, params: { id } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect((await post(reader, host.id, "k1")).status).toBe(403);
    const unknown = await post(tester, "nope", "k2");
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toContain('"id"');
    // No library message: the run completes and the message line says so, with its fix.
    const ran = await post(tester, host.id, "k3");
    expect(ran.status).toBe(200);
    const lines = ran.body.lines as SelfTestLine[];
    expect(line(lines, "system-prompt").status).toBe("passed");
    expect(line(lines, "message")).toMatchObject({
      status: "failed",
      fix: expect.stringMatching(/Add a message under Messages/),
    });
    const audit = await db.auditEvent.findFirst({ where: { action: "host.self_test", targetId: host.id } });
    expect(audit).toMatchObject({
      actorType: "token",
      actorName: "monitoring",
      summary: "self-test failed: A library message played",
    });
  }, 90_000);
});

const ROOT = path.resolve(import.meta.dirname, "..");

/** Runs `npm run check-pbx` as a child (asynchronously: this process runs the engine it relies on). */
function checkPbx(args: string[], environment: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(ROOT, "scripts", "check-pbx.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...environment },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe("npm run check-pbx", () => {
  let t: TestDb | undefined;
  let rig: PbxRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    await t?.drop();
    t = rig = undefined;
  });

  it("prints the checklist with the fix under the failed line and exits 1; exits 2 for an unknown host", async () => {
    t = await createTestDb("sqlite");
    // The self-test context was never pasted on this PBX.
    rig = await startPbxRig({ db: t.db, ivrMode: "direct", callees: [], editDialplan: () => "" });
    rig.engine.start();
    const environment = { DATABASE_URL: t.url, SPOOLCAST_SECRET: rig.secret, ASTERISK_SIMULATOR: "off", LOG_LEVEL: "silent" };
    const failed = await checkPbx(["--host", "pbx", "--timeout", "30"], environment);
    expect(failed.out).toMatch(/^PASS {2}Asterisk picked up the call file$/m);
    expect(failed.out).toMatch(
      /^FAIL {2}Asterisk answered the test call in \[spoolcast-selftest\]\n {6}.*\n {6}Fix: Paste this host's dialplan snippet/m,
    );
    expect(failed.out).toContain("The PBX failed the self-test at: Asterisk answered the test call in [spoolcast-selftest].");
    expect(failed.code).toBe(1);
    const unknown = await checkPbx(["--host", "nope"], environment);
    expect(unknown).toMatchObject({
      code: 2,
      out: expect.stringContaining('--host: no Asterisk host named or with id "nope" (hosts: pbx)'),
    });
  }, 120_000);
});
