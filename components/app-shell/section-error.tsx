"use client";

import { useEffect, useRef } from "react";
import { RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";

/**
 * What a section shows when its page failed to render (Next's error.tsx boundary): a plain
 * message inside the app shell, so navigation still works, and "Try again", which re-renders
 * the section. The error's own text stays in the server log: it is not written for users.
 * Focus moves to the heading so keyboard and screen-reader users learn what happened.
 */
export function SectionError({
  section,
  error,
  reset,
}: {
  section: string;
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-sm text-red-900">
      <h1 ref={heading} tabIndex={-1} className="text-lg font-semibold focus:outline-none">
        {section} could not be shown
      </h1>
      <p className="mt-2">
        Something went wrong while loading this page: the server may be unreachable or busy. Nothing was changed by this error.
        {error.digest ? ` (reference ${error.digest})` : ""}
      </p>
      <Button className="mt-4" onClick={reset}>
        <RotateCcw aria-hidden /> Try again
      </Button>
    </div>
  );
}
