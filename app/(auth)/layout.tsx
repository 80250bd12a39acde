import { RadioTower } from "lucide-react";

/** Sign-in and setup: a centred card, no navigation. */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen flex-col items-center justify-center gap-6 px-4 py-10">
      <div className="flex items-center gap-2 text-slate-900">
        <span className="flex size-9 items-center justify-center rounded-md bg-blue-700 text-white">
          <RadioTower aria-hidden className="size-5" />
        </span>
        <span className="text-xl font-semibold tracking-tight">Spoolcast</span>
      </div>
      <div className="w-full max-w-sm">{children}</div>
    </main>
  );
}
