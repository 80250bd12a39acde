/**
 * Whole-system soak (issue 13): a mixed load — one big campaign, PA bursts, click-to-calls,
 * wake-ups — through real engine worker processes (`scripts/worker.ts`), the bundled Asterisk
 * simulator on three hosts (two local spools, one reached over SFTP) and the ExternalIVR
 * server, while faults are injected: worker SIGKILL + restart, simulator crash + restart,
 * forgotten files, SFTP session drops, PostgreSQL restart, a full spool disk, malformed
 * archived files, misbehaving IVR clients and a malicious contact name. Afterwards it checks
 * the promises from what the simulated Asterisk actually did (its dial and archive events,
 * the DTMF it sent), the files on disk and the database, and reports counts of each.
 *
 * Used by `npm run soak` (scripts/soak/index.ts) and, scaled down, tests/soak-short.test.ts.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pino from "pino";
import { createDb, type Db } from "@/lib/db";
import { parseCallFileName } from "@/lib/callfile/types";
import { isFinalState } from "@/lib/engine/call-state";
import { enqueueCalls } from "@/lib/engine/calls";
import { startSimulator, type Simulator, type CalleeRule, type SimOptions } from "@/lib/asterisk-sim/index";
import { RealClock } from "@/lib/asterisk-sim/clock";
import { startIvrServer, type IvrServer } from "@/lib/ivr/server";
import { createPrismaIvrStore } from "@/lib/ivr/prisma-store";
import { renderDialplanSnippet } from "@/lib/ivr/dialplan";
import { serializeCallScript } from "@/lib/ivr/scripts";
import { signCallToken } from "@/lib/ivr/token";
import { SYSTEM_SOUNDS } from "@/lib/ivr/system-prompts";
import type { AuditActor } from "@/lib/audit/record-audit";
import { createContact } from "@/lib/contacts/create-contact";
import { toNameKey } from "@/lib/contacts/contact.schema";
import { launchPa } from "@/lib/pa/launch-pa";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { startCampaign } from "@/lib/campaigns/start-campaign";
import { createWakeUp } from "@/lib/wakeups/create-wakeup";
import { startClickToCall } from "@/lib/calls/click-to-call";
import { startSshd, type SshdServer } from "@/tests/support/sshd-server";
import type { PgServer } from "@/tests/support/pg-server";
import { freePort } from "@/tests/support/free-port";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SECRET = "soak-secret-".padEnd(40, "x");
const ACTOR: AuditActor = { type: "system", id: null, name: "soak" };
const OPEN_STATES = ["queued", "spooled", "dialling", "retry-wait", "answered"];

export type SoakOptions = {
  provider: "sqlite" | "postgresql";
  databaseUrl: string;
  /** Needed for the PostgreSQL restart fault. */
  pg?: PgServer;
  rootDir: string;
  /** Engine worker processes (1 for SQLite, 3 for PostgreSQL). */
  workers: number;
  campaignCalls: number;
  paBursts: number;
  paBurstSize: number;
  clicks: number;
  wakeups: number;
  /** Concurrent calls for the whole system, split over the three hosts. */
  maxCalls: number;
  /** Simulated seconds per real second. */
  speed?: number;
  /** Share of call files the simulated Asterisk never processes. */
  forgetRate?: number;
  /** How long the spool stays full. */
  diskFullMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
};

export type FaultRecord = { atFinal: number; fault: string; detail: string };

export type SoakReport = {
  provider: string;
  workers: number;
  hosts: string[];
  planned: { campaign: number; pa: number; click: number; wakeup: number; total: number };
  elapsedMs: number;
  byKind: Record<string, number>;
  byState: Record<string, number>;
  faults: FaultRecord[];
  simulator: { dials: number; answered: number; archived: number; peakActive: number; restarts: number };
  /** earlyDigitChannels: sessions where the callee pressed 1 before anything was played (not an answer). */
  ivr: {
    sessions: number;
    authFailedAudited: number;
    abusiveConnections: number;
    stillServing: boolean;
    earlyDigitChannels: number;
  };
  workerExits: { killed: number; unexpected: string[] };
  /** Claims that wrote no file (killed worker, full disk): their file number is never used. */
  burntSequenceNumbers: number;
  checks: {
    /** (file, attempt) dialled more than once by the simulated Asterisk. */
    duplicateDials: string[];
    /** File names archived more than once (a name reused). */
    reusedFileNames: string[];
    /** Calls with more than one file (dialled or on disk) although nobody re-queued them. */
    extraFiles: string[];
    /** Attempts the database recorded ≠ attempts the simulator made for the call's file. */
    attemptMismatches: string[];
    /** Calls not in a final state at the end. */
    notFinal: string[];
    /** Lost calls whose file the simulator was told to forget (expected, flagged with a reason). */
    lostExplained: string[];
    /** A (file, attempt) that Asterisk restarted after a crash dialled again (informational). */
    redialledAfterCrash: string[];
    /** Open calls whose file the simulator forgot, not yet past their retry window (informational). */
    lostPending: string[];
    /** Lost calls without such an explanation, or lost without a reason. */
    lostUnexplained: string[];
    /** The callee pressed 1 in the IVR session but the call has no acknowledgement. */
    ackLost: string[];
    /** An acknowledgement on a call whose callee never pressed 1. */
    phantomAcks: string[];
    /** PA broadcasts, campaigns, wake-ups and click-to-calls without their audit event; forged IVR sessions not audited. */
    auditMissing: string[];
    /** Simulator dials of files that map to no Call row. */
    unexplainedCalls: string[];
    /** Call files on disk carrying the injected `Application: System` (or any System application). */
    injectionReached: string[];
    /** How the malicious inputs were handled (informational, one line each). */
    maliciousInputs: string[];
    /** A malformed archived file dropped into outgoing_done/ that changed a call. */
    malformedEffects: string[];
    /** Timeline notes the engine wrote about such files (informational). */
    malformedNotes: string[];
  };
  /** For a few calls of each failing check: the call row, its timeline and what the simulator did with its files. */
  diagnostics: string[];
};

/** Callee behaviour by destination prefix (E.164) or desk endpoint. */
const CALLEES: CalleeRule[] = [
  // Presses 1 repeatedly: whatever the prompt timing, the ack lands after the message.
  {
    prefix: "+1555001",
    behaviour: { kind: "answer", after: 1, dtmf: [3, 6, 9, 12].map((at) => ({ at, digits: "1" })), hangupAfter: 20 },
  },
  { prefix: "+1555002", behaviour: { kind: "busy", after: 1 } },
  { prefix: "+1555003", behaviour: { kind: "no-answer" } },
  // Listens, never presses: not acknowledged.
  { prefix: "+1555004", behaviour: { kind: "answer", after: 1, dtmf: [], hangupAfter: 8 } },
  { prefix: "+1555005", behaviour: { kind: "congestion", after: 0.5 } },
  // Wake-up guests (hotel rooms in Las Vegas, a valid area code: wake-ups are checked by the
  // destination rule) confirm with 1.
  {
    prefix: "+1702",
    behaviour: { kind: "answer", after: 2, dtmf: [3, 6, 9].map((at) => ({ at, digits: "1" })), hangupAfter: 15 },
  },
  // Contacts (PA group, click-to-call): numbers libphonenumber accepts, behaviour by area code.
  {
    prefix: "+1415",
    behaviour: { kind: "answer", after: 1, dtmf: [3, 6, 9, 12].map((at) => ({ at, digits: "1" })), hangupAfter: 20 },
  },
  { prefix: "+1617", behaviour: { kind: "answer", after: 1, dtmf: [], hangupAfter: 8 } },
  { prefix: "+1212", behaviour: { kind: "busy", after: 1 } },
  { prefix: "+1312", behaviour: { kind: "no-answer" } },
  { prefix: "+1213", behaviour: { kind: "congestion", after: 0.5 } },
  // Desk phones of click-to-call users.
  { prefix: "PJSIP/2", behaviour: { kind: "answer", after: 1, dtmf: [], hangupAfter: 5 } },
];

/** 45 % acknowledge, 15 % listen only, 15 % busy, 10 % no answer, 15 % congestion. */
function groupFor(i: number): number {
  const r = (i * 37) % 100;
  return r < 45 ? 1 : r < 60 ? 4 : r < 75 ? 2 : r < 85 ? 3 : 5;
}
/** A contact's valid number with the same mix (area code picks the behaviour); i < 8,000,000. */
function contactNumberFor(i: number): string {
  const area = { 1: "415", 4: "617", 2: "212", 3: "312", 5: "213" }[groupFor(i)];
  return `+1${area}${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, "0")}`;
}

type Worker = { id: string; proc: ChildProcess; exited: Promise<void>; expectedExit: boolean; tail: string[] };

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Runs the soak; the database must be migrated and empty. Never throws for a failed check: read the report. */
export async function runSystemSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 3_600_000);
  const speed = opts.speed ?? 20;
  const db = createDb(opts.databaseUrl);
  const faults: FaultRecord[] = [];
  const workers: Worker[] = [];
  const sims: Array<Simulator | null> = [null, null, null];
  const simOptions: SimOptions[] = [];
  let simGeneration = 0;
  let simRestarts = 0;
  let sshd: SshdServer | null = null;
  let ivr: IvrServer | null = null;
  let tmpfsDir: string | null = null;
  let killed = 0;
  const unexpectedExits: string[] = [];
  // What the simulated Asterisk did, from its events.
  const dials = new Map<string, number[]>();
  // The Asterisk PID of each dial, in the same order: a restarted Asterisk re-dials the attempt
  // its predecessor was making (AbortRetry with the same number, docs/asterisk.md#attempts-and-retry-lines): its own re-dial, not ours.
  const dialPids = new Map<string, number[]>();
  // Archives Asterisk itself deleted: a second remove_from_queue of a re-dialled file unlinks the
  // archive the first one made (docs/asterisk.md#archive-and-status-line), so that call has no archive to read.
  const archiveDeletedBySim = new Set<string>();
  // Files in outgoing/ of the crashed host at the moment of the crash: the only ones a restarted
  // Asterisk may re-dial.
  const inFlightAtCrash = new Set<string>();
  // What the simulated Asterisk did with each file, in order (for the diagnostics of a failure).
  const simTrace = new Map<string, string[]>();
  const traceSim = (file: string, what: string) => {
    const list = simTrace.get(file) ?? [];
    if (list.length < 20) list.push(`${new Date().toISOString().slice(11, 23)} ${what}`);
    simTrace.set(file, list);
  };
  const removedCount = new Map<string, number>();
  const channelFile = new Map<string, string>();
  const channelsPlaying = new Set<string>();
  const channelsPressedOne = new Set<string>();
  const earlyDigits = new Set<string>();
  const forgotten = new Set<string>();
  let answered = 0;
  let peakActive = 0;
  const droppedMalformed = new Set<string>();
  let abusiveConnections = 0;
  let forgedSessions = 0;
  const maliciousInputs: string[] = [];
  const acceptedMalicious: Array<{ id: string; what: string }> = [];

  const planned = {
    campaign: opts.campaignCalls,
    pa: opts.paBursts * opts.paBurstSize,
    click: opts.clicks,
    wakeup: opts.wakeups,
    total: opts.campaignCalls + opts.paBursts * opts.paBurstSize + opts.clicks + opts.wakeups,
  };

  const countFinal = () => db.call.count({ where: { state: { notIn: OPEN_STATES } } });
  let finalNow = 0;
  const note = (fault: string, detail: string) => {
    faults.push({ atFinal: finalNow, fault, detail });
    log(`[fault @${finalNow}/${planned.total}] ${fault}: ${detail}`);
  };

  // Keeps the event loop alive: a query stuck on a dead connection then shows up as a timeout, not a silent exit.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    // ── infrastructure ─────────────────────────────────────────────────────────────
    const soundsDir = path.join(opts.rootDir, "sounds");
    mkdirSync(soundsDir, { recursive: true });
    const ivrPort = await freePort();
    const ivrAddress = `127.0.0.1:${ivrPort}`;
    ivr = await startIvrServer({
      listen: ivrAddress,
      secret: SECRET,
      store: createPrismaIvrStore(db),
      soundsDir,
      handshakeTimeoutMs: 10_000,
      kickAfterMs: 400,
      logger: pino({ level: "silent" }),
    });
    sshd = await startSshd();

    // Host 0's spool lives on a small tmpfs so it can be filled; host 1 is reached over SFTP.
    const spool0 = path.join(opts.rootDir, "spool-0");
    mkdirSync(spool0, { recursive: true });
    const tmpfsMb = Math.max(32, Math.ceil((planned.total * 6) / 1024));
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", `size=${tmpfsMb}m`, "tmpfs", spool0], { stdio: "pipe" });
      tmpfsDir = spool0;
    } catch (e) {
      log(`tmpfs mount failed (${(e as Error).message.split("\n")[0]}); the disk-full fault is skipped`);
    }
    const spoolDirs = [spool0, path.join(sshd.root, "spool-1"), path.join(opts.rootDir, "spool-2")];
    const hostIds: string[] = [];
    const perHost = Math.max(1, Math.ceil(opts.maxCalls / spoolDirs.length));
    for (const [h, spoolDir] of spoolDirs.entries()) {
      mkdirSync(path.join(spoolDir, "outgoing"), { recursive: true });
      const name = ["local-tmpfs", "sftp", "local"][h]!;
      const host = await db.asteriskHost.create({
        data: {
          name,
          isDefault: h === 0,
          spoolDir,
          soundsDir,
          transport: h === 1 ? "sftp" : "local",
          ...(h === 1
            ? {
                sftpHost: sshd.host,
                sftpPort: sshd.port,
                sftpUser: sshd.username,
                sftpPrivateKey: sshd.privateKey,
                sftpHostKey: sshd.hostKeySha256,
              }
            : {}),
          maxConcurrent: perHost,
          maxPerSecond: 100,
          // Short rings and retries (simulated seconds): campaign calls take the host's settings.
          retryTime: 5,
          waitTime: 5,
          retention: "archive",
          ivrMode: "dialplan",
          ivrPublicAddress: ivrAddress,
        },
      });
      hostIds.push(host.id);
      simOptions.push({
        spoolDir,
        soundsDir,
        speed,
        // One clock per host for the whole run: a restarted Asterisk does not turn time back
        // (a fresh compressed clock would start minutes behind the files its predecessor wrote).
        clock: new RealClock(speed),
        seed: h + 1,
        callees: CALLEES,
        dialplan: renderDialplanSnippet({ name, ivrContext: "spoolcast", ivrPublicAddress: ivrAddress }),
        faults: {
          forget: (file: string) => {
            if (!opts.forgetRate || !parseCallFileName(file)) return false;
            const unit = createHash("sha1").update(file).digest().readUInt32BE(0) / 0x1_0000_0000;
            if (unit >= opts.forgetRate) return false;
            forgotten.add(file);
            return true;
          },
        },
        logger: { info: () => {}, warn: () => {}, error: (m) => log(`[sim ${name}!] ${m}`) },
      });
    }

    const startSim = async (h: number) => {
      // A new Asterisk PID per start, so the restarted one aborts the attempts its predecessor left.
      const pid = 50_000 + 10 * simGeneration++ + h;
      const sim = await startSimulator({ ...simOptions[h]!, pid });
      sim.on("call", (e) => {
        const list = dials.get(e.file) ?? [];
        list.push(e.attempt);
        dials.set(e.file, list);
        dialPids.set(e.file, [...(dialPids.get(e.file) ?? []), pid]);
        traceSim(e.file, `sim ${h} dialled attempt ${e.attempt} (${e.outcome})`);
        channelFile.set(e.channel, e.file);
        if (e.outcome === "answered") answered++;
      });
      sim.on("removed", (e) => {
        if (removedCount.has(e.file)) archiveDeletedBySim.add(e.file);
        // Archived files only: a remove whose rename found no file archived nothing.
        if (e.archivedTo) removedCount.set(e.file, (removedCount.get(e.file) ?? 0) + 1);
        traceSim(e.file, `sim ${h} removed it (${e.status}, ${e.archivedTo ? "archived" : "not archived"})`);
      });
      sim.on("ivr", (e) => {
        // The message and wake-up scripts take the ack key at any point once they play
        // something (the first S command); a DTMF event "1,<timestamp>" after that must become
        // an acknowledgement. A 1 pressed before anything was played answers nothing.
        if (e.dir === "recv" && e.data.startsWith("S,")) channelsPlaying.add(e.channel);
        else if (e.dir === "send" && /^1,\d+/.test(e.data)) {
          if (channelsPlaying.has(e.channel)) channelsPressedOne.add(e.channel);
          else earlyDigits.add(e.channel);
        }
      });
      sims[h] = sim;
    };
    for (let h = 0; h < spoolDirs.length; h++) await startSim(h);

    // ── load ───────────────────────────────────────────────────────────────────────
    const audio = await db.audioMessage.create({
      // A sound the simulated PBX has: PA calls play the broadcast's audio.
      data: { name: "Soak announcement", soundName: SYSTEM_SOUNDS.thanks, source: "tts", text: "soak" },
    });
    // Every simulated PBX has that sound; record it as delivered, or launches refuse it (no silent PA).
    await db.audioDelivery.createMany({
      data: hostIds.map((hostId) => ({ audioId: audio.id, hostId, state: "synced", syncedAt: new Date() })),
    });
    const messageScript = serializeCallScript({
      kind: "message",
      message: SYSTEM_SOUNDS.thanks,
      requireAck: true,
      maxReplays: 0,
    });

    // The campaign: the real services (lib/campaigns create + start) on a group of contacts,
    // one campaign per host (a campaign targets one host); the campaign scheduler in the
    // workers releases the calls and makes the campaign-level retries (new Call rows).
    const campaignIds: string[] = [];
    for (const [h, hostId] of hostIds.entries()) {
      const share = Math.floor(planned.campaign / hostIds.length) + (h < planned.campaign % hostIds.length ? 1 : 0);
      if (share === 0) continue;
      const group = await db.contactGroup.create({ data: { name: `Soak campaign ${h}` } });
      await insertContacts(db, share, 20_000 + h * 100_000, "Campaign contact", group.id);
      const { id } = await createCampaign(
        db,
        {
          name: `Soak campaign on ${hostId}`,
          groupIds: [group.id],
          audioId: audio.id,
          requireAck: true,
          maxReplays: 0,
          maxConcurrent: Math.min(500, perHost),
          perMinute: 6000,
          retryCount: 1,
          retryIntervalSec: 5,
          retryOn: ["busy", "no-answer"],
          hostId,
        },
        ACTOR,
      );
      await startCampaign(db, { id }, ACTOR);
      campaignIds.push(id);
    }
    log(`started ${campaignIds.length} campaign(s) of ${planned.campaign} contacts in all`);

    // PA: the real service (lib/pa/launch-pa.ts) on a group of contacts, one launch per burst.
    const paGroup = await db.contactGroup.create({ data: { name: "Soak PA staff" } });
    await insertContacts(db, opts.paBurstSize, 0, "PA staff", paGroup.id);
    const launchPaBurst = async (b: number) => {
      const r = await launchPa(db, { groupIds: [paGroup.id], audioId: audio.id, requireAck: true }, ACTOR);
      if (r.recipients !== opts.paBurstSize)
        throw new Error(`PA burst ${b}: ${r.recipients} recipients, expected ${opts.paBurstSize}`);
    };

    // Click-to-call: the real service (lib/calls/click-to-call.ts) from a user's desk phone to contacts.
    const desk = await db.user.create({
      data: {
        email: "soak-desk@example.test",
        name: "Soak desk",
        passwordHash: "!",
        role: "operator",
        deskEndpoint: "PJSIP/2000",
      },
    });
    const clickContacts = await insertContacts(db, opts.clicks, 5000, "Click contact", null);
    const launchClicks = async () => {
      for (const contactId of clickContacts) await startClickToCall(db, { userId: desk.id, contactId }, ACTOR);
    };

    // Wake-ups: the real service (lib/wakeups/create-wakeup.ts); the wake-up scheduler in the
    // workers places the call when the minute comes (booked for the next whole minute, UTC).
    const launchWakeups = async () => {
      const at = new Date(Math.ceil((Date.now() + 15_000) / 60_000) * 60_000);
      for (let k = 0; k < opts.wakeups; k++) {
        await createWakeUp(
          db,
          {
            room: String(100 + k),
            guestName: `Guest ${k}`,
            destination: `+1702${200 + Math.floor(k / 10_000)}${String(k % 10_000).padStart(4, "0")}`,
            timeZone: "UTC",
            localTime: at.toISOString().slice(11, 16),
            startDate: at.toISOString().slice(0, 10),
          },
          ACTOR,
        );
      }
    };

    // The malicious contact name: CR/LF + an Application: System line. Must never reach a file.
    const evil = "Mallory\r\nApplication: System\r\nData: touch /tmp/spoolcast-pwned";
    try {
      await createContact(db, { input: { name: evil, phones: [{ number: "+15550019999" }] }, actor: ACTOR });
      maliciousInputs.push("createContact ACCEPTED a name with CR/LF");
    } catch (e) {
      maliciousInputs.push(`createContact rejected it: ${(e as Error).message}`);
    }
    try {
      const [id] = await enqueueCalls(db, [
        {
          kind: "pa",
          hostId: hostIds[2]!,
          destination: "+15550019998",
          displayName: evil,
          requireAck: true,
          scriptJson: messageScript,
          maxRetries: 0,
          waitTime: 3,
        },
      ]);
      planned.pa++;
      planned.total++;
      acceptedMalicious.push({ id: id!, what: "display name with CR/LF + Application: System" });
    } catch (e) {
      maliciousInputs.push(`enqueueCalls rejected it: ${(e as Error).message}`);
    }
    try {
      const [id] = await enqueueCalls(db, [
        {
          kind: "click",
          hostId: hostIds[2]!,
          destination: "+15550019997",
          channel: "PJSIP/2999\nApplication: System",
          maxRetries: 0,
        },
      ]);
      planned.click++;
      planned.total++;
      acceptedMalicious.push({ id: id!, what: "channel with a line break + Application: System" });
    } catch (e) {
      maliciousInputs.push(`enqueueCalls rejected a channel with a line break: ${(e as Error).message}`);
    }

    // ── workers ────────────────────────────────────────────────────────────────────
    const workerEnv = {
      DATABASE_URL: opts.databaseUrl,
      SPOOLCAST_SECRET: SECRET,
      SPOOLCAST_DATA_DIR: path.join(opts.rootDir, "data"),
      ASTERISK_SIMULATOR: "off",
      ASTERISK_SPOOL_DIR: spool0,
      ASTERISK_SOUNDS_DIR: soundsDir,
      SPOOLCAST_ENGINE: "off",
      SPOOLCAST_WORKER_MIGRATE: "off",
      SPOOLCAST_ENGINE_POLL_MS: "200",
      SPOOLCAST_ENGINE_LEASE_MS: "4000",
      // Forgotten files are flagged lost this long past what their retries allow.
      SPOOLCAST_ENGINE_LOST_MARGIN_MS: "20000",
      // SOAK_WORKER_LOG_LEVEL=info puts the workers' engine log into the soak log (--log).
      LOG_LEVEL: process.env.SOAK_WORKER_LOG_LEVEL ?? "warn",
    };
    const startWorker = (id: string): Worker => {
      // `node --import tsx`, not the tsx binary: one process, so SIGKILL hits the worker itself.
      const proc = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
        cwd: ROOT,
        env: { ...process.env, ...workerEnv, SPOOLCAST_WORKER_ID: id },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const w: Worker = { id, proc, expectedExit: false, tail: [], exited: Promise.resolve() };
      const keep = (line: string) => {
        w.tail.push(line);
        if (w.tail.length > 30) w.tail.shift();
      };
      proc.stdout!.on("data", (d: Buffer) => {
        keep(d.toString().trimEnd());
        // Errors always reach the soak log (pino writes them to stdout, level 50 and up).
        for (const line of d.toString().trimEnd().split("\n")) {
          if (process.env.SOAK_WORKER_LOG_LEVEL || /"level":(50|60)\b/.test(line)) log(`[${id}] ${line.slice(0, 2000)}`);
        }
      });
      proc.stderr!.on("data", (d: Buffer) => {
        keep(d.toString().trimEnd());
        log(`[${id}!] ${d.toString().trimEnd().slice(0, 500)}`);
      });
      w.exited = new Promise<void>((resolve) =>
        proc.on("exit", (code, signal) => {
          if (!w.expectedExit) {
            unexpectedExits.push(`${id}: exit ${code ?? signal}; last output: ${w.tail.slice(-5).join(" | ").slice(0, 800)}`);
            log(`worker ${id} exited unexpectedly (${code ?? signal}); restarting it`);
            const idx = workers.indexOf(w);
            if (idx !== -1 && Date.now() < deadline) workers[idx] = startWorker(`${id}+`);
          }
          resolve();
        }),
      );
      return w;
    };
    for (let k = 0; k < opts.workers; k++) workers.push(startWorker(`w${k}`));

    // ── fault schedule, by share of planned calls final ────────────────────────────
    type Step = { at: number; name: string; run: () => Promise<void> };
    const steps: Step[] = [];
    for (let b = 0; b < opts.paBursts; b++) {
      steps.push({ at: 0.05 + (0.6 * b) / Math.max(1, opts.paBursts), name: `PA burst ${b + 1}`, run: () => launchPaBurst(b) });
    }
    steps.push({ at: 0, name: "wake-ups", run: launchWakeups });
    steps.push({ at: 0.12, name: "click-to-calls", run: launchClicks });
    steps.push({
      at: 0.1,
      name: "engine SIGKILL",
      run: async () => {
        const leases = await db.hostLease.findMany({ select: { owner: true } });
        const counts = new Map<string, number>();
        for (const l of leases) counts.set(l.owner, (counts.get(l.owner) ?? 0) + 1);
        const victimId = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
        const idx = Math.max(
          0,
          workers.findIndex((w) => w.id === victimId),
        );
        const w = workers[idx]!;
        w.expectedExit = true;
        w.proc.kill("SIGKILL");
        await w.exited;
        killed++;
        note("engine SIGKILL", `worker ${w.id} (held ${counts.get(w.id) ?? 0} lease(s)) killed; restarted as ${w.id}r`);
        workers[idx] = startWorker(`${w.id}r`);
      },
    });
    steps.push({
      at: 0.2,
      name: "simulator crash",
      run: async () => {
        sims[2]!.crash();
        sims[2] = null;
        for (const f of readdirSync(path.join(spoolDirs[2]!, "outgoing"))) inFlightAtCrash.add(f);
        note("simulator crash", "host local: kill -9 of the simulated Asterisk; restarted 1 s later with a new PID");
        await new Promise((r) => setTimeout(r, 1000));
        await startSim(2);
        simRestarts++;
      },
    });
    steps.push({
      at: 0.15,
      name: "misbehaving IVR clients",
      run: async () => {
        const r = await abuseIvr(db, ivrPort, ivrAddress);
        abusiveConnections += r.connections;
        forgedSessions += r.forged;
        note("misbehaving IVR clients", r.detail);
      },
    });
    for (const at of [0.3, 0.55]) {
      steps.push({
        at,
        name: "SFTP drop",
        run: async () => {
          sshd!.killSessions();
          note("SFTP drop", "every SFTP session of host sftp killed");
        },
      });
    }
    if (opts.pg) {
      steps.push({
        at: 0.4,
        name: "PostgreSQL restart",
        run: async () => {
          opts.pg!.restart();
          note("PostgreSQL restart", "pg_ctl restart (fast shutdown: every connection dropped)");
        },
      });
    }
    steps.push({
      at: 0.5,
      name: "disk full",
      run: async () => {
        if (!tmpfsDir) {
          note("disk full", "skipped: no tmpfs (not root?)");
          return;
        }
        const filler = path.join(tmpfsDir, "filler.bin");
        let written = 0;
        try {
          const chunk = Buffer.alloc(1024 * 1024);
          for (;;) {
            writeFileSync(filler, chunk, { flag: "a" });
            written++;
          }
        } catch {
          // ENOSPC: full now.
        }
        const holdMs = opts.diskFullMs ?? 5000;
        await new Promise((r) => setTimeout(r, holdMs));
        rmSync(filler, { force: true });
        note("disk full", `spool of host local-tmpfs filled (${written} MiB filler) for ${holdMs} ms, then freed`);
      },
    });
    steps.push({
      at: 0.6,
      name: "malformed archives",
      run: async () => {
        const some = await db.call.findFirst({
          where: { state: { in: ["queued", "spooled", "dialling"] } },
          select: { id: true, hostId: true },
        });
        const dropped: string[] = [];
        for (const dir of spoolDirs) {
          const done = path.join(dir, "outgoing_done");
          mkdirSync(done, { recursive: true });
          const files: Array<[string, string | Buffer]> = [
            [`spoolcast-${"z".repeat(25)}-1.call`, Buffer.from([0, 255, 13, 10, 0x41, 0x3a, 0xfe])],
            [`spoolcast-cunknown${"0".repeat(17)}-1.call`, "Channel: PJSIP/1@x\nStatus: Completed\n"],
            [`spoolcast-${"y".repeat(25)}-2.call`, ""],
            ["not-ours.call", "garbage without colon\n\n\n"],
            ...(some && dir === spoolDirs[hostIds.indexOf(some.hostId)]
              ? ([[`spoolcast-${some.id}-77.call`, "Channel: PJSIP/x\nStatus: Completed\n"]] as Array<[string, string]>)
              : []),
          ];
          for (const [name, content] of files) {
            writeFileSync(path.join(done, name), content);
            droppedMalformed.add(name);
            dropped.push(name);
          }
        }
        note(
          "malformed archives",
          `${dropped.length} files dropped into outgoing_done/ (binary, empty, unknown call, forged archive of a live call)`,
        );
      },
    });
    steps.sort((a, b) => a.at - b.at);

    const sampleActive = () => {
      const active = sims.reduce((n, s) => n + (s?.stats().active ?? 0), 0);
      if (active > peakActive) peakActive = active;
    };
    // Done once every fault ran, no call is open and every campaign has finished (its
    // scheduler may still add retry calls while it runs).
    let openNow = 1;
    let campaignsOpen = campaignIds.length;
    while (openNow > 0 || campaignsOpen > 0 || steps.length > 0) {
      if (Date.now() > deadline) {
        log(`deadline reached with ${finalNow}/${planned.total} final`);
        break;
      }
      try {
        finalNow = await countFinal();
        openNow = await db.call.count({ where: { state: { in: OPEN_STATES } } });
        // A forgotten file is flagged lost only once its whole retry window has passed (for a
        // wake-up, many minutes): near the end, such calls do not hold the run open.
        if (openNow > 0 && openNow <= 50 && steps.length === 0) {
          const open = await db.call.findMany({ where: { state: { in: OPEN_STATES } }, select: { currentFile: true } });
          openNow = open.filter((c) => !(c.currentFile && forgotten.has(c.currentFile))).length;
        }
        campaignsOpen = await db.campaign.count({
          where: { id: { in: campaignIds }, state: { notIn: ["completed", "cancelled"] } },
        });
        // Wake-up calls appear when their minute comes.
        if (steps.length === 0 && (await db.call.count({ where: { kind: "wakeup" } })) < planned.wakeup)
          openNow = Math.max(openNow, 1);
      } catch {
        // The database may be restarting: try again.
      }
      sampleActive();
      if (steps.length > 0 && finalNow >= steps[0]!.at * planned.total) {
        const step = steps.shift()!;
        try {
          await step.run();
        } catch (e) {
          note(step.name, `FAILED to inject: ${(e as Error).message}`);
        }
        continue;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    log(
      `${finalNow} calls final (${planned.total} planned before campaign retries) after ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );

    log("stopping the workers");
    // Stop the workers cleanly, then let the simulators finish what they hold.
    for (const w of workers) w.expectedExit = true;
    for (const w of workers) w.proc.kill("SIGTERM");
    await Promise.race([Promise.all(workers.map((w) => w.exited)), new Promise((r) => setTimeout(r, 10_000))]);
    for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill("SIGKILL");

    // Is the IVR server still serving after the abuse? A fresh connection must get the P command.
    const stillServing = await probeIvr(ivrPort);
    log("building the report");
    // A fresh client: the run's pool went through a PostgreSQL restart and SIGKILLs.
    const reportDb = createDb(opts.databaseUrl);

    for (const m of acceptedMalicious) {
      const c = await reportDb.call.findUnique({ where: { id: m.id }, select: { state: true, reason: true, attempts: true } });
      maliciousInputs.push(
        `enqueueCalls accepted a ${m.what} (call ${m.id}); it ended ${c?.state} after ${c?.attempts} dial(s): ${c?.reason ?? ""}`,
      );
    }
    try {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("building the report took over 5 minutes")), 300_000).unref(),
      );
      return await Promise.race([
        timeout,
        buildReport({
          db: reportDb,
          opts,
          planned,
          started,
          faults,
          spoolDirs,
          dials,
          dialPids,
          archiveDeletedBySim,
          inFlightAtCrash,
          simTrace,
          removedCount,
          channelFile,
          channelsPressedOne,
          earlyDigits,
          forgotten,
          droppedMalformed,
          maliciousInputs,
          directCalls: new Set(acceptedMalicious.map((m) => m.id)),
          simulator: {
            dials: [...dials.values()].reduce((n, l) => n + l.length, 0),
            answered,
            archived: [...removedCount.values()].reduce((n, c) => n + c, 0),
            peakActive,
            restarts: simRestarts,
          },
          ivr: {
            sessions: ivr.stats().accepted,
            abusiveConnections,
            forgedSessions,
            stillServing,
            earlyDigitChannels: earlyDigits.size,
          },
          workerExits: { killed, unexpected: unexpectedExits },
        }),
      ]);
    } catch (e) {
      log(`building the report failed: ${(e as Error).stack ?? String(e)}`);
      throw e;
    } finally {
      await Promise.race([reportDb.$disconnect().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    }
  } finally {
    // Every step bounded: a cleanup stuck on a dead connection must not hide the run's result.
    const bounded = (what: string, p: Promise<unknown>) =>
      Promise.race([
        p.catch((e: unknown) => log(`cleanup ${what} failed: ${String(e)}`)),
        new Promise((r) => setTimeout(r, 10_000)),
      ]);
    for (const w of workers) {
      w.expectedExit = true;
      if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill("SIGKILL");
    }
    for (const sim of sims) if (sim) await bounded("simulator stop", sim.stop());
    if (ivr) await bounded("IVR server close", ivr.close({ graceMs: 0 }));
    if (sshd) await bounded("sshd stop", sshd.stop());
    if (tmpfsDir) {
      try {
        execFileSync("umount", ["-l", tmpfsDir], { stdio: "pipe" });
      } catch {
        // already gone
      }
    }
    await bounded("database disconnect", db.$disconnect());
    clearInterval(keepAlive);
  }
}

/** Bulk-inserts `n` contacts (numbers from contactNumberFor(offset + k)), optionally into a group; returns their ids. */
async function insertContacts(db: Db, n: number, offset: number, label: string, groupId: string | null): Promise<string[]> {
  const ids: string[] = [];
  for (let k = 0; k < n; k++) {
    const name = `${label} ${k}`;
    const c = await db.contact.create({
      data: { name, nameKey: toNameKey(name), phones: { create: [{ destination: contactNumberFor(offset + k), position: 0 }] } },
      select: { id: true },
    });
    ids.push(c.id);
  }
  if (groupId) await db.groupMember.createMany({ data: ids.map((contactId) => ({ groupId, contactId })) });
  return ids;
}

async function abuseIvr(db: Db, port: number, address: string): Promise<{ connections: number; forged: number; detail: string }> {
  // Targets: real calls whose callees never press 1 (a forged ack there would show as a phantom).
  const targets = await db.call.findMany({ where: { destination: { startsWith: "+1212" } }, select: { id: true }, take: 3 });
  const ts = Math.floor(Date.now() / 1000);
  const payloads: Array<{ name: string; lines: Array<string | Buffer>; forged: boolean }> = [
    { name: "binary garbage", lines: [Buffer.from([0, 1, 2, 255, 254, 10, 13, 0, 10])], forged: false },
    { name: "oversized line", lines: ["D".repeat(64 * 1024) + "\n"], forged: false },
    { name: "no handshake, silent", lines: [], forged: false },
    { name: "P reply without a call id", lines: [`P,${ts},ivr://${address}\n`], forged: true },
    ...targets.flatMap((t) => [
      { name: "forged token", lines: [`P,${ts},ivr://${address},${t.id},${"A".repeat(22)}\n`, `1,${ts}\n`], forged: true },
      { name: "forged failure report", lines: [`P,${ts},ivr://${address},failed,${t.id},${"B".repeat(22)},17\n`], forged: true },
      // The right token from the wrong secret: still forged.
      {
        name: "token under another secret",
        lines: [`P,${ts},ivr://${address},${t.id},${signCallToken("x".repeat(40), t.id)}\n`, `1,${ts}\n`],
        forged: true,
      },
    ]),
  ];
  await Promise.all(
    payloads.map(
      (p) =>
        new Promise<void>((resolve) => {
          const sock = net.connect(port, "127.0.0.1");
          let sent = false;
          const done = () => {
            sock.destroy();
            resolve();
          };
          sock.on("data", () => {
            if (sent) return;
            sent = true;
            for (const l of p.lines) sock.write(l);
            if (p.lines.length === 0) setTimeout(done, 1500);
          });
          sock.on("error", done);
          sock.on("close", done);
          setTimeout(done, 5000);
        }),
    ),
  );
  const forged = payloads.filter((p) => p.forged).length;
  return {
    connections: payloads.length,
    forged,
    detail: `${payloads.length} connections: ${[...new Set(payloads.map((p) => p.name))].join(", ")}`,
  };
}

function probeIvr(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1");
    const t = setTimeout(() => finish(false), 5000);
    const finish = (ok: boolean) => {
      clearTimeout(t);
      sock.destroy();
      resolve(ok);
    };
    sock.on("data", (d: Buffer) => finish(d.toString().startsWith("P")));
    sock.on("error", () => finish(false));
  });
}

type ReportInput = {
  db: Db;
  opts: SoakOptions;
  planned: SoakReport["planned"];
  started: number;
  faults: FaultRecord[];
  spoolDirs: string[];
  dials: Map<string, number[]>;
  dialPids: Map<string, number[]>;
  archiveDeletedBySim: Set<string>;
  inFlightAtCrash: Set<string>;
  simTrace: Map<string, string[]>;
  removedCount: Map<string, number>;
  channelFile: Map<string, string>;
  channelsPressedOne: Set<string>;
  earlyDigits: Set<string>;
  forgotten: Set<string>;
  droppedMalformed: Set<string>;
  maliciousInputs: string[];
  /** Calls the soak enqueued itself (malicious inputs, wake-ups), not through an audited service. */
  directCalls: Set<string>;
  simulator: SoakReport["simulator"];
  ivr: {
    sessions: number;
    abusiveConnections: number;
    forgedSessions: number;
    stillServing: boolean;
    earlyDigitChannels: number;
  };
  workerExits: SoakReport["workerExits"];
};

async function buildReport(r: ReportInput): Promise<SoakReport> {
  const { db } = r;
  const calls = await db.call.findMany({
    select: {
      id: true,
      kind: true,
      state: true,
      fileSeq: true,
      attempts: true,
      currentFile: true,
      reason: true,
      ackDigit: true,
      requireAck: true,
      campaignId: true,
      broadcastId: true,
      wakeUpId: true,
    },
  });
  const byId = new Map(calls.map((c) => [c.id, c]));
  const byKind: Record<string, number> = {};
  const byState: Record<string, number> = {};
  for (const c of calls) {
    byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
    byState[c.state] = (byState[c.state] ?? 0) + 1;
  }
  const requeued = new Set(
    (await db.callEvent.findMany({ where: { type: "requeued" }, select: { callId: true } })).map((e) => e.callId),
  );

  // A (file, attempt) dialled twice by one Asterisk process is a duplicate; dialled again by the
  // Asterisk restarted after a crash is that Asterisk re-dialling the attempt it found cut short.
  const duplicateDials: string[] = [];
  const redialledAfterCrash: string[] = [];
  for (const [file, attempts] of r.dials) {
    if (new Set(attempts).size === attempts.length) continue;
    const pids = r.dialPids.get(file) ?? [];
    const byOnePid = attempts.some((a, i) => attempts.some((b, j) => j > i && b === a && pids[j] === pids[i]));
    const line = `${file}: attempts ${attempts.join(",")} by Asterisk pid ${pids.join(",")}`;
    (byOnePid || !r.inFlightAtCrash.has(file) ? duplicateDials : redialledAfterCrash).push(line);
  }
  const reusedFileNames = [...r.removedCount.entries()]
    .filter(([, n]) => n > 1)
    .map(([file, n]) => `${file}: archived ${n} times`);
  // Files per call: every name the simulator dialled plus every name on disk (outgoing/,
  // outgoing_done/ and its archive), the malformed ones dropped by the soak left out. A claim
  // that wrote nothing (worker killed, disk full) burns a sequence number but makes no file.
  const filesOfCall = new Map<string, Set<string>>();
  const addFile = (name: string) => {
    const parsed = parseCallFileName(name);
    if (!parsed || r.droppedMalformed.has(name)) return;
    const set = filesOfCall.get(parsed.callId) ?? new Set<string>();
    set.add(name);
    filesOfCall.set(parsed.callId, set);
  };
  for (const file of r.dials.keys()) addFile(file);
  for (const dir of r.spoolDirs) {
    for (const file of [...filesUnder(path.join(dir, "outgoing")), ...filesUnder(path.join(dir, "outgoing_done"))])
      addFile(path.basename(file));
  }
  const extraFiles: string[] = [];
  for (const [callId, names] of filesOfCall) {
    if (names.size > 1 && !requeued.has(callId)) extraFiles.push(`${callId}: ${names.size} files (${[...names].join(", ")})`);
  }
  const burntSequenceNumbers = calls.reduce((n, c) => n + Math.max(0, c.fileSeq - (filesOfCall.get(c.id)?.size ?? 0)), 0);
  const attemptMismatches: string[] = [];
  for (const c of calls) {
    if (c.state === "lost" || c.state === "cancelled" || c.state === "failed") continue;
    // Attempt numbers dialled: a re-dial by the restarted Asterisk keeps its number (docs/asterisk.md#attempts-and-retry-lines).
    const made = new Set(r.dials.get(c.currentFile ?? "") ?? []).size;
    if (made !== c.attempts) attemptMismatches.push(`${c.id} (${c.state}): recorded ${c.attempts}, simulator dialled ${made}`);
  }
  const notFinal = calls
    .filter((c) => !isFinalState(c.state) && !(c.currentFile && r.forgotten.has(c.currentFile)))
    .map((c) => `${c.id}: ${c.state}`);
  const lostPending = calls
    .filter((c) => !isFinalState(c.state) && c.currentFile && r.forgotten.has(c.currentFile))
    .map((c) => `${c.id}: ${c.state}, ${c.currentFile} forgotten by Asterisk; lost detection is due after its retry window`);
  const lostExplained: string[] = [];
  const lostUnexplained: string[] = [];
  for (const c of calls.filter((x) => x.state === "lost")) {
    const line = `${c.id}: ${c.reason ?? "(no reason)"}`;
    if (c.reason && c.currentFile && r.forgotten.has(c.currentFile)) lostExplained.push(line);
    else if (c.reason && c.currentFile && r.archiveDeletedBySim.has(c.currentFile) && r.inFlightAtCrash.has(c.currentFile))
      lostExplained.push(`${line} (Asterisk deleted its own archive: re-dialled after its crash; docs/asterisk.md)`);
    else lostUnexplained.push(line);
  }

  // Acknowledgements: the simulator's DTMF 1 sent into an IVR session vs Call.ackDigit.
  const callsOf = (channels: Set<string>) => {
    const out = new Set<string>();
    for (const channel of channels) {
      const file = r.channelFile.get(channel);
      const parsed = file ? parseCallFileName(file) : null;
      if (parsed) out.add(parsed.callId);
    }
    return out;
  };
  // Pressed once something played: must be acknowledged. Pressed at all (the early press and
  // the server's first S may cross on the wire): may be acknowledged.
  const pressedCalls = callsOf(r.channelsPressedOne);
  const pressedAtAll = new Set([...pressedCalls, ...callsOf(r.earlyDigits)]);
  const ackLost: string[] = [];
  for (const id of pressedCalls) {
    const c = byId.get(id);
    if (c && c.requireAck && c.ackDigit !== "1")
      ackLost.push(
        `${id} (${c.kind}): callee pressed 1 in the IVR session, call ${c.state} (${c.reason ?? ""}) with ackDigit ${c.ackDigit ?? "none"}`,
      );
  }
  const phantomAcks = calls
    .filter((c) => c.ackDigit && !pressedAtAll.has(c.id))
    .map((c) => `${c.id}: ackDigit ${c.ackDigit} but the callee never pressed 1`);

  // Audit: every campaign, PA broadcast and wake-up with calls, every click-to-call, and every forged IVR session.
  const audits = await db.auditEvent.findMany({ select: { action: true, targetId: true } });
  const auditedTargets = new Set(audits.map((a) => a.targetId).filter((t): t is string => !!t));
  const auditMissing: string[] = [];
  for (const [label, ids] of [
    ["campaign", new Set(calls.map((c) => c.campaignId).filter((x): x is string => !!x))],
    ["PA broadcast", new Set(calls.map((c) => c.broadcastId).filter((x): x is string => !!x))],
    ["wake-up", new Set(calls.map((c) => c.wakeUpId).filter((x): x is string => !!x))],
    ["click-to-call", new Set(calls.filter((c) => c.kind === "click" && !r.directCalls.has(c.id)).map((c) => c.id))],
  ] as const) {
    for (const id of ids) if (!auditedTargets.has(id)) auditMissing.push(`${label} ${id} has no audit event`);
  }
  const authFailedAudited = audits.filter((a) => a.action === "ivr.auth_failed").length;
  if (authFailedAudited < r.ivr.forgedSessions)
    auditMissing.push(`${r.ivr.forgedSessions} forged IVR sessions, ${authFailedAudited} ivr.auth_failed audit events`);

  const unexplainedCalls: string[] = [];
  for (const file of r.dials.keys()) {
    const parsed = parseCallFileName(file);
    if (!parsed || !byId.has(parsed.callId)) unexplainedCalls.push(`${file}: dialled, no Call row`);
  }

  // Any file on any spool (outgoing, outgoing_done and its archive) carrying a System application.
  const injectionReached: string[] = [];
  for (const dir of r.spoolDirs) {
    for (const file of [...filesUnder(path.join(dir, "outgoing")), ...filesUnder(path.join(dir, "outgoing_done"))]) {
      if (r.droppedMalformed.has(path.basename(file))) continue;
      const text = readFileSync(file, "latin1");
      if (/^\s*(Application\s*[:=]\s*System|Data\s*[:=].*spoolcast-pwned)/im.test(text)) injectionReached.push(file);
    }
  }

  const malformedEvents = (await db.callEvent.findMany({ select: { callId: true, detail: true, type: true } })).filter((e) =>
    [...r.droppedMalformed].some((name) => e.detail.includes(name)),
  );
  // A timeline note about a stray archive is harmless; anything else it caused (a state change) is not.
  const malformedEffects = malformedEvents
    .filter((e) => e.type !== "late-archive")
    .map((e) => `${e.callId}: ${e.type} "${e.detail.slice(0, 160)}"`);
  const malformedNotes = malformedEvents
    .filter((e) => e.type === "late-archive")
    .map((e) => `${e.callId}: ${e.type} "${e.detail.slice(0, 160)}"`);

  const checks = {
    duplicateDials,
    reusedFileNames,
    extraFiles,
    attemptMismatches,
    notFinal,
    lostExplained,
    redialledAfterCrash,
    lostPending,
    lostUnexplained,
    ackLost,
    phantomAcks,
    auditMissing,
    unexplainedCalls,
    injectionReached,
    maliciousInputs: r.maliciousInputs,
    malformedEffects,
    malformedNotes,
  };
  return {
    provider: r.opts.provider,
    workers: r.opts.workers,
    hosts: ["local-tmpfs", "sftp", "local"],
    planned: r.planned,
    elapsedMs: Date.now() - r.started,
    byKind,
    byState,
    faults: r.faults,
    simulator: r.simulator,
    ivr: {
      sessions: r.ivr.sessions,
      authFailedAudited,
      abusiveConnections: r.ivr.abusiveConnections,
      stillServing: r.ivr.stillServing,
      earlyDigitChannels: r.ivr.earlyDigitChannels,
    },
    workerExits: r.workerExits,
    burntSequenceNumbers,
    checks,
    diagnostics: await diagnose(db, checks, r.simTrace),
  };
}

/** The story of up to 3 calls of each failing check: row, timeline, the simulator's dials and archives. */
async function diagnose(db: Db, checks: SoakReport["checks"], simTrace: Map<string, string[]>): Promise<string[]> {
  const ids = new Set<string>();
  for (const k of FAILING_CHECKS) {
    for (const line of checks[k].slice(0, 3)) {
      const m = /(?:spoolcast-)?(c[a-z0-9]{20,})/.exec(line);
      if (m) ids.add(m[1]!);
    }
  }
  const out: string[] = [];
  for (const id of ids) {
    const call = await db.call.findUnique({
      where: { id },
      select: {
        kind: true,
        state: true,
        fileSeq: true,
        currentFile: true,
        claimedBy: true,
        hostId: true,
        attempts: true,
        reason: true,
      },
    });
    out.push(`call ${id}: ${JSON.stringify(call)}`);
    const events = await db.callEvent.findMany({
      where: { callId: id },
      orderBy: { at: "asc" },
      select: { at: true, type: true, source: true, detail: true },
    });
    for (const e of events) out.push(`  ${e.at.toISOString().slice(11, 23)} ${e.source} ${e.type}: ${e.detail.slice(0, 200)}`);
    for (const [file, trace] of simTrace) if (file.includes(id)) for (const t of trace) out.push(`  ${t} — ${file}`);
  }
  return out;
}

/** Checks that must be empty for the soak to pass (lostExplained and maliciousInputs are informational). */
export const FAILING_CHECKS = [
  "duplicateDials",
  "reusedFileNames",
  "extraFiles",
  "attemptMismatches",
  "notFinal",
  "lostUnexplained",
  "ackLost",
  "phantomAcks",
  "auditMissing",
  "unexplainedCalls",
  "injectionReached",
  "malformedEffects",
] as const;

/** Failed check names with their counts, plus infrastructure problems; empty = pass. */
export function soakProblems(report: SoakReport): string[] {
  const out: string[] = [];
  for (const k of FAILING_CHECKS) if (report.checks[k].length > 0) out.push(`${k}: ${report.checks[k].length}`);
  if (report.ivr.stillServing === false) out.push("IVR server stopped serving after the abuse");
  if (report.checks.maliciousInputs.some((l) => l.includes("ACCEPTED"))) out.push("malicious contact name accepted");
  // Campaign retries are new Call rows, so campaigns have at least one call per target; the rest exactly as planned.
  const p = report.planned;
  const k = report.byKind;
  if ((k.campaign ?? 0) < p.campaign) out.push(`campaign calls ${k.campaign ?? 0} < ${p.campaign} targets`);
  if ((k.wakeup ?? 0) < p.wakeup) out.push(`wake-up calls ${k.wakeup ?? 0} < ${p.wakeup} bookings`);
  if ((k.pa ?? 0) !== p.pa || (k.click ?? 0) !== p.click)
    out.push(`calls in database ${JSON.stringify(k)} ≠ planned ${JSON.stringify(p)}`);
  return out;
}

/** The human report: counts of every check, the faults injected, then up to 5 examples of each failure. */
export function formatSoakReport(report: SoakReport): string {
  const lines: string[] = [];
  const p = report.planned;
  lines.push(
    `Soak on ${report.provider} — ${report.workers} worker process(es), hosts ${report.hosts.join(" + ")}, ${(report.elapsedMs / 1000).toFixed(0)} s`,
    `Load: ${p.total} calls planned = campaign ${p.campaign} contacts + PA ${p.pa} + click-to-call ${p.click} + wake-up ${p.wakeup}`,
    `Calls made: ${Object.values(report.byKind).reduce((n, c) => n + c, 0)} (${Object.entries(report.byKind)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}; campaign and wake-up retries are new calls)`,
    `By state: ${Object.entries(report.byState)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `Simulator: ${report.simulator.dials} dials, ${report.simulator.answered} answered, ${report.simulator.archived} files archived, peak ${report.simulator.peakActive} channels, ${report.simulator.restarts} restart(s)`,
    `IVR: ${report.ivr.sessions} connections accepted, ${report.ivr.abusiveConnections} abusive, ${report.ivr.authFailedAudited} ivr.auth_failed audited, ${report.ivr.earlyDigitChannels} session(s) with a 1 pressed before anything played, still serving: ${report.ivr.stillServing ? "yes" : "NO"}`,
    `Workers: ${report.workerExits.killed} SIGKILLed on purpose, ${report.workerExits.unexpected.length} unexpected exit(s); ${report.burntSequenceNumbers} claim(s) that wrote no file (sequence number burnt, never reused)`,
    "Faults:",
    ...report.faults.map((f) => `  @${f.atFinal} final  ${f.fault}: ${f.detail}`),
    "Malicious input:",
    ...report.checks.maliciousInputs.map((l) => `  ${l}`),
    "Checks:",
  );
  const label: Record<keyof SoakReport["checks"], string> = {
    duplicateDials: "same file attempt dialled twice",
    reusedFileNames: "file names reused",
    extraFiles: "calls with more than one file",
    attemptMismatches: "attempts recorded ≠ attempts dialled",
    notFinal: "calls not in a final state",
    lostExplained: "lost, flagged with reason (file forgotten or archive deleted by Asterisk)",
    redialledAfterCrash: "attempts re-dialled by the Asterisk restarted after its crash",
    lostPending: "file forgotten by Asterisk, lost detection still due",
    lostUnexplained: "lost without explanation",
    ackLost: "acknowledgements lost",
    phantomAcks: "acknowledgements nobody gave",
    auditMissing: "audit events missing",
    unexplainedCalls: "unexplained calls (no Call row)",
    injectionReached: "files carrying the injected application",
    maliciousInputs: "malicious inputs tried",
    malformedEffects: "calls changed by malformed archives",
    malformedNotes: "timeline notes about malformed archives",
  };
  for (const k of Object.keys(label) as Array<keyof SoakReport["checks"]>) {
    const failing = (FAILING_CHECKS as readonly string[]).includes(k);
    const n = report.checks[k].length;
    lines.push(`  ${String(n).padStart(6)}  ${label[k]}${failing ? (n === 0 ? "  ok" : "  FAIL") : ""}`);
  }
  for (const k of [...FAILING_CHECKS, "malformedNotes" as const])
    for (const ex of report.checks[k].slice(0, 5)) lines.push(`  ${k}: ${ex}`);
  for (const u of report.workerExits.unexpected.slice(0, 5)) lines.push(`  unexpected worker exit: ${u}`);
  if (report.diagnostics.length > 0) lines.push("Diagnostics:", ...report.diagnostics.map((d) => `  ${d}`));
  const problems = soakProblems(report);
  lines.push(problems.length === 0 ? "RESULT: PASS" : `RESULT: FAIL (${problems.join("; ")})`);
  return lines.join("\n");
}
