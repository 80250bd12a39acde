"use client";

import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useViewerClock } from "@/components/ui/viewer-time-zone";
import { GROUP_COLOR, type OutcomeBreakdown } from "@/lib/calls/outcome-words";
import { formatClock } from "@/lib/time/format-instant";

/** Outcome breakdown (one bar per outcome group, its labels listed) and progress over time (cumulative lines). */
export function CampaignCharts({
  outcomeGroups,
  progress,
}: {
  outcomeGroups: OutcomeBreakdown;
  progress: { at: string; ended: number; reached: number }[];
}) {
  const data = outcomeGroups.map((g) => ({ group: g.group, count: g.count, fill: GROUP_COLOR[g.group] }));
  // Axis times on the viewer's clock, as every other time (lib/time/format-instant.ts); none before hydration.
  const clock = useViewerClock();
  const series = progress.map((p) => ({
    ...p,
    time: clock ? formatClock(new Date(p.at), clock.zone, clock.locale) : "",
  }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <figure className="rounded-lg border border-slate-200 bg-white p-4">
        <figcaption className="mb-2 text-sm font-medium text-slate-900">Outcomes of all calls</figcaption>
        {data.length === 0 ? (
          <p className="py-10 text-center text-sm text-slate-500">No calls yet.</p>
        ) : (
          <>
            <div className="h-48" aria-hidden>
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={data} layout="vertical" margin={{ left: 24, right: 12 }}>
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" allowDecimals={false} fontSize={12} />
                  <YAxis type="category" dataKey="group" width={90} fontSize={12} />
                  <Tooltip />
                  <Bar dataKey="count" name="calls" maxBarSize={28} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
            {/* The same figures as text, with what each bar is made of (read by screen readers too). */}
            <dl className="mt-2 grid gap-1 text-xs text-slate-700" data-testid="outcome-groups">
              {outcomeGroups.map((g) => (
                <div key={g.group} className="flex flex-wrap gap-x-1">
                  <dt className="font-medium">
                    <span
                      aria-hidden
                      className="mr-1 inline-block size-2 rounded-full"
                      style={{ background: GROUP_COLOR[g.group] }}
                    />
                    {g.group} {g.count}:
                  </dt>
                  <dd>{g.parts.map((p) => `${p.label} ${p.count}`).join(", ")}</dd>
                </div>
              ))}
            </dl>
          </>
        )}
      </figure>
      <figure className="rounded-lg border border-slate-200 bg-white p-4">
        <figcaption className="mb-2 text-sm font-medium text-slate-900">
          Progress over time (calls finished, people reached{clock ? `; times in ${clock.zone}` : ""})
        </figcaption>
        {series.length === 0 ? (
          <p className="py-10 text-center text-sm text-slate-500">No finished calls yet.</p>
        ) : (
          <div className="h-56">
            <p className="sr-only">
              Progress: {series.at(-1)!.ended} calls finished, {series.at(-1)!.reached} reached
            </p>
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={series} margin={{ left: 0, right: 12 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="time" fontSize={11} minTickGap={24} />
                <YAxis allowDecimals={false} fontSize={12} width={36} />
                <Tooltip />
                <Line type="monotone" dataKey="ended" name="finished" stroke="#2563eb" dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="reached" name="reached" stroke="#15803d" dot={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
      </figure>
    </div>
  );
}
