"use client";

/**
 * An instant shown in the viewer's own time zone. The server renders it in its zone and the
 * browser re-renders it in the viewer's, hence the suppressed hydration warning.
 */
export function LocalTime({ iso, fallback = "—" }: { iso: string | null; fallback?: string }) {
  if (!iso) return <span>{fallback}</span>;
  const date = new Date(iso);
  return (
    <time dateTime={iso} suppressHydrationWarning title={date.toISOString()}>
      {date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}
    </time>
  );
}
