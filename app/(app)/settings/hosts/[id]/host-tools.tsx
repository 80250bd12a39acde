"use client";

import { CheckCircle2, CircleAlert, PlugZap, TriangleAlert } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import type { ConnectionTest } from "@/lib/hosts/test-host";
import { deleteHostAction, testHostConnectionAction } from "../actions";

function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

/** "Test connection": runs the transport health check and shows each check readably. */
export function TestConnection({ hostId }: { hostId: string }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ConnectionTest | { ok: false; checks: []; error: string }>();
  return (
    <Card className="mb-6 p-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="font-semibold text-slate-900">Connection</h2>
          <p className="text-sm text-slate-600">
            Checks the spool directories, permissions, clock and free space as Spoolcast sees them (saved settings).
          </p>
        </div>
        <Button
          variant="outline"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const r = await testHostConnectionAction({ id: hostId });
              setResult(r.ok ? r.data : { ok: false, checks: [], error: r.error });
            })
          }
        >
          <PlugZap aria-hidden /> {pending ? "Testing…" : "Test connection"}
        </Button>
      </div>
      {result ? (
        <output aria-label="Connection test result" className="mt-4 block">
          <p className={`font-medium ${result.ok ? "text-green-800" : "text-red-800"}`}>
            {result.ok ? "Connection works." : "Connection has problems."}
            {result.ok && "clockSkewMs" in result && result.clockSkewMs !== undefined
              ? ` Clock difference ${Math.round(result.clockSkewMs / 1000)} s.`
              : ""}
            {"freeBytes" in result && result.freeBytes !== undefined ? ` ${formatBytes(result.freeBytes)} free.` : ""}
          </p>
          {result.error ? <p className="mt-1 text-sm text-red-800">{result.error}</p> : null}
          <ul className="mt-2 flex flex-col gap-1 text-sm">
            {result.checks.map((c) => (
              <li key={c.name} className="flex items-start gap-2">
                {c.ok ? (
                  <CheckCircle2 aria-label="ok" className="mt-0.5 size-4 shrink-0 text-green-700" />
                ) : c.severity === "warning" ? (
                  <TriangleAlert aria-label="warning" className="mt-0.5 size-4 shrink-0 text-amber-600" />
                ) : (
                  <CircleAlert aria-label="problem" className="mt-0.5 size-4 shrink-0 text-red-700" />
                )}
                <span className="min-w-0 break-words">
                  <span className="font-medium text-slate-900">{c.name}</span> —{" "}
                  <span className="text-slate-700">{c.detail}</span>
                </span>
              </li>
            ))}
          </ul>
        </output>
      ) : null}
    </Card>
  );
}

export function DeleteHostButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      variant="outline"
      title={`Delete host “${name}”?`}
      description="Only a host that has never placed a call can be deleted; otherwise disable it."
      confirmLabel="Delete host"
      pendingLabel="Deleting…"
      destructive
      onConfirm={async () => {
        const r = await deleteHostAction({ id });
        if (!r.ok) return r.error;
        toast.success(`Host “${name}” deleted`);
        router.push("/settings");
      }}
    >
      Delete
    </ConfirmButton>
  );
}
