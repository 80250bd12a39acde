"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ArrowLeft, PhoneForwarded, Square } from "lucide-react";
import { toast } from "sonner";
import { LiveBanner } from "@/components/live/live-banner";
import { fetchLive, useLive } from "@/components/live/use-live";
import { Badge } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Select } from "@/components/ui/select";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { OUTCOME_GROUPS, describeOutcome, type OutcomeGroup, type OutcomeTone } from "@/lib/calls/outcome-words";
import type { PaBoard } from "@/lib/pa/get-pa-board";
import { toneVariant } from "@/components/calls/outcome-badge";
import { recallUnreachedAction, stopPaAction } from "../actions";

const TONE_TEXT: Record<OutcomeTone, string> = {
  good: "text-green-700",
  warn: "text-amber-700",
  bad: "text-red-700",
  neutral: "text-slate-600",
  active: "text-slate-600",
};

/** How long the "Re-call sent" toast offers Undo. */
const UNDO_MS = 10_000;

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function stopSummary(head: string, r: { cancelled: number; alreadyDialling: number }): string {
  return (
    `${head}: ${plural(r.cancelled, "call")} withdrawn` +
    (r.alreadyDialling ? `, ${r.alreadyDialling} already ringing or connected will finish` : "")
  );
}

/** m:ss, or h:mm:ss past an hour. */
function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * The live board: polls the board every second while calls are active (useLive), ticks the
 * elapsed time locally in between (frozen, with "Not updating" instead of "Live", while the
 * connection is lost), and offers Stop all / Re-call unreached to
 * those who may send a PA (the server checks again).
 */
export function PaBoardView({
  initial,
  canLaunch,
  messageMs,
}: {
  initial: PaBoard;
  canLaunch: boolean;
  /** The message's length, for "Heard part" (null when unknown). */
  messageMs: number | null;
}) {
  const router = useRouter();
  const id = initial.broadcast.id;
  const {
    data: board,
    lost,
    lastUpdatedAt,
    error,
  } = useLive({
    queryKey: ["pa-board", id],
    fetcher: async () => {
      // Dates arrive as ISO strings; the board only reads createdAt, through new Date().
      const res = await fetchLive(`/pa/${encodeURIComponent(id)}/board`);
      const body = (await res.json()) as PaBoard | { error: string };
      if ("error" in body) throw new Error(body.error);
      return body;
    },
    initialData: initial,
    intervalMs: (data) => (data?.done ? 5000 : 1000),
  });
  const [now, setNow] = useState(() => Date.now());
  // The clock stops while the connection is lost: a ticking timer would claim the PA is still being followed.
  const ticking = !board.done && !lost;
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [ticking]);
  const shownNow = lost ? lastUpdatedAt : now;
  const elapsed = board.done
    ? board.elapsedMs
    : Math.max(board.elapsedMs, shownNow - new Date(board.broadcast.createdAt).getTime());
  const [filter, setFilter] = useState<OutcomeGroup | "">("");
  const c = board.counters;
  const stopped = board.broadcast.state === "stopped";

  async function stopAll() {
    const r = await stopPaAction({ broadcastId: id });
    if (!r.ok) {
      toast.error(r.error);
      return;
    }
    toast.success(stopSummary("Stopped", r.data));
    router.refresh();
  }

  async function recall() {
    const r = await recallUnreachedAction({ broadcastId: id });
    if (!r.ok) {
      toast.error(r.error);
      return;
    }
    const recallId = r.data.broadcastId;
    toast.success(`Re-call sent to ${plural(r.data.recipients, "phone")}`, {
      duration: UNDO_MS,
      // Undo is a Stop of the re-call: calls still queued are withdrawn; one already ringing cannot be.
      action: {
        label: "Undo",
        onClick: async () => {
          const u = await stopPaAction({ broadcastId: recallId });
          if (u.ok) toast.success(stopSummary("Re-call withdrawn", u.data));
          else toast.error(u.error);
        },
      },
    });
    router.push(`/pa/${recallId}`);
  }

  const b = board.broadcast;
  const rows = board.recipients.map((r) => ({
    ...r,
    words: describeOutcome({ state: r.callState, kind: "pa", reason: r.reason, heardMs: r.heardMs, messageMs }),
  }));
  const byGroup = new Map<OutcomeGroup, number>();
  for (const r of rows) byGroup.set(r.words.group, (byGroup.get(r.words.group) ?? 0) + 1);
  const shown = filter ? rows.filter((r) => r.words.group === filter) : rows;
  const finished = c.total - c.active;
  const ringingAfterStop = stopped ? rows.filter((r) => r.state === "ringing").length : 0;
  return (
    <>
      <div className="mb-4">
        <Link href="/pa" className="inline-flex items-center gap-1 text-sm text-blue-700 hover:underline">
          <ArrowLeft aria-hidden className="size-4" /> PA
        </Link>
      </div>
      <div className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h1 className="flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight text-slate-900">
            {b.audioName}
            {b.isTest ? <Badge variant="secondary">Test PA</Badge> : null}
            {/* One status: a stopped PA is never also "Live", even while its last calls finish. */}
            {stopped ? (
              <Badge variant="destructive">Stopped</Badge>
            ) : board.done ? (
              <Badge variant="secondary">Finished</Badge>
            ) : lost ? (
              <Badge variant="outline">Not updating</Badge>
            ) : (
              <Badge variant="warning">Live</Badge>
            )}
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            Sent <LocalTime iso={new Date(b.createdAt).toISOString()} relative /> by {b.createdBy || "unknown"}
            {b.templateName ? ` · template ${b.templateName}` : ""}
            {b.requireAck ? " · acknowledgement required" : ""} · played {b.repeat === 1 ? "once" : `${b.repeat} times`}
            {b.parentId ? (
              <>
                {" · re-call of "}
                <Link className="text-blue-700 hover:underline" href={`/pa/${b.parentId}`}>
                  the original PA
                </Link>
              </>
            ) : null}
          </p>
          {b.spokenNote ? (
            <p className="mt-2 text-sm font-medium text-amber-800">Spoken by text-to-speech because {b.spokenNote}.</p>
          ) : null}
        </div>
        <div className="flex shrink-0 flex-col items-start sm:items-end">
          <span className="text-xs font-medium tracking-wide text-slate-500 uppercase">Elapsed</span>
          <span className="font-mono text-3xl font-semibold text-slate-900 tabular-nums" aria-label="Elapsed time" role="timer">
            {formatElapsed(elapsed)}
          </span>
        </div>
      </div>

      <LiveBanner lost={lost} lastUpdatedAt={lastUpdatedAt} detail={error?.message} />

      <div className="mb-4">
        <div className="mb-1 flex justify-between text-sm text-slate-700">
          <span id="pa-progress-label">
            {finished} of {plural(c.total, "call")} finished
          </span>
          {stopped && ringingAfterStop > 0 ? (
            <span className="text-amber-800">{ringingAfterStop} still ringing: cannot be stopped before answer</span>
          ) : null}
        </div>
        <progress
          aria-labelledby="pa-progress-label"
          max={Math.max(c.total, 1)}
          value={c.total ? finished : 1}
          className="block h-2 w-full appearance-none overflow-hidden rounded-full bg-slate-200 [&::-moz-progress-bar]:bg-blue-700 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-blue-700"
        />
      </div>

      <section aria-label="Counters" className="mb-6 grid grid-cols-3 gap-2 sm:grid-cols-5 lg:grid-cols-6">
        <Counter label="Phones" value={c.total} />
        <Counter label="Reached" value={c.reached} tone="good" />
        <Counter label="In progress" value={c.active} />
        <Counter label="Unreached" value={c.unreached} tone={c.unreached ? "bad" : undefined} />
        {OUTCOME_GROUPS.filter((g) => byGroup.has(g) && g !== "In progress").map((g) => (
          <Counter key={g} label={g} value={byGroup.get(g)!} />
        ))}
      </section>

      {canLaunch ? (
        <div className="mb-6 flex flex-wrap gap-2">
          {!board.done ? (
            <ConfirmButton
              variant="destructive"
              disabled={stopped}
              title="Stop this PA?"
              description={`Calls not dialled yet are withdrawn. ${plural(c.ringing, "phone")} already ringing cannot be stopped before answer; calls already answered finish their message.`}
              confirmLabel="Stop all"
              pendingLabel="Stopping…"
              destructive
              onConfirm={stopAll}
            >
              <Square aria-hidden />
              {stopped ? "Stopped" : "Stop all"}
            </ConfirmButton>
          ) : null}
          <ConfirmButton
            variant="outline"
            disabled={c.unreached === 0}
            title={`Re-call ${plural(c.unreached, "unreached phone")}?`}
            description={`The same message is sent again to the ${plural(c.unreached, "phone")} not reached. For ${UNDO_MS / 1000} seconds afterwards you can undo it: calls not dialled yet are withdrawn.`}
            confirmLabel={`Re-call ${c.unreached}`}
            pendingLabel="Starting…"
            onConfirm={recall}
          >
            <PhoneForwarded aria-hidden />
            {`Re-call unreached${c.unreached ? ` (${c.unreached})` : ""}`}
          </ConfirmButton>
        </div>
      ) : null}

      {board.followUps.length > 0 ? (
        <p className="mb-4 text-sm text-slate-700">
          Follow-up{board.followUps.length === 1 ? "" : "s"}:{" "}
          {board.followUps.map((f, i) => (
            <Link key={f} href={`/pa/${f}`} className="text-blue-700 hover:underline">
              re-call {i + 1}
              {i < board.followUps.length - 1 ? ", " : ""}
            </Link>
          ))}
        </p>
      ) : null}

      <Card>
        <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
          <CardTitle>Recipients</CardTitle>
          <div className="flex items-center gap-2">
            <label htmlFor="pa-outcome-filter" className="text-sm text-slate-700">
              Show
            </label>
            <Select
              id="pa-outcome-filter"
              className="w-auto"
              value={filter}
              onChange={(e) => setFilter(e.target.value as OutcomeGroup | "")}
            >
              <option value="">Everyone ({rows.length})</option>
              {OUTCOME_GROUPS.filter((g) => byGroup.has(g) || g === filter).map((g) => (
                <option key={g} value={g}>
                  {g} ({byGroup.get(g) ?? 0})
                </option>
              ))}
            </Select>
          </div>
        </CardHeader>
        <CardContent className="px-0 sm:px-5">
          <Table aria-label="Recipients">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead className="hidden sm:table-cell">Number</TableHead>
                <TableHead>Outcome</TableHead>
                <TableHead className="hidden md:table-cell">Detail</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {shown.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={4} className="text-sm text-slate-600">
                    Nobody with this outcome now.
                  </TableCell>
                </TableRow>
              ) : null}
              {shown.map((r) => (
                <TableRow key={r.callId} data-state={r.state} data-outcome={r.words.group}>
                  <TableCell className="font-medium">
                    <Link href={`/results/${encodeURIComponent(r.callId)}`} className="block text-blue-700 hover:underline">
                      {r.name || r.number}
                    </Link>
                    <span className="block text-xs font-normal text-slate-500 sm:hidden">{r.number}</span>
                  </TableCell>
                  <TableCell className="hidden font-mono text-sm sm:table-cell">{r.number}</TableCell>
                  <TableCell>
                    <Badge variant={toneVariant(r.words.tone)}>{r.words.label}</Badge>
                    {/* A delivery failure's cause must be read even on a phone: shown under the badge. */}
                    {r.words.detail && r.words.tone === "bad" ? (
                      <span className="mt-0.5 block text-xs text-red-700 md:hidden">{r.words.detail}</span>
                    ) : null}
                  </TableCell>
                  <TableCell className={`hidden text-sm md:table-cell ${TONE_TEXT[r.words.tone]}`}>
                    {stopped && r.state === "ringing" ? "Ringing, cannot be stopped before answer" : (r.words.detail ?? "")}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </>
  );
}

function Counter({ label, value, tone }: { label: string; value: number; tone?: "good" | "bad" }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 shadow-sm">
      <div className="truncate text-xs font-medium text-slate-600">{label}</div>
      <div
        className={`text-2xl font-semibold tabular-nums ${tone === "good" ? "text-green-700" : tone === "bad" ? "text-red-700" : "text-slate-900"}`}
      >
        {value}
      </div>
    </div>
  );
}
