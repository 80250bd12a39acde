"use client";

import { Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { removeDemoDataAction } from "./actions";

export type DemoDataCounts = { contacts: number; groups: number; messages: number; templates: number };

/**
 * "Demo data present": what `npm run demo` seeded, and the one button that removes it. Shown only
 * while the seed manifest exists; the confirmation says what goes and what stays.
 */
export function DemoDataCard({ counts, canEdit }: { counts: DemoDataCounts; canEdit: boolean }) {
  const router = useRouter();
  const what = `${counts.contacts} contacts, ${counts.groups} groups, ${counts.messages} messages and ${counts.templates} PA templates`;
  return (
    <section aria-labelledby="demo-data-title" className="mt-8">
      <Card className="border-amber-300 bg-amber-50 p-5">
        <h2 id="demo-data-title" className="font-semibold text-amber-950">
          Demo data present
        </h2>
        <p className="mt-1 text-sm text-amber-900">
          This database holds the demo&apos;s fictional hotel staff: {what}. A PA to everyone would ring their numbers. Remove
          them before real use; what you added yourself stays.
        </p>
        {canEdit ? (
          <ConfirmButton
            className="mt-3"
            variant="outline"
            destructive
            title="Remove all demo data?"
            description={
              <>
                Removes the {what} the demo seeded, and the PAs, campaigns and calls made only to demo contacts. Your own
                contacts, groups, messages, PAs and wake-ups stay; a demo message or template one of them still uses is kept. This
                cannot be undone.
              </>
            }
            confirmLabel="Remove demo data"
            pendingLabel="Removing…"
            onConfirm={async () => {
              const result = await removeDemoDataAction({});
              if (!result.ok) {
                toast.error(result.error);
                return false;
              }
              toast.success(result.data.summary);
              router.refresh();
            }}
          >
            <Trash2 aria-hidden /> Remove demo data
          </ConfirmButton>
        ) : (
          <p className="mt-3 text-xs text-amber-800">Only administrators can remove it.</p>
        )}
      </Card>
    </section>
  );
}
