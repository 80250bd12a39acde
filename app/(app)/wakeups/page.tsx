import type { Metadata } from "next";
import { AlarmClock } from "lucide-react";
import { ComingSoon } from "@/components/coming-soon";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Wake-ups" };

export default async function WakeupsPage() {
  await requireUser();
  return (
    <ComingSoon
      title="Wake-ups"
      icon={AlarmClock}
      description="One-off and recurring wake-up calls in each guest's time zone, with snooze and retry."
      detail="Wake-up calls are coming in a later version of Spoolcast. No wake-up is booked from here yet."
    />
  );
}
