import type { Metadata } from "next";
import { Users } from "lucide-react";
import { ComingSoon } from "@/components/coming-soon";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage() {
  await requireUser();
  return (
    <ComingSoon
      title="Contacts"
      icon={Users}
      description="People, their phone numbers and the groups you call together."
      detail="Contact management is coming in a later version of Spoolcast."
    />
  );
}
