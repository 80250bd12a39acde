/**
 * Engine + simulator + IVR server together, in dialplan mode: the callee's key press reaches
 * the outcome (acknowledged), and the failed extension's ${REASON} turns Asterisk's plain
 * Expired into busy / no-answer on the timeline.
 */
import { describe, expect, it } from "vitest";
import { enqueueCalls, getCallTimeline } from "@/lib/engine/calls";
import { usePbxRig } from "./support/pbx-rig";

const pbx = usePbxRig();

describe("engine with the simulator and the IVR server", () => {
  it("records an acknowledged call and the busy / no-answer reasons of failed ones", async () => {
    const { db, host, engine } = await pbx.start({
      ivrMode: "dialplan",
      callees: [
        {
          prefix: "+1555001",
          behaviour: { kind: "answer", after: 0.5, dtmf: [2, 4, 6, 8].map((at) => ({ at, digits: "1" })), hangupAfter: 12 },
        },
        { prefix: "+1555002", behaviour: { kind: "busy", after: 0.3 } },
        { prefix: "+1555003", behaviour: { kind: "no-answer" } },
      ],
    });
    const script = JSON.stringify({ kind: "message", message: "spoolcast/system/thank-you", requireAck: true });
    const [acked, busy, noAnswer] = await enqueueCalls(db, [
      {
        kind: "campaign",
        hostId: host.id,
        destination: "+15550010001",
        requireAck: true,
        scriptJson: script,
        maxRetries: 0,
        waitTime: 5,
      },
      {
        kind: "campaign",
        hostId: host.id,
        destination: "+15550020001",
        requireAck: true,
        scriptJson: script,
        maxRetries: 1,
        retryTime: 2,
        waitTime: 5,
      },
      {
        kind: "campaign",
        hostId: host.id,
        destination: "+15550030001",
        requireAck: true,
        scriptJson: script,
        maxRetries: 0,
        waitTime: 1,
      },
    ]);
    engine.start();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const open = await db.call.count({
        where: { state: { in: ["queued", "spooled", "dialling", "retry-wait", "answered"] } },
      });
      if (open === 0) break;
      if (Date.now() > deadline)
        throw new Error(`calls still open: ${JSON.stringify(await db.call.findMany({ select: { id: true, state: true } }))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const a = await getCallTimeline(acked!, { db });
    expect([a.state, a.ackDigit, a.attempts]).toEqual(["acknowledged", "1", 1]);
    expect(a.events.map((e) => e.type)).toContain("answered");
    const b = await getCallTimeline(busy!, { db });
    expect([b.state, b.reason, b.attempts]).toEqual(["busy", "busy after 2 attempts", 2]);
    expect(b.callAttempts.map((x) => [x.n, x.reason])).toEqual([
      [1, "5"],
      [2, "5"],
    ]);
    const n = await getCallTimeline(noAnswer!, { db });
    expect([n.state, n.reason]).toEqual(["no-answer", "no answer after 1 attempt"]);
  }, 90_000);
});
