/**
 * Results services on both providers: filters, keyset pages forwards and back with ties in
 * the sort value, offset pages, the streamed CSV export (same rows, formula cells
 * neutralised) and the per-call detail with attempts, timeline and IVR digits.
 */
import { afterEach, describe, expect, it } from "vitest";
import Papa from "papaparse";
import { listCalls, MAX_LISTED_MEMBERS } from "@/lib/results/list-calls";
import { exportCallsCsv } from "@/lib/results/export-calls";
import { getCallDetail } from "@/lib/results/get-call";
import { createTestDb, PROVIDERS, type TestDb } from "./support/test-db";

let t: TestDb | undefined;
afterEach(async () => {
  await t?.drop();
  t = undefined;
});

async function seed(test: TestDb) {
  const db = test.db;
  const host = await db.asteriskHost.create({ data: { name: "pbx", spoolDir: "/s", soundsDir: "/d" } });
  const group = await db.contactGroup.create({ data: { name: "G" } });
  const member = await db.contact.create({
    data: { name: "Member", nameKey: "member", groups: { create: [{ groupId: group.id }] } },
  });
  const base = Date.UTC(2026, 10, 1);
  const kinds = ["pa", "campaign", "wakeup", "click"];
  const states = ["acknowledged", "busy", "no-answer"];
  for (let n = 0; n < 23; n++) {
    await db.call.create({
      data: {
        id: `c${String(n).padStart(3, "0")}`,
        kind: kinds[n % 4]!,
        priority: 1,
        state: states[n % 3]!,
        hostId: host.id,
        destination: `+1212555${String(n).padStart(4, "0")}`,
        displayName: n === 7 ? '=HYPERLINK("http://x")' : `Person ${n}`,
        channel: "PJSIP/x",
        scheduledAt: new Date(base),
        // Pairs share a createdAt so keyset pages must break ties by id.
        createdAt: new Date(base + Math.floor(n / 2) * 60_000),
        endedAt: n % 5 === 0 ? null : new Date(base + n * 1000),
        contactId: n === 4 ? member.id : null,
      },
    });
  }
  return { group };
}

const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, s));

describe.each(PROVIDERS)("results on %s", (provider) => {
  it("pages forwards and back without gaps or repeats, filters, and counts", async () => {
    t = await createTestDb(provider);
    const { group } = await seed(t);
    const all: string[] = [];
    let page = await listCalls(t.db, {}, { size: 25 });
    expect(page.total).toBe(23);
    expect(page.rows).toHaveLength(23);
    // size 25 is the smallest allowed; walk with sort by endedAt (nulls) and by createdAt via cursors.
    for (const sort of ["createdAt", "endedAt", "destination"] as const) {
      for (const dir of ["asc", "desc"] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        const pages: string[][] = [];
        do {
          page = await listCalls(t.db, { q: "" }, { sort, dir, cursor, size: 25 });
          seen.push(...page.rows.map((r) => r.id));
          pages.push(page.rows.map((r) => r.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(new Set(seen).size).toBe(23);
        all.push(...seen);
      }
    }
    const byKind = await listCalls(t.db, { kind: "pa" });
    expect(byKind.rows.map((r) => r.id).sort()).toEqual(["c000", "c004", "c008", "c012", "c016", "c020"]);
    expect((await listCalls(t.db, { state: "busy", kind: "campaign" })).rows.map((r) => r.id).sort()).toEqual(["c001", "c013"]);
    expect((await listCalls(t.db, { groupId: group.id })).rows.map((r) => r.id)).toEqual(["c004"]);
    expect((await listCalls(t.db, { q: "+12125550007" })).rows.map((r) => r.id)).toEqual(["c007"]);
    const ranged = await listCalls(t.db, {
      from: new Date(Date.UTC(2026, 10, 1, 0, 2)),
      to: new Date(Date.UTC(2026, 10, 1, 0, 4)),
    });
    expect(ranged.rows.map((r) => r.id).sort()).toEqual(["c004", "c005", "c006", "c007"]);
  });

  it("keyset pages of 25 over 60 rows, next then previous, match offset pages", async () => {
    t = await createTestDb(provider);
    await seed(t);
    const host = await t.db.asteriskHost.findFirstOrThrow();
    for (let n = 23; n < 60; n++) {
      await t.db.call.create({
        data: {
          id: `c${String(n).padStart(3, "0")}`,
          kind: "pa",
          priority: 1,
          state: "busy",
          hostId: host.id,
          destination: `+1212555${n}`,
          channel: "x",
          scheduledAt: new Date(),
          createdAt: new Date(Date.UTC(2026, 10, 1) + Math.floor(n / 2) * 60_000),
        },
      });
    }
    const p1 = await listCalls(t.db, {}, { size: 25 });
    const p2 = await listCalls(t.db, {}, { size: 25, cursor: p1.nextCursor! });
    const p3 = await listCalls(t.db, {}, { size: 25, cursor: p2.nextCursor! });
    expect(p3.rows).toHaveLength(10);
    expect(p3.nextCursor).toBeNull();
    const o2 = await listCalls(t.db, {}, { size: 25, page: 2 });
    expect(p2.rows.map((r) => r.id)).toEqual(o2.rows.map((r) => r.id));
    const back = await listCalls(t.db, {}, { size: 25, cursor: p3.prevCursor! });
    expect(back.rows.map((r) => r.id)).toEqual(p2.rows.map((r) => r.id));
    const back1 = await listCalls(t.db, {}, { size: 25, cursor: back.prevCursor! });
    expect(back1.rows.map((r) => r.id)).toEqual(p1.rows.map((r) => r.id));
    expect(back1.prevCursor).toBeNull();
  });

  it("filters by a group larger than it lists by id (a whole school) through the relation, with the same answer", async () => {
    t = await createTestDb(provider);
    const host = await t.db.asteriskHost.create({ data: { name: "pbx", spoolDir: "/s", soundsDir: "/d" } });
    const small = await t.db.contactGroup.create({ data: { name: "Small" } });
    const big = await t.db.contactGroup.create({ data: { name: "Big" } });
    const n = Math.max(MAX_LISTED_MEMBERS + 1, 1200); // more than SQLite's 999 parameters
    const ids = Array.from({ length: n }, (_, i) => `k${String(i).padStart(5, "0")}`);
    await t.db.contact.createMany({ data: ids.map((id) => ({ id, name: id, nameKey: id })) });
    await t.db.groupMember.createMany({ data: ids.map((contactId) => ({ groupId: big.id, contactId })) });
    await t.db.groupMember.createMany({ data: ids.slice(0, 3).map((contactId) => ({ groupId: small.id, contactId })) });
    const call = (i: number, contactId: string | null) => ({
      id: `r${String(i).padStart(5, "0")}`,
      kind: "pa",
      priority: 1,
      state: "completed",
      hostId: host.id,
      destination: `PJSIP/${i}`,
      channel: "PJSIP/x",
      scheduledAt: new Date(0),
      contactId,
    });
    await t.db.call.createMany({ data: [call(0, ids[0]!), call(1, ids[2]!), call(2, ids[n - 1]!), call(3, null)] });
    expect((await listCalls(t.db, { groupId: big.id })).rows.map((r) => r.id).sort()).toEqual(["r00000", "r00001", "r00002"]);
    expect((await listCalls(t.db, { groupId: small.id })).rows.map((r) => r.id).sort()).toEqual(["r00000", "r00001"]);
  });

  it("exports the filtered view as CSV with formula cells neutralised", async () => {
    t = await createTestDb(provider);
    await seed(t);
    let csv = "";
    for await (const chunk of exportCallsCsv(t.db, { state: "busy" })) csv += chunk;
    const rows = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(rows[0]!.slice(0, 5)).toEqual(["call_id", "kind", "outcome", "state_code", "destination"]);
    const listed = (await listCalls(t.db, { state: "busy" })).rows.map((r) => r.id);
    expect(rows.slice(1).map((r) => r[0])).toEqual(listed);
    // The plain word for people, the stable code beside it for scripts.
    expect(rows.slice(1).every((r) => r[2] === "Busy" && r[3] === "busy")).toBe(true);
    expect(rows.find((r) => r[0] === "c007")![5]).toBe('\'=HYPERLINK("http://x")');
    expect(rows.find((r) => r[0] === "c007")![4]).toBe("'+12125550007");
  });

  it("exports what was heard in the words of the results page", async () => {
    t = await createTestDb(provider);
    const host = await t.db.asteriskHost.create({ data: { name: "pbx", spoolDir: "/s", soundsDir: "/d" } });
    const audio = await t.db.audioMessage.create({ data: { name: "Fire", soundName: "spoolcast/fire", durationMs: 20_000 } });
    const call = (id: string, kind: string, state: string, heardMs: number | null) => ({
      id,
      kind,
      priority: 1,
      state,
      heardMs,
      hostId: host.id,
      audioId: kind === "click" ? null : audio.id,
      destination: "+12125550100",
      channel: "PJSIP/x",
      scheduledAt: new Date(0),
    });
    await t.db.call.createMany({
      data: [
        call("h1", "pa", "not-acknowledged", 3200),
        call("h2", "pa", "completed", 20_000),
        call("h3", "pa", "completed", null),
        call("h4", "click", "completed", null),
        call("h5", "campaign", "congestion", null),
      ],
    });
    let csv = "";
    for await (const chunk of exportCallsCsv(t.db)) csv += chunk;
    const rows = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    const outcome = Object.fromEntries(rows.slice(1).map((r) => [r[0], [r[2], r[3]]]));
    expect(outcome).toEqual({
      h1: ["Heard part (hung up after 3 s)", "not-acknowledged"],
      h2: ["Heard", "completed"],
      h3: ["Answered", "completed"],
      h4: ["Answered", "completed"],
      h5: ["Network congestion", "congestion"],
    });
  });

  it("shows one call's attempts, timeline and IVR digits", async () => {
    t = await createTestDb(provider);
    await seed(t);
    await t.db.callAttempt.create({
      data: {
        callId: "c003",
        fileName: "spoolcast-c003-1.call",
        n: 1,
        startedAt: at(1),
        endedAt: at(31),
        result: "failed",
        reason: "no answer (REASON 3)",
      },
    });
    await t.db.callAttempt.create({
      data: { callId: "c003", fileName: "spoolcast-c003-1.call", n: 2, startedAt: at(40), endedAt: at(50), result: "answered" },
    });
    await t.db.callEvent.createMany({
      data: [
        { callId: "c003", type: "queued", at: at(0) },
        { callId: "c003", type: "answered", source: "ivr", at: at(41), detail: "IVR session opened" },
        { callId: "c003", type: "ivr.dtmf", source: "ivr", at: at(44), detail: "2" },
        { callId: "c003", type: "ivr.dtmf", source: "ivr", at: at(45), detail: "1" },
        { callId: "c003", type: "ivr.acknowledged", source: "ivr", at: at(45), detail: "1" },
      ],
    });
    const d = await getCallDetail(t.db, "c003");
    expect(d.attempts.map((a) => [a.n, a.result, a.reason])).toEqual([
      [1, "failed", "no answer (REASON 3)"],
      [2, "answered", null],
    ]);
    expect(d.timeline.map((e) => e.type)).toEqual(["queued", "answered", "ivr.dtmf", "ivr.dtmf", "ivr.acknowledged"]);
    expect(d.ivrEvents).toHaveLength(4);
    expect(d.digits.map((x) => x.detail)).toEqual(["2", "1"]);
    await expect(getCallDetail(t.db, "nope")).rejects.toMatchObject({ field: "callId" });
  });
});
