"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { WakeUpReportDay } from "@/lib/wakeups/list-wakeups";

const SERIES = [
  { key: "confirmed", name: "Confirmed", color: "#15803d" },
  { key: "snoozed", name: "Snoozed", color: "#2563eb" },
  { key: "unconfirmed", name: "Answered, not confirmed", color: "#ca8a04" },
  { key: "missed", name: "No answer", color: "#b45309" },
  { key: "escalated", name: "Front desk called", color: "#b91c1c" },
] as const;

/** Per-day bars; the table next to it carries the same numbers for screen readers. */
export function WakeUpReportChart({ days }: { days: WakeUpReportDay[] }) {
  const data = days.map((d) => ({ ...d, label: d.date.slice(5) }));
  return (
    <div aria-hidden className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -20 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
