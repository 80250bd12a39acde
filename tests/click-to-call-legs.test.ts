/**
 * Click-to-call end to end: engine + simulator (with Dial) + IVR server + database. In
 * dialplan mode the snippet's click context reports the desk phone's answer and then the
 * contact leg (DIALSTATUS, ANSWEREDTIME) from its `h` extension, so the toast can say "Contact
 * busy" or "Connected to …". In direct mode the same calls never say "Connected".
 */
import { describe, expect, it } from "vitest";
import { enqueueCalls } from "@/lib/engine/calls";
import { serializeCallScript } from "@/lib/ivr/scripts";
import { getClickCallStatus, type ClickCallStatus } from "@/lib/calls/click-to-call";
import { getCallDetail } from "@/lib/results/get-call";
import { usePbxRig } from "./support/pbx-rig";
import type { TestDb } from "./support/test-db";

const DESK = "PJSIP/2001";
const pbx = usePbxRig();

const CALLEES = [
  // The desk phone answers quickly and stays on the line until the other side ends the call.
  { exact: DESK, behaviour: { kind: "answer" as const, after: 0.3, dtmf: [], hangupAfter: 30 } },
  { prefix: "+1555004", behaviour: { kind: "busy" as const, after: 0.3 } },
  { prefix: "+1555005", behaviour: { kind: "answer" as const, after: 0.5, dtmf: [], hangupAfter: 1.6 } },
  { prefix: "+1555006", behaviour: { kind: "congestion" as const, after: 0.2 } },
];

/** A host of the given mode with the simulator, the IVR server and the engine running. */
async function setup(ivrMode: "dialplan" | "direct") {
  const { db, host, engine } = await pbx.start({
    ivrMode,
    callees: CALLEES,
    // The PBX's own outbound context: the trunk. Direct mode dials the contact straight from it.
    outbound: {
      context: "from-internal",
      dialplan: ["[from-internal]", "exten => _+X.,1,Dial(PJSIP/${EXTEN})", " same => n,Hangup()", ""].join("\n"),
    },
  });
  const place = async (destination: string, displayName: string) =>
    (
      await enqueueCalls(db, [
        {
          kind: "click",
          hostId: host.id,
          destination,
          displayName,
          channel: DESK,
          scriptJson: serializeCallScript({ kind: "click" }),
          maxRetries: 0,
          waitTime: 10,
        },
      ])
    )[0]!;
  return { db, place, engine };
}

/** Polls the toast status as the browser does, until final; returns every text it showed. */
async function follow(db: TestDb["db"], callId: string): Promise<ClickCallStatus[]> {
  const seen: ClickCallStatus[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await getClickCallStatus(db, callId);
    // As the toast does: a change of words, or the same words turning final.
    const last = seen.at(-1);
    if (last?.text !== s.text || last.final !== s.final || last.phase !== s.phase) seen.push(s);
    if (s.final) return seen;
    if (Date.now() > deadline) throw new Error(`click call still open: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("click-to-call legs with the simulator", () => {
  it("dialplan mode: a busy contact ends 'Contact busy', an answering one 'Connected', with the desk answer on the call", async () => {
    const { db, place, engine } = await setup("dialplan");
    const busy = await place("+15550040001", "Bea");
    const answers = await place("+15550050001", "Cal");
    const congested = await place("+15550060001", "Dee");
    engine.start();
    const [b, a, c] = await Promise.all([follow(db, busy), follow(db, answers), follow(db, congested)]);

    expect(b.at(-1)).toMatchObject({ phase: "failed", final: true, text: "Contact busy: Bea (+15550040001)" });
    expect(b.some((s) => /Connected/.test(s.text))).toBe(false);
    expect(c.at(-1)!.text).toBe("Contact could not be reached: Dee (+15550060001) (network congestion)");
    const last = a.at(-1)!;
    expect(last).toMatchObject({ phase: "ended", final: true });
    // The desk answered at 0.3 s, the contact at +0.5 s and hung up 1.6 s later: up about 2 s.
    expect(last.text).toMatch(/^Connected to Cal \(\+15550050001\) \(call lasted 0:0[12]\); call ended$/);

    // The call page: Answered is filled, and the contact leg is on the timeline in order.
    const detail = await getCallDetail(db, busy);
    expect(detail.call.answeredAt).not.toBeNull();
    expect(detail.contactLeg).toMatchObject({ status: "BUSY", seconds: null });
    const types = detail.timeline.map((e) => e.type);
    expect(types.indexOf("spooled")).toBeLessThan(types.indexOf("ivr.connected"));
    expect(types.indexOf("ivr.connected")).toBeLessThan(types.indexOf("contact.dial"));
    const answered = await getCallDetail(db, answers);
    expect(answered.timeline.find((e) => e.type === "contact.dial")?.detail).toMatch(/^ANSWER,[12]$/);
  }, 90_000);

  it("direct mode: the toast never says Connected; the other leg is not visible", async () => {
    const { db, place, engine } = await setup("direct");
    const busy = await place("+15550040002", "Bea");
    const answers = await place("+15550050002", "Cal");
    engine.start();
    const [b, a] = await Promise.all([follow(db, busy), follow(db, answers)]);
    for (const s of [...b, ...a]) expect(s.text).not.toMatch(/Connected/);
    for (const end of [b.at(-1)!, a.at(-1)!]) {
      expect(end).toMatchObject({ phase: "unknown", final: true });
      expect(end.text).toMatch(/The other leg is not visible in direct IVR mode\.$/);
    }
    // The archive's Completed is the desk phone's answer: the Answered field shows it.
    expect((await getCallDetail(db, busy)).call.answeredAt).not.toBeNull();
  }, 90_000);
});
