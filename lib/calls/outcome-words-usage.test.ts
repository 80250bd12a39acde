/**
 * Engine state names never reach a user: every page and component must take an outcome's words
 * from lib/calls/outcome-words.ts. This scans app/ and components/ for the two ways a raw state
 * used to leak: a hand-made state-to-text map (`"no-answer": "No answer"`, `case "busy": return
 * "Busy"`), and a state printed as it is (`{r.callState}`, `{t.outcome ?? "—"}`).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DELIVERY_EVENT_TYPES } from "@/lib/calls/call-state-machine";
import { OUTCOME_STATES, timelineEventLabel } from "@/lib/calls/outcome-words";
import { RECONCILE_EVENT_TYPES } from "@/lib/engine/archive-plan";

const ROOT = path.resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/**
 * States whose names other things share are left out: a campaign is also `completed` or
 * `cancelled`, a wake-up `pending`; those words are checked where they are call outcomes, by
 * the render test of the outcome badge.
 */
const CALL_ONLY = OUTCOME_STATES.filter((s) => s !== "completed" && s !== "cancelled");
const names = CALL_ONLY.map((s) => s.replace(/-/g, "\\-")).join("|");
/** A map entry or switch case from a call state to words (text starts with a capital). */
const STATE_TO_TEXT = new RegExp(
  `(?:["']?\\b(?:${names})\\b["']?\\s*:\\s*(?:\\{\\s*label\\s*:\\s*)?["'\`][A-Z])|(?:case\\s+["'](?:${names})["']\\s*:\\s*return\\s+["'\`][A-Z])`,
);
/** A call's state, outcome or attempt result printed as a JSX child (not an attribute's value). */
const RAW_RENDER = /(?<!=)\{\s*[\w.?]*\.(?:state|callState|outcome|result)\s*(?:\?\?\s*["'][^"']*["']\s*)?\}/;

/** Printed states that are not call outcomes, each with why it may show as it is. */
const RAW_RENDER_ALLOWED: Record<string, string> = {
  "app/(app)/messages/messages-table.tsx": "a message's delivery to a host (pending, synced, failed), not a call",
};

const files = [...sources("app"), ...sources("components")];

/** Timeline types written as literals by the engine, the IVR and the schedulers (not the simulator). */
function writtenEventTypes(): string[] {
  const found = new Set<string>();
  for (const f of sources("lib").filter((x) => !x.startsWith("lib/asterisk-sim/") && !x.startsWith("lib/generated/"))) {
    const text = readFileSync(path.join(ROOT, f), "utf8");
    for (const m of text.matchAll(/recordEvent\(\s*"([a-z][a-z.-]*)"/g)) found.add(m[1]!);
    for (const m of text.matchAll(/"(ivr\.[a-z-]+|attempt\.[a-z-]+)"/g)) found.add(m[1]!);
  }
  return [...found].sort();
}

describe("outcome words are defined once", () => {
  it("scans the pages and components", () => {
    expect(files).toContain("app/(app)/pa/[id]/pa-board.tsx");
    expect(files).toContain("components/calls/outcome-badge.tsx");
  });

  it("no page or component maps a call state to words of its own", () => {
    const found = files.flatMap((f) =>
      readFileSync(path.join(ROOT, f), "utf8")
        .split("\n")
        .flatMap((line, i) => (STATE_TO_TEXT.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it("no page or component prints a call state as it is", () => {
    const found = files
      .filter((f) => f.endsWith(".tsx") && !(f in RAW_RENDER_ALLOWED))
      .flatMap((f) =>
        readFileSync(path.join(ROOT, f), "utf8")
          .split("\n")
          .flatMap((line, i) => (RAW_RENDER.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(found).toEqual([]);
  });

  it("every timeline entry the code writes has words on the call page", () => {
    const types = [...writtenEventTypes(), ...Object.values(DELIVERY_EVENT_TYPES), ...RECONCILE_EVENT_TYPES];
    expect(types).toContain("ivr.dtmf");
    expect(types.filter((t) => timelineEventLabel(t) === null)).toEqual([]);
  });

  it("the checks catch what they are for", () => {
    expect(STATE_TO_TEXT.test(`  "no-answer": "No answer",`)).toBe(true);
    expect(STATE_TO_TEXT.test(`  busy: { label: "Busy", variant: "warning" },`)).toBe(true);
    expect(STATE_TO_TEXT.test(`    case "not-acknowledged": return "Heard, no ack";`)).toBe(true);
    expect(STATE_TO_TEXT.test(`  failed: "destructive",`)).toBe(false);
    expect(RAW_RENDER.test(`<Badge>{r.callState}</Badge>`)).toBe(true);
    expect(RAW_RENDER.test(`{t.outcome ?? "in progress"}`)).toBe(true);
    expect(RAW_RENDER.test(`{a.result ?? "in progress"}`)).toBe(true);
    expect(RAW_RENDER.test(`{attemptResultLabel(a.result)}`)).toBe(false);
    expect(RAW_RENDER.test(`<TableRow data-state={r.state}>`)).toBe(false);
  });
});
