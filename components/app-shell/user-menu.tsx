"use client";

import { ChevronDown, LogOut, Settings2, UserRound } from "lucide-react";
import Link from "next/link";
import { useTransition } from "react";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Badge } from "@/components/ui/badge";

/** The signed-in user's name and role, with sign-out. `signOut` is a server action. */
export function UserMenu({
  name,
  email,
  role,
  signOut,
}: {
  name: string;
  email: string;
  role: string;
  signOut: () => Promise<void>;
}) {
  const [pending, startTransition] = useTransition();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger className="inline-flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none">
        <span className="flex size-7 items-center justify-center rounded-full bg-slate-200 text-slate-700">
          <UserRound aria-hidden className="size-4" />
        </span>
        <span className="hidden max-w-40 truncate font-medium sm:inline">{name}</span>
        <span className="sr-only sm:hidden">Account menu for {name}</span>
        <ChevronDown aria-hidden className="size-4 text-slate-500" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="flex flex-col gap-1 font-normal">
          <span className="truncate text-sm font-medium text-slate-900">{name}</span>
          <span className="truncate text-xs text-slate-500">{email}</span>
          <Badge variant="secondary" className="w-fit capitalize">
            {role}
          </Badge>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/account">
            <Settings2 aria-hidden /> Your account
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem disabled={pending} onSelect={() => startTransition(() => signOut())}>
          <LogOut aria-hidden /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
