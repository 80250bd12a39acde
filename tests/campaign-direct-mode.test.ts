/**
 * A campaign in direct IVR mode, through the engine and the simulator: Asterisk reports no
 * REASON there, so a congested call ends "expired" (reason unknown). With only no-answer
 * retries chosen it is not retried (the issue: congestion and hang-ups before answering were
 * retried as no answer); with "reason unknown (direct IVR mode)" chosen it is.
 */
import { describe, expect, it } from "vitest";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { startCampaign } from "@/lib/campaigns/start-campaign";
import { tickCampaign } from "@/lib/campaigns/campaign-scheduler";
import type { RetryOutcome } from "@/lib/campaigns/campaign.schema";
import type { AuditActor } from "@/lib/audit/record-audit";
import { usePbxRig } from "./support/pbx-rig";

const pbx = usePbxRig();

const actor: AuditActor = { type: "system", id: null, name: "test" };

async function congestedCampaign(retryOn: RetryOutcome[]) {
  const { db, host, engine } = await pbx.start({
    ivrMode: "direct",
    // No IVR server is needed: a congested call never reaches ExternalIVR.
    noIvrServer: true,
    hostOverrides: { isDefault: true },
    callees: [{ prefix: "+1555", behaviour: { kind: "congestion", after: 0.2 } }],
  });
  const audio = await db.audioMessage.create({ data: { name: "Reminder", soundName: "spoolcast/reminder", durationMs: 1000 } });
  // The message is on the host (a campaign on an undelivered message is refused before it starts).
  await db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
  const contact = await db.contact.create({
    data: { name: "Ada", nameKey: "ada", phones: { create: [{ destination: "+15550000001", position: 0 }] } },
  });
  const { id } = await createCampaign(
    db,
    { name: "Direct", contactIds: [contact.id], audioId: audio.id, retryCount: 2, retryIntervalSec: 5, retryOn },
    actor,
  );
  await startCampaign(db, { id }, actor, new Date());
  engine.start();
  // The scheduler's part, every 200 ms, until the target is done or has been called twice.
  const deadline = Date.now() + 30_000;
  for (;;) {
    await tickCampaign(db, id, new Date());
    const target = await db.campaignTarget.findFirstOrThrow({ where: { campaignId: id } });
    const calls = await db.call.findMany({ where: { campaignId: id }, orderBy: { createdAt: "asc" } });
    if (target.status === "done" || calls.length >= 2 || Date.now() > deadline) return { target, calls };
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("a direct-mode campaign whose callee's network is congested", () => {
  it("with only no-answer retries: one call, expired (reason unknown), not retried", async () => {
    const { target, calls } = await congestedCampaign(["no-answer"]);
    expect(calls.map((c) => [c.state, c.reason])).toEqual([
      ["expired", "not reached after 1 attempt; Asterisk reported no reason (direct IVR mode)"],
    ]);
    expect(target).toMatchObject({ status: "done", outcome: "expired", attempts: 1 });
  }, 60_000);

  it("with 'reason unknown (direct IVR mode)' chosen: retried", async () => {
    const { target, calls } = await congestedCampaign(["no-answer", "expired"]);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.state).toBe("expired");
    expect(target.attempts).toBe(2);
  }, 60_000);
});
