"use client";

/**
 * An instant shown in the viewer's own time zone. The server renders it in its zone and the
 * browser re-renders it in the viewer's, hence the suppressed hydration warning. `seconds`
 * for timelines, where events a second apart must read apart.
 */
export function LocalTime({
  iso,
  fallback = "—",
  seconds = false,
}: {
  iso: string | null;
  fallback?: string;
  seconds?: boolean;
}) {
  if (!iso) return <span>{fallback}</span>;
  const date = new Date(iso);
  return (
    <time dateTime={iso} suppressHydrationWarning title={date.toISOString()}>
      {date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: seconds ? "medium" : "short" })}
    </time>
  );
}
