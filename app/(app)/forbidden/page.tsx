import type { Metadata } from "next";
import Link from "next/link";
import { ShieldX } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "No access" };

export default async function ForbiddenPage() {
  const user = await requireUser();
  return (
    <EmptyState
      icon={ShieldX}
      title="You do not have access to that page"
      description={`Your role (${user.role}) does not include it. An administrator can change your role in Settings → Users.`}
      action={
        <Link href="/" className={buttonVariants({ variant: "outline" })}>
          Back to the dashboard
        </Link>
      }
    />
  );
}
