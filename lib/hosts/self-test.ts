/**
 * The self-test call ("Test the PBX", `npm run check-pbx`, POST /api/v1/hosts/{id}/self-test;
 * docs/operations.md#the-self-test-call): real call files that Asterisk answers by itself.
 * Each is a `test` call with a `Local/…@<ivrContext>-selftest` channel into the snippet's
 * self-test context (lib/ivr/dialplan.ts), enqueued like any call, so the running engine spools
 * it, the IVR server serves it and the reconciler reads its archive: the test goes through the
 * same path as a PA. In both IVR modes the call file's other side is the host's own (direct:
 * ExternalIVR; dialplan: the [ivrContext] context):
 *
 * - the prompt call plays a system prompt (`F` proves core sounds and the WAV format);
 * - the message call plays a library message (`F` proves delivery to the sounds root);
 * - in dialplan mode, the failing call rings `busy`, whose failed extension must report REASON 5.
 *
 * The self-test then builds the checklist (self-test-checklist.ts) and stores it as the host's
 * last result (self-test-store.ts). Test calls are kind `test`: never part of a PA broadcast, a
 * campaign or a wake-up, so boards and campaign results do not count them.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { enqueueCalls } from "@/lib/engine/calls";
import { isFinalState } from "@/lib/engine/call-state";
import { openHostTransport } from "@/lib/engine/host-transport";
import { SELF_TEST_EXTENSIONS, selfTestContextFor } from "@/lib/ivr/dialplan";
import { serializeCallScript } from "@/lib/ivr/scripts";
import { SYSTEM_SOUNDS } from "@/lib/ivr/system-prompts";
import type { SpoolTransport } from "@/lib/spool/types";
import { buildChecklist, checklistPassed, type LegEvidence, type SelfTestLine } from "./self-test-checklist";
import { saveSelfTestResult, type SelfTestResult } from "./self-test-store";

export type { SelfTestResult } from "./self-test-store";

/** Default longest wait: past the IVR's 65 s playback watchdog, so a silent PBX is diagnosed too. */
export const SELF_TEST_TIMEOUT_MS = 90_000;
/** The system prompt the prompt call plays: short, and written by every IVR server at start. */
export const SELF_TEST_PROMPT = SYSTEM_SOUNDS.goodbye;
/** Shown as the callee on the results page, so the calls are recognisable as the self-test. */
export const SELF_TEST_DISPLAY_NAME = "Self-test (Test the PBX)";
/** The calls' destination: not a number, so nothing reads it as a contact. */
const SELF_TEST_DESTINATION = "self-test";

export type SelfTestOptions = {
  /** IVR_PUBLIC_ADDRESS (the env default for hosts without an IVR address of their own). */
  ivrPublicAddress: string;
  /** Longest wait for the calls to end; default SELF_TEST_TIMEOUT_MS. */
  timeoutMs?: number;
  pollMs?: number;
  /** Who asked: the audit log's actor; a user also becomes the calls' creator. */
  actor?: AuditActor;
  ip?: string | null;
};

type Leg = "prompt" | "message" | "failing";

/** Runs the self-test on a host and stores its result. Throws UserError only for a host that does not exist. */
export async function runSelfTest(db: Db, hostId: string, options: SelfTestOptions): Promise<SelfTestResult> {
  const host = await db.asteriskHost.findUnique({ where: { id: hostId }, omit: { sftpPrivateKey: false } });
  if (!host) throw new UserError("This host no longer exists", { field: "id" });
  const startedAt = new Date();
  const ivrMode = host.ivrMode === "dialplan" ? "dialplan" : "direct";
  const testContext = selfTestContextFor(host.ivrContext);
  const message = await pickMessage(db, host.id);

  const base = {
    kind: "test" as const,
    hostId: host.id,
    destination: SELF_TEST_DESTINATION,
    displayName: SELF_TEST_DISPLAY_NAME,
    maxRetries: 0,
    retryTime: 60,
    waitTime: 15,
    ...(options.actor?.type === "user" && options.actor.id ? { createdById: options.actor.id } : {}),
  };
  const answers = `Local/${SELF_TEST_EXTENSIONS.answers}@${testContext}`;
  const legs: Array<{ leg: Leg; call: Parameters<typeof enqueueCalls>[1][number] }> = [
    {
      leg: "prompt",
      call: {
        ...base,
        channel: answers,
        scriptJson: serializeCallScript({ kind: "message", message: SELF_TEST_PROMPT, requireAck: false }),
      },
    },
  ];
  if (message) {
    legs.push({
      leg: "message",
      call: {
        ...base,
        channel: answers,
        audioId: message.id,
        scriptJson: serializeCallScript({ kind: "message", requireAck: false }),
      },
    });
  }
  if (ivrMode === "dialplan") {
    // Busy() on the Local channel's other side: the attempt fails with REASON 5, and the
    // host's [ivrContext] failed extension must report it.
    legs.push({ leg: "failing", call: { ...base, channel: `Local/${SELF_TEST_EXTENSIONS.busy}@${testContext}` } });
  }
  const ids = await enqueueCalls(
    db,
    legs.map((l) => l.call),
  );
  const callIds = new Map(legs.map((l, i) => [l.leg, ids[i]!]));

  const timeoutMs = options.timeoutMs ?? SELF_TEST_TIMEOUT_MS;
  const pollMs = options.pollMs ?? 250;
  const archives = new Map<string, NonNullable<LegEvidence["archive"]>>();
  let transport: SpoolTransport | null = null;
  if (host.transport !== "local") {
    try {
      transport = await openHostTransport(host);
    } catch {
      // The archive is then judged from the reconciled call alone; Test connection says why.
    }
  }
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const rows = await db.call.findMany({ where: { id: { in: ids } }, select: { id: true, state: true, currentFile: true } });
      // Read each archive while it is there: the host's retention may move or delete it once reconciled.
      for (const row of rows) {
        if (!row.currentFile || archives.has(row.id)) continue;
        const found = await readArchive(transport, host, row.currentFile);
        if (found) archives.set(row.id, found);
      }
      if (rows.every((r) => isFinalState(r.state)) || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    await transport?.close().catch(() => undefined);
  }
  const waitedMs = Date.now() - startedAt.getTime();

  const evidenceOf = async (leg: Leg) => {
    const id = callIds.get(leg);
    return id ? await legEvidence(db, id, archives.get(id) ?? null) : null;
  };
  const lines: SelfTestLine[] = buildChecklist({
    ivrMode,
    ivrAddress: host.ivrPublicAddress ?? options.ivrPublicAddress,
    testContext,
    fileUid: host.fileUid,
    transport: host.transport === "sftp" ? "sftp" : "local",
    waitedMs,
    systemPrompt: SELF_TEST_PROMPT,
    message: message ? { name: message.name, soundName: message.soundName } : null,
    promptLeg: (await evidenceOf("prompt"))!,
    messageLeg: await evidenceOf("message"),
    failingLeg: await evidenceOf("failing"),
  });
  const result: SelfTestResult = {
    hostId: host.id,
    hostName: host.name,
    ivrMode,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ok: checklistPassed(lines),
    callIds: ids,
    lines,
  };
  await saveSelfTestResult(db, result);
  const failed = lines.find((l) => l.status === "failed");
  await recordAudit(db, {
    actor: options.actor ?? { type: "system", id: null, name: "check-pbx" },
    action: "host.self_test",
    targetType: "host",
    targetId: host.id,
    summary: result.ok ? "self-test passed" : failed ? `self-test failed: ${failed.label}` : "self-test passed with warnings",
    ip: options.ip ?? null,
  });
  return result;
}

/** The message to play: one delivered to this host, else the newest in the library. */
async function pickMessage(db: Db, hostId: string) {
  const select = { id: true, name: true, soundName: true } as const;
  return (
    (await db.audioMessage.findFirst({
      where: { deliveries: { some: { hostId, state: "synced" } } },
      orderBy: { updatedAt: "desc" },
      select,
    })) ?? (await db.audioMessage.findFirst({ orderBy: { updatedAt: "desc" }, select }))
  );
}

/**
 * The archived file's Status, and (local spool) its owner; null while it is not there. A local
 * archive is also looked for where the "archive" retention moves it (outgoing_done/spoolcast-archive/).
 */
async function readArchive(
  transport: SpoolTransport | null,
  host: { transport: string; spoolDir: string },
  name: string,
): Promise<LegEvidence["archive"]> {
  if (host.transport !== "local") {
    const text = transport ? await transport.readArchived(name).catch(() => null) : null;
    const status = text === null ? null : statusOf(text);
    return status ? { status } : null;
  }
  for (const file of [
    path.join(host.spoolDir, "outgoing_done", name),
    path.join(host.spoolDir, "outgoing_done", RETENTION_DIR, name),
  ]) {
    const text = await readFile(file, "latin1").catch(() => null);
    const status = text === null ? null : statusOf(text);
    if (!status) continue;
    const owner = await stat(file).catch(() => null);
    return owner ? { status, uid: owner.uid, gid: owner.gid } : { status };
  }
  return null;
}

/** Where the "archive" retention moves reconciled files (lib/engine/engine.ts, applyRetention). */
const RETENTION_DIR = "spoolcast-archive";

/** Asterisk appends `Status: <word>` after moving the file (docs/asterisk.md#archive-and-status-line). */
const statusOf = (text: string) => /^Status: *(\S+)/m.exec(text)?.[1] ?? null;

async function legEvidence(db: Db, callId: string, archive: LegEvidence["archive"]): Promise<LegEvidence> {
  const call = await db.call.findUniqueOrThrow({
    where: { id: callId },
    include: { events: { orderBy: { at: "asc" } }, callAttempts: { orderBy: { n: "asc" } } },
  });
  const spooled = call.events.find((e) => e.type === "spooled")?.at ?? call.spooledAt;
  // The engine notes Asterisk's StartRetry ("dialling") or the answer within one pass; the
  // attempt's own start (StartRetry minus RetryTime) is in whole seconds, so it is the fallback.
  const signs = call.events.filter((e) => ["dialling", "answered", "ivr.connected"].includes(e.type)).map((e) => e.at.getTime());
  const started = call.callAttempts.map((a) => a.startedAt?.getTime()).filter((t): t is number => t !== undefined);
  const first = signs.length > 0 ? Math.min(...signs) : started.length > 0 ? Math.min(...started) : null;
  const auth = await db.auditEvent.findFirst({
    where: { action: "ivr.auth_failed", targetType: "call", targetId: callId },
    select: { summary: true },
  });
  return {
    callId,
    channel: call.channel,
    state: call.state,
    final: isFinalState(call.state),
    spooledAt: spooled ?? null,
    pickedUpAt: first === null ? null : new Date(first),
    retryLines: started.length > 0 || call.events.some((e) => e.type === "dialling"),
    archive,
    reasons: call.callAttempts.map((a) => a.reason).filter((r): r is string => r !== null && r !== ""),
    events: call.events.map((e) => ({ type: e.type, detail: e.detail })),
    authFailure: auth?.summary ?? null,
  };
}
