import Link from "next/link";
import { RadioTower } from "lucide-react";

export function Brand() {
  return (
    <Link
      href="/"
      className="flex items-center gap-2 rounded-md px-1 text-white focus-visible:ring-2 focus-visible:ring-blue-400 focus-visible:outline-none"
    >
      <span className="flex size-8 items-center justify-center rounded-md bg-blue-600">
        <RadioTower aria-hidden className="size-5" />
      </span>
      <span className="text-lg font-semibold tracking-tight">Spoolcast</span>
    </Link>
  );
}
