import Link from "next/link";
import { BellRing } from "lucide-react";
import type { WakeUpAlert } from "@/lib/wakeups/list-wakeups";

/**
 * The front-desk alert for wake-ups nobody answered (last 12 hours): shown on the wake-ups
 * page and the dashboard. Escalated ones also rang the front-desk extension.
 */
export function WakeUpAlerts({ alerts, linkToPage = false }: { alerts: WakeUpAlert[]; linkToPage?: boolean }) {
  if (alerts.length === 0) return null;
  return (
    <div
      role="alert"
      data-testid="wakeup-alerts"
      className="mb-6 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <p className="flex items-center gap-2 font-semibold">
        <BellRing aria-hidden className="size-4" />
        {alerts.length === 1 ? "A wake-up call was not answered" : `${alerts.length} wake-up calls were not answered`}
      </p>
      <ul className="mt-2 space-y-1">
        {alerts.map((a) => (
          <li key={a.occurrenceId}>
            Room <strong>{a.room}</strong>
            {a.guestName ? ` (${a.guestName})` : ""} did not answer the {a.localTime} wake-up
            {a.state === "escalated" ? ` — front desk ${a.escalateTo} was called.` : " — please check on the guest."}
          </li>
        ))}
      </ul>
      {linkToPage ? (
        <Link href="/wakeups" className="mt-2 inline-block font-medium underline underline-offset-2">
          Open wake-ups
        </Link>
      ) : null}
    </div>
  );
}
