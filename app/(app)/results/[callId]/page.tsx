import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { isUserError } from "@/lib/errors";
import { attemptResultLabel, describeOutcome, isMessageCall, kindLabel, timelineEventLabel } from "@/lib/calls/outcome-words";
import { contactLegText } from "@/lib/calls/contact-leg";
import { getCallDetail } from "@/lib/results/get-call";
import { OutcomeBadge } from "@/components/calls/outcome-badge";

export const metadata: Metadata = { title: "Call" };

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Who wrote a timeline entry, in words. */
const SOURCE_LABEL: Record<string, string> = { engine: "Spoolcast", asterisk: "Asterisk", ivr: "IVR", user: "a user" };

export default async function CallPage({ params }: { params: Promise<{ callId: string }> }) {
  await requireCapability("calls.view");
  const { callId } = await params;
  let d;
  try {
    d = await getCallDetail(db(), callId);
  } catch (e) {
    if (isUserError(e)) notFound();
    throw e;
  }
  const c = d.call;
  const outcome = { ...c, messageMs: c.audio?.durationMs };
  const words = describeOutcome(outcome);
  return (
    <>
      <PageHeader
        title={`${c.displayName || c.destination}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <OutcomeBadge call={outcome} /> {kindLabel(c.kind)} call to <span className="font-mono">{c.destination}</span>
            {words.detail ? <span data-testid="outcome-detail">· {words.detail}</span> : null}
          </span>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Call</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm">
              <dt className="text-slate-500">Call id</dt>
              <dd className="font-mono text-xs break-all">{c.id}</dd>
              {c.campaign ? (
                <>
                  <dt className="text-slate-500">Campaign</dt>
                  <dd>
                    <Link className="text-blue-700 hover:underline" href={`/campaigns/${c.campaign.id}`}>
                      {c.campaign.name}
                    </Link>
                  </dd>
                </>
              ) : null}
              {c.contact ? (
                <>
                  <dt className="text-slate-500">Contact</dt>
                  <dd>
                    <Link className="text-blue-700 hover:underline" href={`/contacts/${c.contact.id}`}>
                      {c.contact.name}
                    </Link>
                  </dd>
                </>
              ) : null}
              <dt className="text-slate-500">Message</dt>
              <dd>
                {c.audio?.name ?? "—"}
                {c.requireAck ? " (acknowledgement required)" : ""}
              </dd>
              <dt className="text-slate-500">Channel</dt>
              <dd className="font-mono text-xs break-all">{c.channel}</dd>
              <dt className="text-slate-500">Caller ID</dt>
              <dd>{c.callerId ?? "host default"}</dd>
              <dt className="text-slate-500">Host</dt>
              <dd>{c.host.name}</dd>
              <dt className="text-slate-500">Placed by</dt>
              <dd>{c.createdBy?.name ?? "—"}</dd>
              <dt className="text-slate-500">Scheduled</dt>
              <dd>
                <LocalTime iso={iso(c.scheduledAt)} />
              </dd>
              <dt className="text-slate-500">Answered</dt>
              <dd>
                <LocalTime iso={iso(c.answeredAt)} />
              </dd>
              <dt className="text-slate-500">Ended</dt>
              <dd>
                <LocalTime iso={iso(c.endedAt)} />
              </dd>
              <dt className="text-slate-500">Key pressed</dt>
              <dd>
                {c.ackAt ? (
                  <>
                    key {c.ackDigit} at <LocalTime iso={iso(c.ackAt)} />
                  </>
                ) : (
                  "—"
                )}
              </dd>
              {isMessageCall(c.kind) ? (
                <>
                  <dt className="text-slate-500">Heard</dt>
                  <dd>
                    {c.heardMs !== null
                      ? `${(c.heardMs / 1000).toFixed(1)} s${c.audio?.durationMs ? ` of ${(c.audio.durationMs / 1000).toFixed(1)} s` : ""}`
                      : "— (no playback reported by Asterisk)"}
                  </dd>
                </>
              ) : null}
              {/* The engine's own sentence, when the words above do not already say it. */}
              {c.reason && c.reason !== words.detail && c.state !== "acknowledged" ? (
                <>
                  <dt className="text-slate-500">Reason</dt>
                  <dd>{c.reason}</dd>
                </>
              ) : null}
              {c.kind === "click" ? (
                <>
                  <dt className="text-slate-500">Call to contact</dt>
                  <dd data-testid="contact-leg">
                    {d.contactLeg
                      ? contactLegText(d.contactLeg, c.displayName || c.destination)
                      : c.host.ivrMode === "dialplan"
                        ? "No report from the PBX yet"
                        : "Not visible in direct IVR mode"}
                  </dd>
                </>
              ) : null}
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Attempts ({d.attempts.length})</CardTitle>
          </CardHeader>
          <CardContent>
            {d.attempts.length === 0 ? (
              <p className="text-sm text-slate-500">Asterisk has not started dialling.</p>
            ) : (
              <Table data-testid="attempts-table">
                <TableHeader>
                  <TableRow>
                    <TableHead>#</TableHead>
                    <TableHead>Started</TableHead>
                    <TableHead className="hidden sm:table-cell">Ended</TableHead>
                    <TableHead>Result</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {d.attempts.map((a) => (
                    <TableRow key={a.id}>
                      <TableCell>{a.n}</TableCell>
                      <TableCell>
                        <LocalTime iso={iso(a.startedAt)} />
                        <div className="font-mono text-[11px] text-slate-500">{a.fileName}</div>
                      </TableCell>
                      <TableCell className="hidden sm:table-cell">
                        <LocalTime iso={iso(a.endedAt)} />
                      </TableCell>
                      <TableCell>
                        {attemptResultLabel(a.result)}
                        {a.reason ? <div className="text-xs text-slate-500">{a.reason}</div> : null}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </div>
      <section className="mt-6" aria-labelledby="timeline-h">
        <h2 id="timeline-h" className="mb-2 text-base font-semibold text-slate-900">
          Timeline
        </h2>
        <ol className="relative ml-2 border-l border-slate-200" data-testid="timeline">
          {d.timeline.map((e) => (
            <li key={e.id} className="mb-3 ml-4">
              <span
                aria-hidden
                className={`absolute -left-1.5 mt-1.5 size-3 rounded-full border border-white ${e.source === "ivr" ? "bg-violet-500" : e.source === "user" ? "bg-amber-500" : e.source === "asterisk" ? "bg-blue-500" : "bg-slate-400"}`}
              />
              <p className="text-sm" data-event={e.type}>
                <span className="font-medium">{timelineEventLabel(e.type) ?? <code className="text-xs">{e.type}</code>}</span>{" "}
                <span className="text-xs text-slate-500">({SOURCE_LABEL[e.source] ?? e.source})</span>
                {e.detail ? <span className="text-slate-700"> — {e.detail}</span> : null}
              </p>
              <p className="text-xs text-slate-500">
                <LocalTime iso={e.at.toISOString()} seconds />
              </p>
            </li>
          ))}
        </ol>
        {d.digits.length ? (
          <p className="mt-2 text-sm text-slate-700" data-testid="digits">
            Keys pressed: {d.digits.map((x) => x.detail || "?").join(", ")}
          </p>
        ) : null}
      </section>
    </>
  );
}
