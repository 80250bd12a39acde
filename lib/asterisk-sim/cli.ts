/**
 * `npm run asterisk-sim -- --spool DIR [--sounds DIR] [--ivr HOST:PORT] [--seed N] [--speed X]
 *  [--callees FILE] [--dialplan FILE] [--pid N] [--trunk N] [--cdr FILE] [--forget-rate P]
 *  [--slow-disk MS] [--ivr-unreachable] [--crash-after S] [--no-core-sounds]`
 * Plays Asterisk on a spool directory until SIGINT/SIGTERM. Without --dialplan, the
 * Spoolcast dialplan snippet is loaded with the --ivr address (default 127.0.0.1:2949).
 * --crash-after S kills the simulated Asterisk every S simulated seconds and restarts it with
 * the next pid, leaving its files behind (AbortRetry on restart, docs/asterisk.md#attempts-and-retry-lines).
 * --no-core-sounds plays a PBX installed without Asterisk's core sounds: no `silence/*` file
 * exists, so ExternalIVR's generator (which plays silence/10 whenever its playlist is empty)
 * fails as soon as ExternalIVR starts and is removed. Nothing is played for the rest of that
 * session: `S`/`A` of an existing file are accepted (no `Z`) but never play, no `F` event
 * comes, and a later `S`, `I` or autoclear key reports the unplayed files with `D`. A sound
 * missing from --sounds is answered `Z` with Asterisk's "Unknown file requested" warning.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { RealClock } from "./clock";
import { type SimOptions, type Simulator, readTextFile, startSimulator } from "./index";

function fail(message: string): never {
  console.error(`asterisk-sim: ${message}`);
  process.exit(2);
}

function numberFlag(name: string, value: string | undefined, check: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) fail(`--${name}: invalid value "${value}"`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        spool: { type: "string" },
        sounds: { type: "string" },
        ivr: { type: "string" },
        seed: { type: "string" },
        speed: { type: "string" },
        callees: { type: "string" },
        dialplan: { type: "string" },
        pid: { type: "string" },
        trunk: { type: "string" },
        cdr: { type: "string" },
        "forget-rate": { type: "string" },
        "slow-disk": { type: "string" },
        "ivr-unreachable": { type: "boolean" },
        "crash-after": { type: "string" },
        "no-core-sounds": { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    console.log(readTextFile(new URL(import.meta.url).pathname).split("*/")[0]);
    return;
  }
  if (!values.spool) fail("--spool DIR is required (the directory holding outgoing/ and outgoing_done/)");
  const ivr = values.ivr ?? "127.0.0.1:2949";
  if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(ivr)) fail(`--ivr: must be HOST:PORT, got "${ivr}"`);
  const spoolDir = path.resolve(values.spool);
  const speed = numberFlag("speed", values.speed, (n) => n > 0) ?? 1;
  const opts: SimOptions = {
    // One clock for the whole run, so a restart after --crash-after continues the same time line.
    clock: new RealClock(speed),
    spoolDir,
    soundsDir: path.resolve(values.sounds ?? path.join(spoolDir, "..", "sounds")),
    coreSounds: !values["no-core-sounds"],
    seed: numberFlag("seed", values.seed, Number.isInteger),
    speed,
    pid: numberFlag("pid", values.pid, (n) => Number.isInteger(n) && n > 0) ?? process.pid,
    trunkCapacity: numberFlag("trunk", values.trunk, (n) => Number.isInteger(n) && n > 0),
    cdrFile: path.resolve(values.cdr ?? path.join(spoolDir, "cdr-csv", "Master.csv")),
    callees: values.callees ? path.resolve(values.callees) : undefined,
    dialplan: values.dialplan ? readTextFile(values.dialplan) : undefined,
    ivrAddress: ivr,
    faults: {
      forget: numberFlag("forget-rate", values["forget-rate"], (n) => n >= 0 && n <= 1),
      slowDiskMs: numberFlag("slow-disk", values["slow-disk"], (n) => n >= 0),
      ivrUnreachable: values["ivr-unreachable"] ?? false,
    },
    logger: {
      info: (m) => console.log(`${new Date().toISOString()} ${m}`),
      warn: (m) => console.log(`${new Date().toISOString()} WARNING ${m}`),
      error: (m) => console.log(`${new Date().toISOString()} ERROR ${m}`),
    },
  };
  const crashAfter = numberFlag("crash-after", values["crash-after"], (n) => n > 0);
  let sim: Simulator;
  const boot = async (pid: number): Promise<Simulator> => {
    let started: Simulator;
    try {
      started = await startSimulator({ ...opts, pid });
    } catch (err) {
      fail((err as Error).message);
    }
    started.on("call", (e) =>
      console.log(
        `${new Date().toISOString()} call ${e.file} attempt ${e.attempt} ${e.channel}: ${e.outcome}${e.reason !== undefined ? ` (REASON ${e.reason})` : ""} [${e.behaviour}]`,
      ),
    );
    started.on("removed", (e) =>
      console.log(
        `${new Date().toISOString()} ${e.file}: Status ${e.status}${e.archivedTo ? ` → ${e.archivedTo}` : " (deleted)"}`,
      ),
    );
    console.log(
      `asterisk-sim: pid ${started.pid}, spool ${spoolDir}, sounds ${opts.soundsDir}${opts.coreSounds ? "" : " (no core sounds)"}, speed ${opts.speed ?? 1}, IVR ${ivr}`,
    );
    if (crashAfter) {
      // Fault injection: die like kill -9 mid-call, then come back as a new Asterisk process.
      setTimeout(
        () => {
          console.log(`asterisk-sim: crashing pid ${started.pid} (--crash-after ${crashAfter})`);
          started.crash();
          void boot(started.pid + 1).then((next) => (sim = next));
        },
        (crashAfter * 1000) / (opts.speed ?? 1),
      );
    }
    return started;
  };
  sim = await boot(opts.pid!);
  const shutdown = (signal: string) => {
    console.log(`asterisk-sim: ${signal}, stopping`);
    void sim.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

void main();
