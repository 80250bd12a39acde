"use client";

import Link from "next/link";
import { CheckCircle2, CircleAlert, CircleMinus, PhoneCall, TriangleAlert } from "lucide-react";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import type { SelfTestLine } from "@/lib/hosts/self-test-checklist";
import type { SelfTestResult } from "@/lib/hosts/self-test-store";
import { runSelfTestAction } from "./self-test-actions";

const STATUS_WORDS: Record<SelfTestLine["status"], string> = {
  passed: "passed",
  failed: "failed",
  warning: "warning",
  skipped: "not checked",
};

function StatusIcon({ status }: { status: SelfTestLine["status"] }) {
  const label = STATUS_WORDS[status];
  if (status === "passed") return <CheckCircle2 aria-label={label} className="mt-0.5 size-4 shrink-0 text-green-700" />;
  if (status === "failed") return <CircleAlert aria-label={label} className="mt-0.5 size-4 shrink-0 text-red-700" />;
  if (status === "warning") return <TriangleAlert aria-label={label} className="mt-0.5 size-4 shrink-0 text-amber-600" />;
  return <CircleMinus aria-label={label} className="mt-0.5 size-4 shrink-0 text-slate-400" />;
}

function summary(result: SelfTestResult): string {
  if (result.ok) return "The PBX passed the self-test.";
  const failed = result.lines.find((l) => l.status === "failed");
  return failed ? `The PBX failed the self-test at: ${failed.label}.` : "The PBX passed the self-test with warnings.";
}

/** The checklist of one self-test: each line with what was seen and, when it failed, the fix. */
function Checklist({ result }: { result: SelfTestResult }) {
  return (
    <>
      <p className={`font-medium ${result.ok ? "text-green-800" : "text-red-800"}`}>{summary(result)}</p>
      <ol aria-label="Self-test checklist" className="mt-2 flex flex-col gap-2 text-sm">
        {result.lines.map((line) => (
          <li key={line.id} className="flex items-start gap-2" data-status={line.status}>
            <StatusIcon status={line.status} />
            <span className="min-w-0 break-words">
              <span className="font-medium text-slate-900">{line.label}</span>
              <span className="sr-only"> ({STATUS_WORDS[line.status]})</span> —{" "}
              <span className="text-slate-700">{line.detail}</span>
              {line.fix && (line.status === "failed" || line.status === "warning") ? (
                <span className="mt-0.5 block text-slate-900">
                  <span className="font-medium">Fix:</span> {line.fix}
                </span>
              ) : null}
            </span>
          </li>
        ))}
      </ol>
      <p className="mt-2 text-xs text-slate-600">
        Test calls:{" "}
        {result.callIds.map((id, i) => (
          <span key={id}>
            {i > 0 ? ", " : ""}
            <Link href={`/results/${id}`} className="text-blue-700 underline underline-offset-2">
              call {i + 1}
            </Link>
          </span>
        ))}
      </p>
    </>
  );
}

/**
 * "Test the PBX" on the host page: runs the self-test call (lib/hosts/self-test.ts) and shows its
 * checklist; before that, the host's last stored result, so the page says when it was last tested.
 */
export function SelfTest({ hostId, last }: { hostId: string; last: SelfTestResult | null }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<SelfTestResult | null>(last);
  const [error, setError] = useState<string | null>(null);
  return (
    <Card className="mb-6 p-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="font-semibold text-slate-900">Self-test call</h2>
          <p className="text-sm text-slate-600">
            Places test calls that Asterisk answers by itself (no phone rings) and checks each step: pickup, archive, IVR server,
            sounds and, in dialplan mode, the failure report. Takes up to a minute and a half.
          </p>
          <p className="mt-1 text-sm text-slate-700" data-testid="last-self-test">
            Last self-test:{" "}
            {last ? (
              <>
                <LocalTime iso={last.finishedAt} /> — {last.ok ? "passed" : "failed"}
              </>
            ) : (
              "never run"
            )}
          </p>
        </div>
        <Button
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              setError(null);
              const r = await runSelfTestAction({ id: hostId });
              if (r.ok) setResult(r.data);
              else setError(r.error);
            })
          }
        >
          <PhoneCall aria-hidden /> {pending ? "Testing the PBX…" : "Test the PBX"}
        </Button>
      </div>
      <output aria-label="Self-test result" aria-live="polite" className="mt-4 block">
        {pending ? <p className="text-sm text-slate-700">Placing the test calls and waiting for Asterisk…</p> : null}
        {error ? <p className="text-sm text-red-800">{error}</p> : null}
        {!pending && result ? <Checklist result={result} /> : null}
      </output>
    </Card>
  );
}
