import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { MAX_CSV_BYTES } from "@/lib/csv/decode-csv";
import { listGroups } from "@/lib/groups/list-groups";
import { ContactsNav } from "../_components/contacts-nav";
import { ImportWizard } from "./import-wizard";

export const metadata: Metadata = { title: "Import contacts" };

export default async function ImportPage({ searchParams }: { searchParams: Promise<{ group?: string }> }) {
  await requireCapability("contacts.edit");
  const groups = await listGroups(db());
  const { group } = await searchParams;
  return (
    <>
      <PageHeader title="Contacts" description="Import people from a CSV file: check every row before anything is saved." />
      <ContactsNav current="/contacts/import" />
      <ImportWizard
        groups={groups.map((g) => ({ id: g.id, name: g.name }))}
        maxMegabytes={MAX_CSV_BYTES / 1024 / 1024}
        initialGroupId={groups.some((g) => g.id === group) ? group : undefined}
      />
    </>
  );
}
