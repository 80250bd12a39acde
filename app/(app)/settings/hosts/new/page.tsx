import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { requireCapability } from "@/lib/auth/current-user";
import { HostForm } from "../host-form";
import { NEW_HOST } from "../host-values";

export const metadata: Metadata = { title: "New Asterisk host" };

export default async function NewHostPage() {
  await requireCapability("settings.edit");
  return (
    <>
      <PageHeader
        title="New Asterisk host"
        description={
          <>
            A PBX Spoolcast places calls through.{" "}
            <Link href="/settings" className="text-blue-700 underline">
              Back to settings
            </Link>
          </>
        }
      />
      <HostForm initial={NEW_HOST} />
    </>
  );
}
