"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { WakeUpSeries } from "@/lib/wakeups/list-wakeups";
import { WakeUpForm } from "./wakeup-form";

export function EditWakeUpDialog({
  series,
  siteTimeZone,
  timeZones,
  siteToleranceMinutes,
}: {
  series: WakeUpSeries;
  siteTimeZone: string;
  timeZones: string[];
  siteToleranceMinutes: number;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Edit room ${series.room} ${series.localTime}`}>
          Edit
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto">
        <DialogHeader>
          <DialogTitle>Edit wake-up for room {series.room}</DialogTitle>
          <DialogDescription>Calls not yet ringing move to the new schedule.</DialogDescription>
        </DialogHeader>
        <WakeUpForm
          series={series}
          siteTimeZone={siteTimeZone}
          timeZones={timeZones}
          siteToleranceMinutes={siteToleranceMinutes}
          onDone={() => setOpen(false)}
        />
      </DialogContent>
    </Dialog>
  );
}
