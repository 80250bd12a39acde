import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FileCode } from "lucide-react";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { HostForm } from "../host-form";
import { toFormValues } from "../host-values";
import { getLastSelfTest } from "@/lib/hosts/self-test-store";
import { DeleteHostButton, TestConnection } from "./host-tools";
import { SelfTest } from "./self-test";

export const metadata: Metadata = { title: "Asterisk host" };

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  await requireCapability("settings.edit");
  const { id } = await params;
  const host = await db().asteriskHost.findUnique({ where: { id }, omit: { sftpPrivateKey: false } });
  if (!host) notFound();
  const { sftpPrivateKey, ...rest } = host;
  const lastSelfTest = await getLastSelfTest(db(), host.id);
  return (
    <>
      <PageHeader
        title={`Host “${host.name}”`}
        description={
          <>
            {host.transport === "sftp" ? `SFTP to ${host.sftpUser}@${host.sftpHost}` : "Local spool"} ·{" "}
            <code className="text-xs">{host.spoolDir}</code> ·{" "}
            <Link href="/settings" className="text-blue-700 underline">
              Back to settings
            </Link>
          </>
        }
        actions={
          <>
            <Button asChild variant="outline">
              <Link href={`/settings/hosts/${host.id}/dialplan`}>
                <FileCode aria-hidden /> Dialplan snippet
              </Link>
            </Button>
            {host.isDefault ? null : <DeleteHostButton id={host.id} name={host.name} />}
          </>
        }
      />
      <TestConnection hostId={host.id} />
      <SelfTest hostId={host.id} last={lastSelfTest} />
      <HostForm key={host.updatedAt.toISOString()} initial={toFormValues(rest, !!sftpPrivateKey)} />
    </>
  );
}
