"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { Megaphone } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { EMERGENCY_PA_KEY, opensEmergencyPa } from "./pa-shortcut";

/**
 * The home page's Emergency PA block: one big button to the PA form, and one button per PA
 * template that opens the form with that template chosen (the operator still picks who and
 * confirms: the form's two-step review is the only way a PA is sent). The `e` shortcut is
 * shown on the button and announced through aria-keyshortcuts.
 */
export function EmergencyPa({ templates }: { templates: { id: string; name: string }[] }) {
  const router = useRouter();
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target instanceof HTMLElement ? e.target : null;
      const press = {
        key: e.key,
        altKey: e.altKey,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        shiftKey: e.shiftKey,
        repeat: e.repeat,
        defaultPrevented: e.defaultPrevented,
        targetTag: target?.tagName,
        targetEditable: target?.isContentEditable ?? false,
      };
      if (!opensEmergencyPa(press)) return;
      e.preventDefault();
      router.push("/pa");
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [router]);

  return (
    <section aria-labelledby="emergency-pa-title" className="mb-6 rounded-lg border border-red-200 bg-red-50 p-4 sm:p-5">
      <h2 id="emergency-pa-title" className="sr-only">
        Emergency PA
      </h2>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
        <Link
          href="/pa"
          aria-keyshortcuts={EMERGENCY_PA_KEY}
          className={cn(buttonVariants({ variant: "destructive", size: "lg" }), "h-14 w-full px-8 text-lg sm:w-auto")}
        >
          <Megaphone aria-hidden className="!size-6" />
          Emergency PA
          <kbd aria-hidden className="ml-2 rounded border border-red-300 bg-red-700 px-1.5 py-0.5 font-mono text-xs">
            E
          </kbd>
        </Link>
        {templates.length > 0 ? (
          <nav aria-label="PA templates" className="flex flex-wrap gap-2">
            {templates.map((t) => (
              <Link
                key={t.id}
                href={`/pa?template=${encodeURIComponent(t.id)}`}
                className={cn(buttonVariants({ variant: "outline" }), "border-red-300 text-red-800 hover:bg-red-100")}
              >
                {t.name}
              </Link>
            ))}
          </nav>
        ) : (
          <p className="text-sm text-red-900">
            No PA template yet. An admin can make them (fire, lockdown, all clear) under PA → Templates.
          </p>
        )}
      </div>
    </section>
  );
}
