"use client";

import { SectionError } from "@/components/app-shell/section-error";

export default function SectionErrorPage(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Campaigns" {...props} />;
}
