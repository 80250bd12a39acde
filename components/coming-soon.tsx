import type { LucideIcon } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/** A section that is part of the app but not available in this build yet. */
export function ComingSoon({
  title,
  description,
  icon,
  detail,
}: {
  title: string;
  description: string;
  icon: LucideIcon;
  detail: string;
}) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState icon={icon} title={`${title} is not available yet`} description={detail} />
    </>
  );
}
