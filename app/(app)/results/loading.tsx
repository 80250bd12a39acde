import { SectionLoading } from "@/components/app-shell/section-loading";

export default function Loading() {
  return <SectionLoading section="Results" />;
}
