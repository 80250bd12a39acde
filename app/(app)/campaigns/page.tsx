import type { Metadata } from "next";
import { Send } from "lucide-react";
import { ComingSoon } from "@/components/coming-soon";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  await requireUser();
  return (
    <ComingSoon
      title="Campaigns"
      icon={Send}
      description="Message campaigns to groups: schedule, calling window, pacing, retries and acknowledgement."
      detail="Campaigns are coming in a later version of Spoolcast. Nothing is scheduled or dialled from here yet."
    />
  );
}
