"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, PhoneForwarded, Square } from "lucide-react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Badge, type badgeVariants } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { VariantProps } from "class-variance-authority";
import { BOARD_LABELS, BOARD_STATES, type BoardState, type PaBoard } from "@/lib/pa/get-pa-board";
import { recallUnreachedAction, stopPaAction } from "../actions";

const VARIANT: Record<BoardState, VariantProps<typeof badgeVariants>["variant"]> = {
  queued: "secondary",
  ringing: "default",
  answered: "default",
  heard: "success",
  acknowledged: "success",
  "no-answer": "warning",
  busy: "warning",
  failed: "destructive",
  lost: "destructive",
  cancelled: "outline",
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
export function PaBoardView({ initial, canLaunch }: { initial: PaBoard; canLaunch: boolean }) {
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
        {BOARD_STATES.filter((s) => c[s] > 0).map((s) => (
          <Counter key={s} label={BOARD_LABELS[s]} value={c[s]} />
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
                <TableHead>State</TableHead>
                <TableHead className="hidden md:table-cell">Detail</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {board.recipients.map((r) => (
                <TableRow key={r.callId} data-state={r.state}>
                  <TableCell className="font-medium">
                    <span className="block">{r.name || r.number}</span>
                    <span className="block text-xs font-normal text-slate-500 sm:hidden">{r.number}</span>
                  </TableCell>
                  <TableCell className="hidden font-mono text-sm sm:table-cell">{r.number}</TableCell>
                  <TableCell>
                    {r.state === "heard" && b.requireAck && r.final ? (
                      // Heard the message but never pressed the key: not reached for an ack PA.
                      <Badge variant="warning">Heard, no ack</Badge>
                    ) : (
                      <Badge variant={VARIANT[r.state]}>{BOARD_LABELS[r.state]}</Badge>
                    )}
                  </TableCell>
                  <TableCell className="hidden text-sm text-slate-600 md:table-cell">{r.reason ?? ""}</TableCell>
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
