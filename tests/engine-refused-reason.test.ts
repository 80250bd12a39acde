/**
 * A call the engine refuses to write (the call-file serializer rejects a field at dispatch, as a
 * caller ID queued under the looser rule of an older version did: issue 22, finding 5) ends
 * "Could not be placed" with the serializer's reason, on the PA board row, the campaign target
 * and the wake-up occurrence: never `lost`, never an empty reason, never "did not answer".
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./support/test-db";
import { waitFor } from "./support/wait-for";
import type { AuditActor } from "@/lib/audit/record-audit";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { describeOutcome } from "@/lib/calls/outcome-words";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { runCampaignPass } from "@/lib/campaigns/campaign-scheduler";
import { getCampaignResults } from "@/lib/campaigns/get-campaign-results";
import { startCampaign } from "@/lib/campaigns/start-campaign";
import { createEngine } from "@/lib/engine/engine";
import { openHostTransport } from "@/lib/engine/host-transport";
import { resetEnvForTests } from "@/lib/env";
import { getPaBoard } from "@/lib/pa/get-pa-board";
import { launchPa } from "@/lib/pa/launch-pa";
import { createWakeUp } from "@/lib/wakeups/create-wakeup";
import { listWakeUpAlerts } from "@/lib/wakeups/list-wakeups";
import { runWakeUpTick } from "@/lib/wakeups/wakeup-scheduler";
import { alertSentence, occurrenceBadge } from "@/lib/wakeups/wakeup-words";

const SECRET = "engine-refused-".padEnd(40, "x");
const REFUSED = /^Spoolcast refused to write the call file: /;
const actor: AuditActor = { type: "user", id: null, name: "desk" };
let t: TestDb;
let root: string;
let seeded: { audioId: string; groupId: string };

beforeAll(async () => {
  t = await createTestDb("sqlite");
  root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-refused-"));
  const spoolDir = path.join(root, "spool");
  mkdirSync(path.join(spoolDir, "outgoing"), { recursive: true });
  Object.assign(process.env, { ASTERISK_SOUNDS_DIR: root, SPOOLCAST_DATA_DIR: root, SPOOLCAST_SECRET: SECRET });
  resetEnvForTests();
  const host = await t.db.asteriskHost.create({
    data: { name: "pbx", isDefault: true, spoolDir, soundsDir: root, channelTemplate: "PJSIP/{number}@trunk" },
  });
  const audio = await t.db.audioMessage.create({ data: { name: "Drill", soundName: "spoolcast/drill", durationMs: 3000 } });
  await t.db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
  const group = await t.db.contactGroup.create({ data: { name: "Staff" } });
  await t.db.contact.create({
    data: {
      name: "Alice",
      nameKey: "alice",
      phones: { create: [{ destination: "+15550000001", position: 0 }] },
      groups: { create: [{ groupId: group.id }] },
    },
  });
  seeded = { audioId: audio.id, groupId: group.id };
}, 60_000);

afterAll(async () => {
  for (const k of ["ASTERISK_SOUNDS_DIR", "SPOOLCAST_DATA_DIR", "SPOOLCAST_SECRET"]) Reflect.deleteProperty(process.env, k);
  resetEnvForTests();
  await t?.drop();
  if (root) rmSync(root, { recursive: true, force: true });
});

it("a call the serializer refuses shows why on the PA board, the campaign target and the wake-up", async () => {
  const { audioId, groupId } = seeded;
  const now = new Date();
  const pa = await launchPa(t.db, { groupIds: [groupId], audioId }, actor);
  const campaign = await createCampaign(t.db, { name: "Drill", groupIds: [groupId], audioId } as never, actor);
  await startCampaign(t.db, { id: campaign.id }, actor, now);
  await runCampaignPass(t.db, now);
  const local = new Date(now.getTime() + 60_000).toISOString().slice(11, 16);
  const wake = await createWakeUp(
    t.db,
    { room: "101", localTime: local, timeZone: "UTC", startDate: now.toISOString().slice(0, 10) } as never,
    actor,
    now,
  );
  await runWakeUpTick(t.db, now, { soundStoreDir: path.join(root, "audio") });
  // Queued under an older, looser rule: a caller ID with a line separator the serializer refuses.
  const queued = await t.db.call.updateMany({ where: { state: "queued" }, data: { callerId: '"Front\u2028desk" <100>' } });
  expect(queued.count).toBe(3);

  const engine = createEngine({
    db: t.db,
    provider: "sqlite",
    secret: SECRET,
    ivrPublicAddress: "127.0.0.1:2949",
    transportFor: openHostTransport,
    serialize: serializeCallFile,
    parse: parseCallFile,
    pollMs: 50,
    lookAheadMs: 5 * 60_000,
  });
  engine.start();
  try {
    await waitFor(async () => (await t.db.call.count({ where: { state: "failed" } })) === 3, 30_000, "the three calls to fail");
  } finally {
    await engine.stop();
  }
  for (const call of await t.db.call.findMany()) {
    expect({ kind: call.kind, state: call.state, spooled: call.spooledAt }).toEqual({
      kind: call.kind,
      state: "failed",
      spooled: null,
    });
    expect(call.reason).toMatch(REFUSED);
    expect(call.reason).toContain("callerId");
  }

  const board = await getPaBoard(t.db, pa.broadcastId);
  const row = board.recipients[0]!;
  expect(row).toMatchObject({ state: "failed", callState: "failed", final: true });
  expect(row.reason).toMatch(REFUSED);
  const words = describeOutcome({ state: row.callState, kind: "pa", reason: row.reason });
  expect(words.label).toBe("Could not be placed");
  expect(words.detail).toMatch(REFUSED);

  await runCampaignPass(t.db, new Date());
  const results = await getCampaignResults(t.db, campaign.id);
  const target = results.targets[0]!;
  expect(target).toMatchObject({ status: "done", outcome: "failed", outcomeLabel: "Could not be placed" });
  expect(target.outcomeDetail).toMatch(REFUSED);

  await runWakeUpTick(t.db, new Date(), { soundStoreDir: path.join(root, "audio") });
  const occurrence = await t.db.wakeUpOccurrence.findFirstOrThrow({ where: { wakeUpId: wake.id } });
  expect(occurrence).toMatchObject({ state: "missed", outcome: "not-placed" });
  expect(occurrenceBadge(occurrence as never).label).toBe("Could not be placed");
  const banner = (await listWakeUpAlerts(t.db)).find((a) => a.wakeUpId === wake.id)!;
  expect(alertSentence(banner)).toMatch(/^Room 101 was not called for the .* wake-up \(could not be placed\)/);
  const alert = await t.db.auditEvent.findFirstOrThrow({ where: { action: "wakeup.missed", targetId: wake.id } });
  expect(alert.summary).not.toMatch(/did not answer/);
  expect(alert.summary).toMatch(
    /^Room 101 was not called: the .* wake-up could not be placed: Spoolcast refused to write the call file: /,
  );
}, 90_000);
