"use client";

import { Phone } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { getClickCallStatusAction, startClickToCallAction } from "@/app/(app)/contacts/call-actions";

/** How long the toast follows a call before leaving it to the Results page. */
const FOLLOW_MS = 10 * 60 * 1000;
const POLL_MS = 1000;

/**
 * Click-to-call: rings the user's desk phone, then the contact. The toast follows the call by
 * polling what is known (lib/calls/click-to-call.ts clickStatusFor): ringing your phone → your
 * phone answered, calling the contact → the contact leg's outcome in dialplan IVR mode, or
 * "not visible" in direct mode.
 */
export function CallButton({ contactId, name, number }: { contactId: string; name: string; number: string }) {
  // A double-click must ring the desk phone once: useAction ignores a click while one is running.
  const { run: call, pending: busy } = useAction(async () => {
    const toastId = toast.loading(`Calling ${name}: ringing your phone first…`);
    const r = await startClickToCallAction({ contactId, number });
    if (!r.ok) {
      toast.error(r.error, { id: toastId });
      return;
    }
    const deadline = Date.now() + FOLLOW_MS;
    let last = "";
    while (Date.now() < deadline) {
      const s = await getClickCallStatusAction({ callId: r.data.callId });
      if (!s.ok) {
        toast.error(s.error, { id: toastId });
        return;
      }
      // The same words can turn final (a contact report arrives before the archive): the
      // toast must still leave its loading state then.
      const shown = `${s.data.phase}:${s.data.final}:${s.data.text}`;
      if (shown !== last) {
        last = shown;
        // "ended" only when Asterisk reported the contact answered; "unknown" when the
        // contact leg cannot be known (direct IVR mode): neither good nor bad news.
        if (s.data.phase === "failed") toast.error(s.data.text, { id: toastId });
        else if (s.data.phase === "ended") toast.success(s.data.text, { id: toastId });
        else if (s.data.phase === "unknown") toast.info(s.data.text, { id: toastId });
        else if (s.data.final) toast.message(s.data.text, { id: toastId });
        else toast.loading(s.data.text, { id: toastId });
      }
      if (s.data.final) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    toast.message("Still in progress: see Results for the outcome.", { id: toastId });
  });

  return (
    <Button
      variant="ghost"
      size="icon"
      className="size-8"
      onClick={() => void call()}
      disabled={busy}
      aria-label={`Call ${name} at ${number}`}
      title={`Call ${number}`}
    >
      <Phone aria-hidden />
    </Button>
  );
}
