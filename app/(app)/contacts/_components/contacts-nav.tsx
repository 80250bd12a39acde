import Link from "next/link";
import { cn } from "@/lib/utils";

const TABS = [
  { href: "/contacts", label: "People" },
  { href: "/contacts/groups", label: "Groups" },
  { href: "/contacts/import", label: "Import" },
];

/** Sub-navigation of the Contacts section. */
export function ContactsNav({ current }: { current: "/contacts" | "/contacts/groups" | "/contacts/import" }) {
  return (
    <nav aria-label="Contacts" className="mb-6 flex gap-1 border-b border-slate-200">
      {TABS.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          aria-current={t.href === current ? "page" : undefined}
          className={cn(
            "-mb-px border-b-2 px-3 py-2 text-sm font-medium focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none",
            t.href === current ? "border-blue-700 text-blue-800" : "border-transparent text-slate-600 hover:text-slate-900",
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
