import type { Metadata } from "next";
import { BarChart3 } from "lucide-react";
import { ComingSoon } from "@/components/coming-soon";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Results" };

export default async function ResultsPage() {
  await requireUser();
  return (
    <ComingSoon
      title="Results"
      icon={BarChart3}
      description="Every call's outcome and timeline, with CSV export."
      detail="Results appear here once Spoolcast places calls; call placement is coming in a later version."
    />
  );
}
