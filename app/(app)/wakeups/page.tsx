import type { Metadata } from "next";
import { DateTime } from "luxon";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { WakeUpAlerts } from "@/components/wakeup-alerts";
import { can } from "@/lib/auth/capabilities";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { getCallWindowSettings } from "@/lib/settings/call-windows";
import { getWakeUpReport, listWakeUpAlerts, listWakeUps, type WakeUpCall, type WakeUpSeries } from "@/lib/wakeups/list-wakeups";
import { occurrenceBadge, occurrenceDetail } from "@/lib/wakeups/wakeup-words";
import { acknowledgeWakeUpAlertAction } from "./actions";
import { LiveRefresh } from "@/components/live/live-refresh";
import { CancelWakeUpButton } from "./_components/cancel-button";
import { EditWakeUpDialog } from "./_components/edit-dialog";
import { WakeUpReportChart } from "./_components/report-chart";
import { WakeUpForm } from "./_components/wakeup-form";

export const metadata: Metadata = { title: "Wake-ups" };

const REPEAT_LABEL: Record<WakeUpSeries["recurrence"], string> = {
  once: "Once",
  daily: "Daily",
  weekdays: "Weekdays",
  custom: "Custom",
};

function DayList({ title, calls, canEdit }: { title: string; calls: WakeUpCall[]; canEdit: boolean }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>
          {calls.length === 0 ? "No wake-ups." : `${calls.length} wake-up${calls.length === 1 ? "" : "s"}`}
        </CardDescription>
      </CardHeader>
      {calls.length > 0 ? (
        <CardContent className="px-0 pb-2">
          <ul className="divide-y divide-slate-100" aria-label={`${title} wake-ups`}>
            {calls.map((c) => {
              const badge = occurrenceBadge(c);
              const detail = occurrenceDetail(c);
              return (
                <li
                  key={c.occurrenceId}
                  data-testid="wakeup-call"
                  className="flex flex-wrap items-center gap-x-3 gap-y-1 px-5 py-2.5"
                >
                  <span className="w-14 font-mono text-base font-semibold text-slate-900 tabular-nums">{c.localTime}</span>
                  <span className="min-w-0 flex-1">
                    <span className="font-medium text-slate-900">Room {c.room}</span>
                    <span className="block text-xs text-slate-500">
                      {c.guestName ? `${c.guestName} · ` : ""}
                      {REPEAT_LABEL[c.recurrence]} · {c.timeZone}
                      {detail.map((d) => ` · ${d}`).join("")}
                    </span>
                  </span>
                  <Badge variant={badge.variant} data-testid="wakeup-state" title={badge.help}>
                    {badge.label}
                  </Badge>
                  {canEdit && (c.state === "pending" || c.state === "snoozed" || c.state === "retrying") ? (
                    <CancelWakeUpButton
                      wakeUpId={c.wakeUpId}
                      occurrenceId={c.occurrenceId}
                      label={`room ${c.room} ${c.localTime}`}
                    />
                  ) : null}
                </li>
              );
            })}
          </ul>
        </CardContent>
      ) : null}
    </Card>
  );
}

export default async function WakeupsPage() {
  const user = await requireUser();
  const canEdit = can(user, "wakeups.edit");
  const [list, report, alerts, windows] = await Promise.all([
    listWakeUps(db()),
    getWakeUpReport(db(), { days: 14 }),
    listWakeUpAlerts(db()),
    getCallWindowSettings(db()),
  ]);
  const tolerance = windows.wakeupToleranceMinutes;
  const zone = list.siteTimeZone;
  const today = DateTime.now().setZone(zone);
  const todayDate = today.toFormat("yyyy-MM-dd");
  const tomorrowDate = today.plus({ days: 1 }).toFormat("yyyy-MM-dd");
  // Grouped by the site's calendar day, so a guest in another zone appears on the desk's day.
  const dayOf = (c: WakeUpCall) => DateTime.fromISO(c.occursAt, { zone }).toFormat("yyyy-MM-dd");
  // Intl's list leaves out "UTC" itself, which is the fallback site zone.
  const timeZones = [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")])];
  const reportRows = report.filter((d) => d.total > 0).toReversed();
  return (
    <>
      <LiveRefresh queryKey="wakeups" active intervalMs={4000} />
      <PageHeader title="Wake-ups" description={`Times are each guest's local time. Site time zone: ${zone}.`} />
      <WakeUpAlerts alerts={alerts} acknowledge={canEdit ? acknowledgeWakeUpAlertAction : undefined} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        {canEdit ? (
          <Card className="self-start">
            <CardHeader>
              <CardTitle>Book a wake-up</CardTitle>
            </CardHeader>
            <CardContent>
              <WakeUpForm siteTimeZone={zone} timeZones={timeZones} siteToleranceMinutes={tolerance} />
            </CardContent>
          </Card>
        ) : null}
        <div className="flex min-w-0 flex-col gap-6">
          <DayList
            title={`Today, ${today.toFormat("ccc d LLL")}`}
            calls={list.calls.filter((c) => dayOf(c) === todayDate)}
            canEdit={canEdit}
          />
          <DayList
            title={`Tomorrow, ${today.plus({ days: 1 }).toFormat("ccc d LLL")}`}
            calls={list.calls.filter((c) => dayOf(c) === tomorrowDate)}
            canEdit={canEdit}
          />
        </div>
      </div>

      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Bookings</CardTitle>
          <CardDescription>Every active wake-up booking; edit or cancel the whole series here.</CardDescription>
        </CardHeader>
        <CardContent className="overflow-x-auto px-0">
          {list.series.length === 0 ? (
            <p className="px-5 text-sm text-slate-600">No bookings yet.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Room</TableHead>
                  <TableHead>Time</TableHead>
                  <TableHead className="hidden sm:table-cell">Repeat</TableHead>
                  <TableHead className="hidden sm:table-cell">Dates</TableHead>
                  <TableHead className="hidden md:table-cell">Rings</TableHead>
                  {canEdit ? <TableHead className="text-right">Actions</TableHead> : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.series.map((s) => (
                  <TableRow key={s.id} data-testid="wakeup-series">
                    <TableCell className="font-medium">
                      {s.room}
                      {s.guestName ? <span className="block text-xs font-normal text-slate-500">{s.guestName}</span> : null}
                    </TableCell>
                    <TableCell className="font-mono tabular-nums">
                      {s.localTime}
                      <span className="block font-sans text-xs text-slate-500">{s.timeZone}</span>
                      <span className="block font-sans text-xs text-slate-500 sm:hidden">{REPEAT_LABEL[s.recurrence]}</span>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">
                      {s.recurrence === "custom" ? <code className="text-xs">{s.rrule}</code> : REPEAT_LABEL[s.recurrence]}
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">
                      {s.startDate}
                      {s.recurrence !== "once" ? ` → ${s.untilDate ?? "no end"}` : ""}
                    </TableCell>
                    <TableCell className="hidden text-xs text-slate-600 md:table-cell">
                      {s.destination}
                      {s.escalateTo ? ` · desk ${s.escalateTo}` : ""}
                      {s.toleranceMinutes !== null ? ` · rings up to ${s.toleranceMinutes} min late` : ""}
                    </TableCell>
                    {canEdit ? (
                      <TableCell className="text-right">
                        <div className="flex flex-col items-end gap-2 sm:flex-row sm:justify-end">
                          <EditWakeUpDialog
                            series={s}
                            siteTimeZone={zone}
                            timeZones={timeZones}
                            siteToleranceMinutes={tolerance}
                          />
                          <CancelWakeUpButton wakeUpId={s.id} label={`room ${s.room} ${s.localTime}`} />
                        </div>
                      </TableCell>
                    ) : null}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>

      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Report: last 14 days</CardTitle>
          <CardDescription>
            Per day: confirmed; snoozed at least once; answered but never confirmed; no answer (nobody picked up); front desk
            called (not confirmed either way).
          </CardDescription>
        </CardHeader>
        <CardContent>
          <WakeUpReportChart days={report} />
          <div className="mt-4 overflow-x-auto">
            <Table aria-label="Wake-up report per day">
              <TableHeader>
                <TableRow>
                  <TableHead>Day</TableHead>
                  <TableHead className="hidden text-right sm:table-cell">Calls</TableHead>
                  <TableHead className="text-right">Confirmed</TableHead>
                  <TableHead className="text-right">Snoozed</TableHead>
                  <TableHead className="text-right">Answered, not confirmed</TableHead>
                  <TableHead className="text-right">No answer</TableHead>
                  <TableHead className="text-right">Front desk called</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {reportRows.length === 0 ? (
                  <TableRow>
                    <TableCell colSpan={7} className="text-slate-600">
                      No wake-up calls in the last 14 days.
                    </TableCell>
                  </TableRow>
                ) : (
                  reportRows.map((d) => (
                    <TableRow key={d.date} data-testid="wakeup-report-row">
                      <TableCell className="whitespace-nowrap">{d.date.slice(5)}</TableCell>
                      <TableCell className="hidden text-right tabular-nums sm:table-cell">{d.total}</TableCell>
                      <TableCell className="text-right tabular-nums">{d.confirmed}</TableCell>
                      <TableCell className="text-right tabular-nums">{d.snoozed}</TableCell>
                      <TableCell className="text-right tabular-nums">{d.unconfirmed}</TableCell>
                      <TableCell className="text-right tabular-nums">{d.missed}</TableCell>
                      <TableCell className="text-right tabular-nums">{d.escalated}</TableCell>
                    </TableRow>
                  ))
                )}
              </TableBody>
            </Table>
          </div>
        </CardContent>
      </Card>
    </>
  );
}
