"use client";

import { useEffect, useState } from "react";
import { WifiOff } from "lucide-react";
import { connectionLostMessage } from "./connection-words";

/**
 * Shown by a live view while its updates fail: how old the figures are, ticking every second,
 * so nobody mistakes a frozen board for a quiet one. It goes away by itself at the next
 * successful update (useLive keeps polling).
 */
export function LiveBanner({ lost, lastUpdatedAt, detail }: { lost: boolean; lastUpdatedAt: number; detail?: string }) {
  // Mounted only while lost, so its clock starts at the moment the connection was found lost.
  return lost ? <LostBanner lastUpdatedAt={lastUpdatedAt} detail={detail} /> : null;
}

function LostBanner({ lastUpdatedAt, detail }: { lastUpdatedAt: number; detail?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <div
      data-testid="connection-lost"
      className="mb-4 flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
    >
      {/* Announced once; the ticking age below is not a live region, or it would be read out every second. */}
      <span role="alert" className="sr-only">
        Connection lost: the figures on this page are not updating.
      </span>
      <WifiOff aria-hidden className="mt-0.5 size-4 shrink-0" />
      <div>
        <p className="font-medium">{connectionLostMessage(lastUpdatedAt, now)}</p>
        <p className="text-amber-800">
          The figures below are not updating. This page keeps trying and refreshes by itself when the connection returns.
          {detail ? ` (${detail})` : ""}
        </p>
      </div>
    </div>
  );
}
