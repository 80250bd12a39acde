/**
 * A scripted IVR server for simulator tests: one call file whose dialplan runs ExternalIVR
 * against a TCP server the test controls, with the simulator in virtual time. The test writes
 * raw bytes (to reproduce Asterisk's line framing exactly) and reads back every event line.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import type { Simulator, SimOptions } from "../index";
import type { VirtualClock } from "../clock";
import { type TestSpool, makeTestSpool, moveIn, startVirtualSim } from "./harness";

/** Connect time of every session: x.600 s, so DTMF 1.2 s after answer lands in the next second. */
export const IVR_CONNECT_MS = 1_800_000_000_600;

export type IvrTestSession = {
  sim: Simulator;
  clock: VirtualClock;
  spool: TestSpool;
  /** Every simulator log message, in order. */
  logs: string[];
  /** The same, with the level (`warning`, `notice`, `error`, `verbose`, `debug`). */
  logEntries: Array<{ level: string; message: string }>;
  /** Event lines received from the simulator so far, without newlines. */
  received: () => string[];
  /** The simulator closed its side. */
  eof: () => boolean;
  /** Writes bytes as one write and waits until the simulator has handled the socket wake-up. */
  send: (bytes: string) => Promise<void>;
  /** Closes the server's side (shutdown, as the recorded server did) and waits for the wake-up. */
  close: () => Promise<void>;
  /** Advances virtual time to `offsetMs` after connect. */
  at: (offsetMs: number) => Promise<void>;
  /** The `%10d` timestamp Asterisk writes at `offsetMs` after connect. */
  ts: (offsetMs: number) => string;
  /** `Status:` of the archived call file, or null while it is not archived. */
  status: () => string | null;
};

export type IvrSessionSetup = {
  /** Callee of the golden table (`Local/<n>@callees`); default 100. */
  callee?: string;
  /** ExternalIVR options letters, e.g. `n`, `i`, `d`. */
  ivrOptions?: string;
  /** Use `Application: ExternalIVR` instead of a dialplan context. */
  application?: boolean;
  /** Extra simulator options (e.g. `coreSounds: false`). */
  sim?: Partial<SimOptions>;
};

export async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Opens a session; every resource it makes is handed to `onCleanup` (run them in reverse). */
export async function openIvrSession(setup: IvrSessionSetup, onCleanup: (fn: () => unknown) => void): Promise<IvrTestSession> {
  let socket: net.Socket | undefined;
  let data = "";
  let ended = false;
  const server = net.createServer((s) => {
    socket = s;
    onCleanup(() => s.destroy());
    s.on("data", (d) => (data += d.toString("latin1")));
    s.on("end", () => (ended = true));
    s.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  onCleanup(() => new Promise((r) => server.close(r)));
  const spool = makeTestSpool();
  onCleanup(() => spool.cleanup());
  const target = `ivr://127.0.0.1:${port}(a,b)${setup.ivrOptions ? `,${setup.ivrOptions}` : ""}`;
  const dialplan = `[t]\nexten => s,1,ExternalIVR(${target})\nsame => n,NoOp(after ivr)\n`;
  const { sim, clock } = await startVirtualSim(spool, IVR_CONNECT_MS - 100, { dialplan, ...setup.sim });
  onCleanup(() => sim.stop());
  const logEntries: Array<{ level: string; message: string }> = [];
  const logs: string[] = [];
  sim.on("log", (e) => {
    logEntries.push(e);
    logs.push(e.message);
  });
  let wakes = 0;
  sim.on("ivr-wake", () => wakes++);
  const body = setup.application
    ? `Channel: Local/${setup.callee ?? "100"}@callees\nApplication: ExternalIVR\nData: ${target}\nArchive: yes\n`
    : `Channel: Local/${setup.callee ?? "100"}@callees\nContext: t\nExtension: s\nArchive: yes\n`;
  moveIn(spool, "c.call", body, Math.floor(IVR_CONNECT_MS / 1000) - 10);
  sim.rescan();
  await clock.advanceTo(IVR_CONNECT_MS);
  await until(() => socket !== undefined, "connect");
  const afterWake = async (before: number, what: string) => {
    await until(() => wakes > before, what);
    // Let the event lines written during the wake-up reach the test's socket.
    await new Promise((r) => setTimeout(r, 20));
  };
  return {
    sim,
    clock,
    spool,
    logs,
    logEntries,
    received: () => data.split("\n").filter((l) => l !== ""),
    eof: () => ended,
    send: async (bytes) => {
      const before = wakes;
      socket!.write(Buffer.from(bytes, "latin1"));
      await afterWake(before, `wake for ${JSON.stringify(bytes.slice(0, 30))}`);
    },
    close: async () => {
      const before = wakes;
      socket!.end();
      await afterWake(before, "wake for the server's close");
    },
    at: (offsetMs) => clock.advanceTo(IVR_CONNECT_MS + offsetMs),
    ts: (offsetMs) => String(Math.floor((IVR_CONNECT_MS + offsetMs) / 1000)),
    status: () => {
      try {
        return /Status: (\w+)/.exec(readFileSync(`${spool.done}/c.call`, "latin1"))?.[1] ?? null;
      } catch {
        return null;
      }
    },
  };
}
