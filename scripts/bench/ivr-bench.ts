/**
 * IVR server benchmark: 2,000 concurrent fake-Asterisk sessions (tests/support/fake-asterisk.ts,
 * docs/asterisk.md#externalivr behaviour) run a whole acknowledged PA script against one server. The callers run
 * in a child process so the server's memory is measured alone.
 *
 * Reports: p99 / p50 command latency seen by Asterisk (its event or reply sent → the server's
 * next command received), the server's own command round trip (command sent → reply), and
 * memory per open session (heap and RSS growth of the server process with every session
 * connected and playing, divided by the session count).
 *
 *   npx tsx scripts/bench/ivr-bench.ts [sessions]
 */
import { fork } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import pino from "pino";
import { startIvrServer } from "@/lib/ivr/server";
import { createMemoryStore, type IvrCallInfo } from "@/lib/ivr/store";
import { buildCallScript } from "@/lib/ivr/scripts";
import { signCallToken } from "@/lib/ivr/token";
import { SYSTEM_SOUNDS } from "@/lib/ivr/system-prompts";
import { FakeAsterisk } from "@/tests/support/fake-asterisk";
import type { BenchResult } from "./types";

const SECRET = "bench-secret-".padEnd(40, "x");
const MESSAGE = "spoolcast/audio/bench-message";
const MESSAGE_MS = 6000;
const TARGET_P99_MS = 5;

type ClientReport = { latencies: number[]; acknowledged: number; failed: number; errors: string[]; loopDelayP99Ms: number };
type ChildMessage = { type: "playing"; count: number } | { type: "done"; report: ClientReport };

function callId(i: number): string {
  return `ckbench${String(i).padStart(18, "0")}`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function exposeGc(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

/** Runs the benchmark with `sessions` concurrent calls. */
export async function benchIvr(sessions = 2000): Promise<BenchResult[]> {
  const gc = exposeGc();
  const calls: IvrCallInfo[] = Array.from({ length: sessions }, (_, i) => ({
    id: callId(i),
    kind: "pa",
    state: "dialling",
    script: buildCallScript({ kind: "message", noInputTimeoutSec: 30 }),
    messageSound: MESSAGE,
    messageDurationMs: MESSAGE_MS,
  }));
  const store = createMemoryStore(calls);
  const server = await startIvrServer({
    listen: "127.0.0.1:0",
    secret: SECRET,
    store,
    logger: pino({ level: "warn" }),
    maxConnections: sessions + 100,
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  try {
    gc();
    const before = process.memoryUsage();
    loopDelay.enable();
    const child = fork(fileURLToPath(import.meta.url), ["--client", String(server.port), String(sessions)], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let during: NodeJS.MemoryUsage | null = null;
    let activeDuring = 0;
    const report = await new Promise<ClientReport>((resolve, reject) => {
      child.on("message", (m: ChildMessage) => {
        if (m.type === "playing") {
          // Every session is connected and its message is playing: the steady state to measure.
          gc();
          during = process.memoryUsage();
          activeDuring = server.stats().active;
          child.send("go");
        } else resolve(m.report);
      });
      child.on("exit", (code) => (code === 0 ? undefined : reject(new Error(`bench client exited with ${code}`))));
    });
    loopDelay.disable();
    if (report.errors.length > 0) console.error(`ivr-bench: ${report.errors.length} client errors, first: ${report.errors[0]}`);
    const mem = during ?? process.memoryUsage();
    const stats = server.stats();
    const p99 = percentile(report.latencies, 99);
    // Heap plus memory held outside it (socket buffers, Buffers): what a session costs the server.
    const heapPerSession = (mem.heapUsed + mem.external - before.heapUsed - before.external) / Math.max(1, activeDuring) / 1024;
    const rssPerSession = (mem.rss - before.rss) / Math.max(1, activeDuring) / 1024;
    return [
      {
        name: "ivr: concurrent sessions acknowledged",
        value: report.acknowledged,
        unit: "sessions",
        target: `= ${sessions}`,
        ok: report.acknowledged === sessions,
      },
      {
        name: "ivr: sessions open at once",
        value: activeDuring,
        unit: "sessions",
        target: `= ${sessions}`,
        ok: activeDuring === sessions,
      },
      {
        name: "ivr: command latency p99 in the server (event read → command written)",
        value: round(stats.reaction.p99),
        unit: "ms",
        target: `< ${TARGET_P99_MS} ms`,
        ok: stats.reaction.p99 < TARGET_P99_MS,
      },
      {
        name: "ivr: command latency p50 in the server (event read → command written)",
        value: round(stats.reaction.p50),
        unit: "ms",
      },
      // How long a line may wait in the server before being read at all (CPU starvation shows here).
      { name: "ivr: server event loop delay p99", value: round(loopDelay.percentile(99) / 1e6), unit: "ms" },
      { name: "ivr: fake Asterisk event loop delay p99", value: round(report.loopDelayP99Ms), unit: "ms" },
      // End to end across two processes: includes the callers' own event loop and OS scheduling.
      { name: "ivr: command latency p99 seen by Asterisk (event sent → command received)", value: round(p99), unit: "ms" },
      {
        name: "ivr: command latency p50 seen by Asterisk (event sent → command received)",
        value: round(percentile(report.latencies, 50)),
        unit: "ms",
      },
      { name: "ivr: command round trip p99 (server command → Asterisk reply)", value: round(stats.latency.p99), unit: "ms" },
      {
        name: "ivr: memory per open session (heap + external)",
        value: round(heapPerSession),
        unit: "KiB",
        target: "< 64 KiB",
        ok: heapPerSession < 64,
      },
      { name: "ivr: RSS per open session", value: round(rssPerSession), unit: "KiB" },
    ];
  } finally {
    await server.close({ graceMs: 0 });
  }
}

const SPREAD_MS = 3000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The child: `sessions` fake Asterisk channels, each answering like a callee who confirms. */
async function runClients(port: number, sessions: number): Promise<void> {
  const latencies: number[] = [];
  const errors: string[] = [];
  let acknowledged = 0;
  let failed = 0;
  let playing = 0;
  let released!: () => void;
  const go = new Promise<void>((r) => (released = r));
  process.on("message", (m) => m === "go" && released());
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();

  const one = async (i: number) => {
    const id = callId(i);
    const ast = await FakeAsterisk.connect(port, {
      args: [id, signCallToken(SECRET, id)],
      // The message ends only when every session has been measured playing it.
      playMs: (file) => (file === MESSAGE ? 3_600_000 : 400),
    });
    // Asterisk's view of latency: the moment it sent something the server must act on → the command.
    let waitingSince: number | null = null;
    let seen = 0;
    ast.socket.on("data", () => {
      // FakeAsterisk's own listener ran first: the commands of this chunk are already in `commands`.
      for (; seen < ast.commands.length; seen++) {
        if (waitingSince === null || /^[GL],/.test(ast.commands[seen]!)) continue;
        latencies.push(performance.now() - waitingSince);
        waitingSince = null;
      }
    });
    const expectCommand = () => {
      waitingSince = performance.now();
    };
    await ast.nextCommand(/^P,/, 60_000);
    expectCommand(); // the P reply is written synchronously when P is read
    await ast.nextCommand(new RegExp(`^S,${MESSAGE}$`), 60_000);
    playing += 1;
    if (playing === sessions) process.send!({ type: "playing", count: playing });
    await go;
    // Callers do not all act in the same millisecond: spread the events as real calls would be.
    await sleep(Math.random() * SPREAD_MS);
    expectCommand();
    ast.finishCurrent(); // F for the message → prompt
    await ast.nextCommand(new RegExp(`^S,${SYSTEM_SOUNDS.promptAckReplay}$`), 60_000);
    await sleep(200 + Math.random() * 1000);
    expectCommand();
    ast.pressDigit("1");
    await ast.nextCommand(new RegExp(`^S,${SYSTEM_SOUNDS.thanks}$`), 60_000);
    await ast.nextCommand(/^H,/, 60_000);
    await ast.ended;
    acknowledged += 1;
  };

  await Promise.all(
    Array.from({ length: sessions }, (_, i) =>
      one(i).catch((error: unknown) => {
        failed += 1;
        errors.push(String(error).slice(0, 300));
        if (playing + failed === sessions && playing < sessions) process.send!({ type: "playing", count: playing });
      }),
    ),
  );
  process.send!({
    type: "done",
    report: { latencies, acknowledged, failed, errors, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 },
  } satisfies ChildMessage);
  process.disconnect();
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === "--client") {
  await runClients(Number(process.argv[3]), Number(process.argv[4]));
} else if (isMain) {
  const results = await benchIvr(Number(process.argv[2] ?? 2000));
  for (const r of results) {
    console.log(
      `${r.ok === false ? "FAIL" : r.ok ? "ok  " : "    "} ${r.name}: ${r.value} ${r.unit}${r.target ? ` (target ${r.target})` : ""}`,
    );
  }
  process.exitCode = results.some((r) => r.ok === false) ? 1 : 0;
}
