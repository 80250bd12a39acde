/**
 * golden ivr/failed-extension-reports-reason.log: a Context/Extension call file whose context
 * has `failed => ExternalIVR(...(failed,${MYVAR},${REASON}),n)` connects once per failed
 * attempt; the P reply carries the substituted REASON (5 busy, 8 congestion, 3 no answer) and
 * `H,...` gets `H,<ts>`. The archived files are expired-busy/-congestion/-no-answer.call.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { GOLDEN_DIR, type TestSpool, makeTestSpool, moveIn, startVirtualSim } from "@/lib/asterisk-sim/testing/harness";
import { decodePyBytes } from "@/lib/asterisk-sim/testing/ivr-log";

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.toReversed()) await fn();
  cleanup = [];
});

async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

it("the failed extension reports each REASON to the IVR server, as a real Asterisk does", async () => {
  const golden = readFileSync(path.join(GOLDEN_DIR, "ivr", "failed-extension-reports-reason.log"), "latin1")
    .split("\n")
    .filter((l) => l.trim() !== "");
  const sessions: Array<{ p: string; h: string }> = [];
  const server = net.createServer((s) => {
    cleanup.push(() => s.destroy());
    const session = { p: "", h: "" };
    sessions.push(session);
    let buf = "";
    s.on("data", (d) => {
      buf += d.toString("latin1");
      if (!session.p && buf.includes("\n")) {
        session.p = buf.slice(0, buf.indexOf("\n") + 1);
        buf = "";
        s.write("H,done\n");
      } else if (session.p && buf.includes("\n")) session.h = buf;
    });
    s.on("error", () => {});
    s.write("P,x\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  cleanup.push(() => new Promise((r) => server.close(r)));

  const spool: TestSpool = makeTestSpool();
  cleanup.push(() => spool.cleanup());
  const dialplan = [
    "[rtest]",
    "exten => s,1,NoOp()",
    `exten => failed,1,ExternalIVR(ivr://127.0.0.1:${port}(failed,\${MYVAR},\${REASON}),n)`,
    "[rtestd]",
    "exten => s,1,NoOp()",
    `exten => failed,1,ExternalIVR(ivr://127.0.0.1:${port}(failedd,\${MYVAR},\${REASON}),nd)`,
  ].join("\n");
  const startSeconds = 1795452820;
  const { sim, clock } = await startVirtualSim(spool, startSeconds * 1000 + 300, { dialplan, pid: 7955 });
  cleanup.push(() => sim.stop());
  for (const ctx of ["rtest", "rtestd"]) {
    for (const callee of ["300", "500", "200"]) {
      const name = `${ctx}-${callee}.call`;
      const body = [
        `Channel: Local/${callee}@callees`,
        `Context: ${ctx}`,
        "Extension: s",
        "MaxRetries: 0",
        "WaitTime: 3",
        "Archive: yes",
        `Set: MYVAR=call-${ctx}-${callee}`,
        "",
      ];
      moveIn(spool, name, body.join("\n"), startSeconds - 10);
    }
  }
  sim.rescan();
  // Busy and congestion fail within the first second, no answer after WaitTime (3 s).
  await clock.advance(500);
  await until(() => sessions.filter((s) => s.h).length === 4, "four failed-extension sessions");
  await clock.advance(2600);
  await until(() => sessions.filter((s) => s.h).length === 6, "six failed-extension sessions");
  await clock.advance(2000);

  const norm = (s: string) => s.replaceAll(`ivr://127.0.0.1:${port}`, "ivr://127.0.0.1:2951");
  const expectedP = golden
    .filter((l) => l.startsWith("b'P"))
    .map(decodePyBytes)
    .sort();
  const expectedH = golden
    .filter((l) => l.startsWith("after H: "))
    .map((l) => decodePyBytes(l.slice(9)))
    .sort();
  expect(sessions.map((s) => norm(s.p)).sort()).toEqual(expectedP);
  expect(sessions.map((s) => s.h).sort()).toEqual(expectedH);

  for (const [callee, archived] of [
    ["300", "expired-busy.call"],
    ["500", "expired-congestion.call"],
    ["200", "expired-no-answer.call"],
  ]) {
    expect(readFileSync(path.join(spool.done, `rtest-${callee}.call`), "latin1")).toBe(
      readFileSync(path.join(GOLDEN_DIR, "spool", archived!), "latin1"),
    );
  }
});
