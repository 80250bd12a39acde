import type { Metadata } from "next";
import { Megaphone } from "lucide-react";
import { ComingSoon } from "@/components/coming-soon";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "PA" };

export default async function PAPage() {
  await requireUser();
  return (
    <ComingSoon
      title="PA"
      icon={Megaphone}
      description="Emergency and PA announcements to groups of phones, with a live board of who answered and confirmed."
      detail="PA announcements are coming in a later version of Spoolcast. Nothing can be announced from here yet."
    />
  );
}
