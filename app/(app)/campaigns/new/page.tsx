import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { listGroups } from "@/lib/groups/list-groups";
import { CampaignWizard } from "../_components/campaign-wizard";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage() {
  await requireCapability("campaigns.edit");
  const [groups, audios, hosts] = await Promise.all([
    listGroups(db()),
    db().audioMessage.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db().asteriskHost.findMany({ where: { enabled: true }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return (
    <>
      <PageHeader title="New campaign" description="Who is called, what they hear, when, and how often to try." />
      <CampaignWizard
        groups={groups.map((g) => ({ id: g.id, name: g.name, memberCount: g.memberCount }))}
        audios={audios}
        hosts={hosts}
      />
    </>
  );
}
