import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { DialplanConfigError, renderDialplanSnippet, selfTestContextFor } from "@/lib/ivr/dialplan";
import { CopyButton } from "./copy-button";

export const metadata: Metadata = { title: "Dialplan snippet" };

const FIELD_LABELS: Record<string, string> = {
  ivrPublicAddress: "IVR public address",
  ivrContext: "IVR context",
  outboundContext: "Outbound context",
};

export default async function DialplanPage({ params }: { params: Promise<{ id: string }> }) {
  await requireCapability("settings.edit");
  const { id } = await params;
  const host = await db().asteriskHost.findUnique({
    where: { id },
    select: { id: true, name: true, ivrContext: true, ivrPublicAddress: true, ivrMode: true, outboundContext: true },
  });
  if (!host) notFound();
  const address = host.ivrPublicAddress || env().ivrPublicAddress;
  let snippet: string | null = null;
  let problem: string | null = null;
  try {
    snippet = renderDialplanSnippet({
      name: host.name,
      ivrContext: host.ivrContext,
      ivrPublicAddress: address,
      outboundContext: host.outboundContext,
    });
  } catch (e) {
    if (!(e instanceof DialplanConfigError)) throw e;
    problem = `${FIELD_LABELS[e.field] ?? e.field}: ${e.reason}`;
  }
  return (
    <>
      <PageHeader
        title={`Dialplan for “${host.name}”`}
        description={
          <>
            Paste into <code>/etc/asterisk/extensions.conf</code> on the PBX, then reload the dialplan.{" "}
            <Link href={`/settings/hosts/${host.id}`} className="text-blue-700 underline">
              Back to the host
            </Link>
          </>
        }
      />
      {host.ivrMode === "direct" ? (
        <Alert variant="info" className="mb-4">
          This host is in direct IVR mode: call files start ExternalIVR themselves and the snippet is optional, except its
          self-test context (<code>[{selfTestContextFor(host.ivrContext)}]</code>), which &ldquo;Test the PBX&rdquo; calls into.
          In dialplan mode it is required, and it also reports why unanswered attempts failed and, for click-to-call, whether the
          contact answered (in direct mode the contact&apos;s leg is not visible).
        </Alert>
      ) : null}
      {problem ? (
        <Alert variant="error">
          {problem}.{" "}
          <Link href={`/settings/hosts/${host.id}`} className="underline">
            Fix it in the host settings
          </Link>
          .
        </Alert>
      ) : (
        <Card className="min-w-0 p-5">
          <div className="mb-3 flex items-center justify-between gap-2">
            <h2 className="font-semibold text-slate-900">extensions.conf</h2>
            <CopyButton text={snippet!} />
          </div>
          <pre
            data-testid="dialplan-snippet"
            className="overflow-x-auto rounded-md bg-slate-900 p-4 text-xs leading-relaxed text-slate-100"
          >
            {snippet}
          </pre>
        </Card>
      )}
    </>
  );
}
