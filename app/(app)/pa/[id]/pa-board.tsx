"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, PhoneForwarded, Square } from "lucide-react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
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

/** m:ss, or h:mm:ss past an hour. */
function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * The live board: polls the board every second while calls are active (TanStack Query),
 * ticks the elapsed time locally in between, and offers Stop all / Re-call unreached to
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
  const { data: board = initial, error } = useQuery({
    queryKey: ["pa-board", id],
    queryFn: async () => {
      // Dates arrive as ISO strings; the board only reads createdAt, through new Date().
      const res = await fetch(`/pa/${encodeURIComponent(id)}/board`, { cache: "no-store" });
      const body = (await res.json()) as PaBoard | { error: string };
      if (!res.ok || "error" in body) throw new Error("error" in body ? body.error : `Board refresh failed (${res.status})`);
      return body;
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.done ? 5000 : 1000),
    refetchIntervalInBackground: true,
  });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (board.done) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [board.done]);
  const elapsed = board.done ? board.elapsedMs : Math.max(board.elapsedMs, now - new Date(board.broadcast.createdAt).getTime());
  const [stopping, startStop] = useTransition();
  const [recalling, startRecall] = useTransition();
  const c = board.counters;

  function stopAll() {
    startStop(async () => {
      const r = await stopPaAction({ broadcastId: id });
      if (!r.ok) {
        toast.error(r.error);
        return;
      }
      toast.success(
        `Stopped: ${r.data.cancelled} call${r.data.cancelled === 1 ? "" : "s"} cancelled` +
          (r.data.alreadyDialling ? `, ${r.data.alreadyDialling} already ringing or connected will finish` : ""),
      );
      router.refresh();
    });
  }

  function recall() {
    startRecall(async () => {
      const r = await recallUnreachedAction({ broadcastId: id });
      if (!r.ok) {
        toast.error(r.error);
        return;
      }
      toast.success(`Re-calling ${r.data.recipients} unreached phone${r.data.recipients === 1 ? "" : "s"}`);
      router.push(`/pa/${r.data.broadcastId}`);
    });
  }

  const b = board.broadcast;
  const rows = board.recipients.map((r) => ({
    ...r,
    words: describeOutcome({ state: r.callState, kind: "pa", reason: r.reason, heardMs: r.heardMs, messageMs }),
  }));
  const byGroup = new Map<OutcomeGroup, number>();
  for (const r of rows) byGroup.set(r.words.group, (byGroup.get(r.words.group) ?? 0) + 1);
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
            {b.state === "stopped" ? <Badge variant="destructive">Stopped</Badge> : null}
            {board.done ? <Badge variant="secondary">Finished</Badge> : <Badge variant="warning">Live</Badge>}
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            By {b.createdBy || "unknown"}
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

      {error ? (
        <Alert variant="warning" className="mb-4">
          The board could not refresh: {error.message}. It will keep trying.
        </Alert>
      ) : null}

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
            <Button variant="destructive" onClick={stopAll} disabled={stopping}>
              <Square aria-hidden />
              {stopping ? "Stopping…" : "Stop all"}
            </Button>
          ) : null}
          <Button variant="outline" onClick={recall} disabled={recalling || c.unreached === 0}>
            <PhoneForwarded aria-hidden />
            {recalling ? "Starting…" : `Re-call unreached${c.unreached ? ` (${c.unreached})` : ""}`}
          </Button>
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
        <CardHeader>
          <CardTitle>Recipients</CardTitle>
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
              {rows.map((r) => (
                <TableRow key={r.callId} data-state={r.state} data-outcome={r.words.group}>
                  <TableCell className="font-medium">
                    <span className="block">{r.name || r.number}</span>
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
                    {r.words.detail ?? ""}
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
