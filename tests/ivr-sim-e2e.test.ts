/**
 * End to end with the bundled Asterisk simulator (lib/asterisk-sim): call files in its spool,
 * its dialplan loaded from Spoolcast's generated snippet, its ExternalIVR connecting to the
 * IVR server. The simulator runs in virtual time; the IVR server on real timers.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import pino from "pino";
import { makeTestSpool, moveIn, startVirtualSim } from "@/lib/asterisk-sim/testing/harness";
import type { CalleeRule } from "@/lib/asterisk-sim/callees";
import { startIvrServer } from "@/lib/ivr/server";
import { createMemoryStore, type IvrCallInfo } from "@/lib/ivr/store";
import { buildCallScript } from "@/lib/ivr/scripts";
import { signCallToken } from "@/lib/ivr/token";
import { renderDialplanSnippet } from "@/lib/ivr/dialplan";
import { SYSTEM_SOUNDS } from "@/lib/ivr/system-prompts";
import { waitFor } from "./support/wait-for";

const SECRET = "e2e-secret-".padEnd(40, "y");
const MSG = "spoolcast/audio/storm-warning";
const START = 1_800_000_000_000;

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.toReversed()) await fn();
  cleanup = [];
});

const CALLEES: CalleeRule[] = [
  // Hears the 2 s message and the 1 s prompt, then confirms.
  { exact: "100", behaviour: { kind: "answer", after: 0.5, dtmf: [{ at: 4.5, digits: "1" }], hangupAfter: 60 } },
  // Hangs up 1 s into the message.
  { exact: "150", behaviour: { kind: "answer", after: 0.5, dtmf: [], hangupAfter: 1 } },
  { exact: "200", behaviour: { kind: "no-answer" } },
  { exact: "300", behaviour: { kind: "busy", after: 0.2 } },
  { exact: "500", behaviour: { kind: "congestion", after: 0.2 } },
];

function info(id: string): IvrCallInfo {
  return {
    id,
    kind: "pa",
    state: "dialling",
    script: buildCallScript({ kind: "message" }),
    messageSound: MSG,
    messageDurationMs: null,
  };
}

it("places calls through the simulator: acknowledgement, mid-message hang-up and failure reasons reach the IVR server", async () => {
  const ids = ["ckack100", "ckhang150", "cknoans200", "ckbusy300", "ckcong500", "ckdirect100"];
  const store = createMemoryStore(ids.map(info));
  const server = await startIvrServer({
    listen: "127.0.0.1:0",
    secret: SECRET,
    store,
    logger: pino({ level: "silent" }),
    kickAfterMs: 100,
  });
  cleanup.push(() => server.close({ graceMs: 0 }));

  const sounds: Record<string, number> = { [MSG]: 2000 };
  for (const s of Object.values(SYSTEM_SOUNDS)) sounds[s] = 1000;
  const spool = makeTestSpool(sounds);
  cleanup.push(() => spool.cleanup());
  // The simulator reads exactly the lines an admin would paste.
  const dialplan = renderDialplanSnippet({ ivrContext: "spoolcast", ivrPublicAddress: server.address });
  const { sim, clock } = await startVirtualSim(spool, START, { dialplan, callees: CALLEES, ivrAddress: server.address });
  cleanup.push(() => sim.stop());

  const file = (id: string, callee: string, direct = false) =>
    [
      `Channel: Local/${callee}@callees`,
      ...(direct
        ? ["Application: ExternalIVR", `Data: ivr://${server.address}(${id},${signCallToken(SECRET, id)})`]
        : ["Context: spoolcast", "Extension: s"]),
      "MaxRetries: 0",
      "WaitTime: 3",
      "Archive: yes",
      `Set: SPOOLCAST_CALL=${id}`,
      `Set: SPOOLCAST_TOKEN=${signCallToken(SECRET, id)}`,
      "",
    ].join("\n");
  moveIn(spool, "spoolcast-ckack100-1.call", file("ckack100", "100"), START / 1000 - 5);
  moveIn(spool, "spoolcast-ckhang150-1.call", file("ckhang150", "150"), START / 1000 - 5);
  moveIn(spool, "spoolcast-cknoans200-1.call", file("cknoans200", "200"), START / 1000 - 5);
  moveIn(spool, "spoolcast-ckbusy300-1.call", file("ckbusy300", "300"), START / 1000 - 5);
  moveIn(spool, "spoolcast-ckcong500-1.call", file("ckcong500", "500"), START / 1000 - 5);
  moveIn(spool, "spoolcast-ckdirect100-1.call", file("ckdirect100", "100", true), START / 1000 - 5);
  sim.rescan();

  const archived = (name: string) => {
    try {
      return readFileSync(path.join(spool.done, name), "latin1");
    } catch {
      return "";
    }
  };
  // Move virtual time in small steps, giving the real sockets time to talk in between.
  for (let step = 0; step < 400; step++) {
    await clock.advance(50);
    await new Promise((r) => setTimeout(r, 3));
    if (ids.every((id) => /Status: /.test(archived(`spoolcast-${id}-1.call`)))) break;
  }
  await waitFor(() => server.stats().active === 0, 5000, "all IVR sessions ended");

  for (const id of ["ckack100", "ckdirect100"]) {
    expect(store.state.acks.get(id)?.digit).toBe("1");
    expect(archived(`spoolcast-${id}-1.call`)).toMatch(/Status: Completed\n$/);
  }
  const ackTypes = store.state.events.filter((e) => e.callId === "ckack100").map((e) => e.type);
  expect(ackTypes).toEqual(expect.arrayContaining(["ivr.connected", "ivr.played", "ivr.dtmf", "ivr.acknowledged"]));

  expect(store.state.acks.has("ckhang150")).toBe(false);
  expect(store.state.events.find((e) => e.callId === "ckhang150" && e.type === "ivr.hangup")?.detail).toMatch(
    /during the message/,
  );

  const reasons = Object.fromEntries(store.state.failures.map((f) => [f.callId, f.reason]));
  expect(reasons).toEqual({ cknoans200: 3, ckbusy300: 5, ckcong500: 8 });
  for (const id of ["cknoans200", "ckbusy300", "ckcong500"])
    expect(archived(`spoolcast-${id}-1.call`)).toMatch(/Status: Expired\n$/);
  expect(store.state.authFailures).toEqual([]);
}, 60_000);
