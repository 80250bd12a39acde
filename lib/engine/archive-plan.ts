/**
 * What reconciling a batch of archived call files changes, computed without touching the
 * database: the engine loads the calls, their attempt rows and the late-archive notes already
 * written, then hands them here, and writes the plan in the same transaction (through Prisma,
 * or through a direct SQLite connection — lib/engine/sqlite-direct.ts). Keeping the decision
 * in one pure function means both writers apply exactly the same rules.
 */
import { callFileName, type ParsedCallFile } from "@/lib/callfile/types";
import { isFinalState } from "@/lib/engine/call-state";
import { DELIVERY_EVENT_TYPES, deriveState, storedFacts } from "@/lib/calls/call-state-machine";
import { archivedAttempts, attemptsFromRetries, type AttemptInfo } from "@/lib/engine/outcome";
import type { TimelineEvent } from "@/lib/engine/timeline";
import type { AttemptInsert } from "@/lib/engine/bulk";

/** The columns of a call that reconciliation reads. */
export type ArchiveCall = {
  id: string;
  state: string;
  kind: string;
  requireAck: boolean;
  ackDigit: string | null;
  retryTime: number;
  attempts: number;
  fileSeq: number;
  claimedBy: string | null;
  spooledAt: Date | null;
  /** Facts the IVR stored before the archive (the state machine folds them in). */
  heardMs: number | null;
  answeredAt: Date | null;
};

export const ARCHIVE_SELECT = {
  id: true,
  state: true,
  kind: true,
  requireAck: true,
  ackDigit: true,
  retryTime: true,
  attempts: true,
  fileSeq: true,
  claimedBy: true,
  spooledAt: true,
  heardMs: true,
  answeredAt: true,
} as const;

/** One archived file with its Status line, for the call it belongs to. */
export type ArchiveItem = { call: ArchiveCall; name: string; parsed: ParsedCallFile; archivedAt: Date };

export type AttemptRow = {
  callId: string;
  fileName: string;
  n: number;
  result: string | null;
  reason: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
};

/** A final outcome, written only if the call is still in state `from`. */
export type CallOutcomeRow = {
  id: string;
  from: string;
  state: string;
  reason: string;
  endedAt: Date;
  attempts: number;
  currentFile: string;
};

export type ArchivePlan = {
  attemptCreates: AttemptInsert[];
  attemptUpdates: AttemptInsert[];
  outcomes: CallOutcomeRow[];
  /** Timeline of each outcome, written only when its guarded update took. */
  eventsFor: Map<string, TimelineEvent[]>;
  /** "late-archive" notes for earlier files of re-queued calls (not seen before). */
  lateArchives: TimelineEvent[];
};

/** Timeline types the reconciler reads along with the attempts: late-archive notes and the IVR's delivery failures. */
export const RECONCILE_EVENT_TYPES = ["late-archive", ...Object.values(DELIVERY_EVENT_TYPES)];

/** Delivery-failure events (type, detail) by call id, from rows of RECONCILE_EVENT_TYPES. */
export function deliveryEventsByCall(rows: Array<{ callId: string; type: string; detail: string }>) {
  const out = new Map<string, Array<{ type: string; detail: string }>>();
  for (const r of rows) {
    if (r.type === "late-archive") continue;
    const list = out.get(r.callId) ?? [];
    list.push({ type: r.type, detail: r.detail });
    out.set(r.callId, list);
  }
  return out;
}

/** Key of a late-archive note in `lateSeen`. */
export const lateKey = (callId: string, fileName: string) => `${callId}/${fileName}`;

/** The file name a late-archive note's detail starts with (`<name>: <status> …`). */
export function lateArchiveFile(detail: string): string {
  const i = detail.indexOf(":");
  return i < 0 ? detail : detail.slice(0, i);
}

/** True when `name` is the file the call's current claim wrote. */
export function isCurrentFile(call: Pick<ArchiveCall, "id" | "fileSeq" | "state" | "claimedBy">, name: string): boolean {
  return callFileName(call.id, call.fileSeq) === name && (call.state !== "queued" || call.claimedBy !== null);
}

/** Order of progress steps: dialling n = 2n-1, retry-wait n = 2n; an answered call is past them all. */
function progressPosition(state: string, attempt: number): number {
  if (state === "dialling") return 2 * attempt - 1;
  if (state === "retry-wait") return 2 * attempt;
  return state === "answered" ? Infinity : 0;
}

/** Progress events (dialling n / retry-wait n) past what the call already shows. */
export function progressEvents(
  callId: string,
  fromState: string,
  fromAttempt: number,
  attempts: AttemptInfo[],
  final: boolean,
  notBefore: Date | null,
): TimelineEvent[] {
  // Asterisk's times have whole-second resolution: never let them sort before "spooled".
  const clamp = (d: Date) => (notBefore && d < notBefore ? notBefore : d);
  const start = progressPosition(fromState, fromAttempt);
  const out: TimelineEvent[] = [];
  attempts.forEach((a, i) => {
    const isLast = i === attempts.length - 1;
    if (2 * a.n - 1 > start && a.startedAt) {
      out.push({ callId, type: "dialling", source: "asterisk", detail: `attempt ${a.n}`, at: clamp(a.startedAt) });
    }
    // Said once, when the file is archived: the live pass may not have seen the abort at all.
    if (final && a.abortedAt) {
      out.push({
        callId,
        type: "retry-wait",
        source: "asterisk",
        detail: `attempt ${a.n} cut short by an Asterisk restart; Asterisk dialled attempt ${a.n} again`,
        at: clamp(a.abortedAt),
      });
    }
    // The last attempt's end is the final outcome itself, not a retry wait.
    if (a.endedAt && 2 * a.n > start && !(final && isLast)) {
      const what = a.result === "aborted" ? "aborted (Asterisk restarted)" : "failed";
      out.push({ callId, type: "retry-wait", source: "asterisk", detail: `attempt ${a.n} ${what}`, at: clamp(a.endedAt) });
    }
  });
  return out;
}

/**
 * Decides what each archived file changes. `fresh` are the calls as read inside the writing
 * transaction; `existing` their CallAttempt rows; `lateSeen` the late-archive notes already
 * written (keys from `lateKey`). Idempotent: a call already final and attempts already equal
 * produce nothing.
 */
export function planArchives(
  items: ArchiveItem[],
  fresh: Map<string, ArchiveCall>,
  existing: AttemptRow[],
  lateSeen: Set<string>,
  delivery: Map<string, Array<{ type: string; detail: string }>> = new Map(),
): ArchivePlan {
  const byKey = new Map(existing.map((r) => [`${r.callId}/${r.fileName}/${r.n}`, r]));
  const plan: ArchivePlan = { attemptCreates: [], attemptUpdates: [], outcomes: [], eventsFor: new Map(), lateArchives: [] };
  const planned = new Set<string>();
  for (const item of items) {
    const f = fresh.get(item.call.id);
    if (!f) continue;
    const { name, parsed, archivedAt } = item;
    // The same file twice in one batch (a watcher hint and a full scan): the first one counts.
    if (planned.has(lateKey(f.id, name))) continue;
    planned.add(lateKey(f.id, name));
    const attempts = attemptsFromRetries(parsed.retries, f.retryTime);
    const last = attempts.at(-1);
    if (last && !last.endedAt) {
      last.endedAt = archivedAt;
      last.result = parsed.status === "Completed" ? "answered" : "failed";
    }
    for (const a of attempts) {
      const row = byKey.get(`${f.id}/${name}/${a.n}`);
      const data = {
        callId: f.id,
        fileName: name,
        n: a.n,
        startedAt: a.startedAt,
        endedAt: a.endedAt,
        result: a.result as string | null,
      };
      if (!row) plan.attemptCreates.push(data);
      else {
        // Never touch `reason`, nor a result the IVR failure session made specific (busy, no-answer…).
        const merged = {
          ...data,
          result: row.reason ? row.result : data.result,
          startedAt: data.startedAt ?? row.startedAt,
          endedAt: data.endedAt ?? row.endedAt,
        };
        if (
          merged.result !== row.result ||
          merged.startedAt?.getTime() !== row.startedAt?.getTime() ||
          merged.endedAt?.getTime() !== row.endedAt?.getTime()
        ) {
          plan.attemptUpdates.push(merged);
        }
      }
    }
    if (!isCurrentFile(f, name)) {
      // An earlier file of a re-queued call: keep its attempts and say so once.
      if (!lateSeen.has(lateKey(f.id, name))) {
        plan.lateArchives.push({
          callId: f.id,
          type: "late-archive",
          source: "asterisk",
          detail: `${name}: ${parsed.status} (an earlier file of this call)`,
          at: archivedAt,
        });
      }
      continue;
    }
    if (isFinalState(f.state) && f.state !== "lost") continue;
    // The state machine decides, from the archive and every fact the IVR stored so far; a
    // fact arriving after this (a late REASON, a late "message missing") refines it the same way.
    const reasons = existing.filter((r) => r.callId === f.id && r.fileName === name);
    const facts = storedFacts({ ...f, attempts: 0 }, reasons, delivery.get(f.id) ?? [], {
      status: parsed.status!,
      attempts: archivedAttempts(parsed.retries),
    });
    const outcome = deriveState(facts);
    const events = progressEvents(f.id, f.state, f.attempts, attempts, true, f.spooledAt);
    if (parsed.status === "Completed" && f.state !== "answered") {
      const answeredAt =
        last?.startedAt && (!f.spooledAt || last.startedAt > f.spooledAt) ? last.startedAt : (f.spooledAt ?? archivedAt);
      events.push({ callId: f.id, type: "answered", source: "asterisk", detail: `attempt ${last?.n ?? 1}`, at: answeredAt });
    }
    events.push({
      callId: f.id,
      type: outcome.state,
      source: "asterisk",
      detail: `${outcome.reason} (${name}: ${parsed.status})`,
      at: archivedAt,
    });
    plan.eventsFor.set(f.id, events);
    plan.outcomes.push({
      id: f.id,
      from: f.state,
      state: outcome.state,
      reason: outcome.reason,
      endedAt: archivedAt,
      attempts: attempts.filter((a) => a.startedAt).length,
      currentFile: name,
    });
  }
  return plan;
}
