"use client";

import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const OUTCOME_COLOR: Record<string, string> = {
  acknowledged: "#15803d",
  completed: "#22c55e",
  "not-acknowledged": "#ca8a04",
  "no-answer": "#64748b",
  busy: "#ea580c",
  congestion: "#c2410c",
  failed: "#b91c1c",
  expired: "#94a3b8",
  lost: "#7f1d1d",
  cancelled: "#cbd5e1",
};

/** Outcome breakdown (bars, one per final state) and progress over time (cumulative lines). */
export function CampaignCharts({
  outcomes,
  progress,
}: {
  outcomes: { outcome: string; count: number }[];
  progress: { at: string; ended: number; reached: number }[];
}) {
  const data = outcomes.map((o) => ({ ...o, fill: OUTCOME_COLOR[o.outcome] ?? "#2563eb" }));
  const series = progress.map((p) => ({
    ...p,
    time: new Date(p.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }),
  }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <figure className="rounded-lg border border-slate-200 bg-white p-4">
        <figcaption className="mb-2 text-sm font-medium text-slate-900">Outcomes of all calls</figcaption>
        {data.length === 0 ? (
          <p className="py-10 text-center text-sm text-slate-500">No calls yet.</p>
        ) : (
          <div className="h-56">
            <p className="sr-only">Outcomes: {data.map((d) => `${d.outcome} ${d.count}`).join(", ")}</p>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={data} layout="vertical" margin={{ left: 24, right: 12 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" allowDecimals={false} fontSize={12} />
                <YAxis type="category" dataKey="outcome" width={110} fontSize={12} />
                <Tooltip />
                <Bar dataKey="count" name="calls" maxBarSize={28} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </figure>
      <figure className="rounded-lg border border-slate-200 bg-white p-4">
        <figcaption className="mb-2 text-sm font-medium text-slate-900">
          Progress over time (calls finished, people reached)
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
