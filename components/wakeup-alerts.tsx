import Link from "next/link";
import { BellRing } from "lucide-react";
import type { WakeUpAlert } from "@/lib/wakeups/list-wakeups";
import { alertSentence } from "@/lib/wakeups/wakeup-words";
import { AcknowledgeAlertButton, type AcknowledgeAlert } from "@/components/wakeup-alert-acknowledge";

/**
 * The front-desk alert for wake-ups nobody confirmed in the last 12 hours (nobody answered,
 * answered without confirming, or never dialled because Spoolcast was not running;
 * lib/wakeups/wakeup-words.ts): shown on the wake-ups page and the dashboard until a user
 * acknowledges each one. Escalated ones also rang the front-desk extension.
 */
export function WakeUpAlerts({
  alerts,
  linkToPage = false,
  acknowledge,
}: {
  alerts: WakeUpAlert[];
  linkToPage?: boolean;
  /** The acknowledge action, given only to a user who may acknowledge (wakeups.edit). */
  acknowledge?: AcknowledgeAlert;
}) {
  if (alerts.length === 0) return null;
  return (
    <div
      role="alert"
      data-testid="wakeup-alerts"
      className="mb-6 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <p className="flex items-center gap-2 font-semibold">
        <BellRing aria-hidden className="size-4" />
        {alerts.length === 1 ? "A wake-up call was not confirmed" : `${alerts.length} wake-up calls were not confirmed`}
      </p>
      <ul className="mt-2 space-y-2">
        {alerts.map((a) => (
          <li key={a.occurrenceId} data-testid="wakeup-alert" className="flex flex-wrap items-center justify-between gap-2">
            <span>
              {alertSentence(a)}{" "}
              <span className="text-red-800/80">
                Due {a.localDate} {a.localTime}.
              </span>
            </span>
            {acknowledge ? (
              <AcknowledgeAlertButton
                occurrenceId={a.occurrenceId}
                label={`room ${a.room} ${a.localDate} ${a.localTime}`}
                acknowledge={acknowledge}
              />
            ) : null}
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
