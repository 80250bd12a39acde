"use client";

import { KeyRound, MoreHorizontal, UserCheck, UserX } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { LocalTime } from "@/components/ui/local-time";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Role } from "@/lib/auth/capabilities";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { changeUserRoleAction, resetUserPasswordAction, setUserDisabledAction } from "./actions";

export type UserRow = {
  id: string;
  name: string;
  email: string;
  role: string;
  disabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
};

const ROLE_BADGE: Record<string, "default" | "warning" | "secondary"> = {
  admin: "warning",
  operator: "default",
  viewer: "secondary",
};

function RoleSelect({ user }: { user: UserRow }) {
  const [role, setRole] = useState(user.role);
  const [pending, startTransition] = useTransition();
  return (
    <Select
      aria-label={`Role of ${user.name}`}
      value={role}
      disabled={pending}
      className="h-8 w-32 py-1"
      onChange={(event) => {
        const next = event.target.value as Role;
        setRole(next);
        startTransition(async () => {
          const result = await changeUserRoleAction({ userId: user.id, role: next });
          if (result.ok) toast.success(`${user.name} is now ${next}`);
          else {
            setRole(user.role);
            toast.error(result.error);
          }
        });
      }}
    >
      <option value="admin">Admin</option>
      <option value="operator">Operator</option>
      <option value="viewer">Viewer</option>
    </Select>
  );
}

function RowActions({ user, isSelf }: { user: UserRow; isSelf: boolean }) {
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [resetOpen, setResetOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const [resetError, setResetError] = useState<string>();

  function toggleDisabled() {
    startTransition(async () => {
      const result = await setUserDisabledAction({ userId: user.id, disabled: !user.disabled });
      if (result.ok)
        toast.success(result.data.disabled ? `${user.name} can no longer sign in` : `${user.name} can sign in again`);
      else toast.error(result.error);
      setConfirmOpen(false);
    });
  }

  function onReset(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    startTransition(async () => {
      const result = await resetUserPasswordAction({ userId: user.id, password });
      if (result.ok) {
        toast.success(`Password of ${user.name} changed`);
        setResetOpen(false);
        setResetError(undefined);
      } else setResetError(result.fieldErrors?.password ?? result.error);
    });
  }

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for ${user.name}`}>
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => setResetOpen(true)}>
            <KeyRound aria-hidden /> Reset password
          </DropdownMenuItem>
          {user.disabled ? (
            <DropdownMenuItem onSelect={toggleDisabled}>
              <UserCheck aria-hidden /> Enable
            </DropdownMenuItem>
          ) : (
            <DropdownMenuItem destructive disabled={isSelf} onSelect={() => setConfirmOpen(true)}>
              <UserX aria-hidden /> Disable
            </DropdownMenuItem>
          )}
        </DropdownMenuContent>
      </DropdownMenu>

      <AlertDialog open={confirmOpen} onOpenChange={setConfirmOpen}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Disable {user.name}?</AlertDialogTitle>
            <AlertDialogDescription>
              They are signed out everywhere at once and cannot sign in until an administrator enables the account again.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              destructive
              disabled={pending}
              onClick={(event) => {
                event.preventDefault();
                toggleDisabled();
              }}
            >
              Disable account
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>

      <Dialog
        open={resetOpen}
        onOpenChange={(open) => {
          setResetOpen(open);
          setResetError(undefined);
        }}
      >
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Reset the password of {user.name}</DialogTitle>
            <DialogDescription>They are signed out everywhere and sign in with the new password.</DialogDescription>
          </DialogHeader>
          <form onSubmit={onReset} className="flex flex-col gap-4" noValidate>
            <FormField
              label="New password"
              error={resetError}
              description={`At least ${PASSWORD_MIN_LENGTH} characters.`}
              required
            >
              <Input name="password" type="password" autoComplete="new-password" />
            </FormField>
            <DialogFooter>
              <Button variant="outline" onClick={() => setResetOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                Set password
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}

/** The users list; edit controls only when the viewer may manage users. */
export function UsersTable({ users, canManage, currentUserId }: { users: UserRow[]; canManage: boolean; currentUserId: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Role</TableHead>
            <TableHead className="hidden sm:table-cell">Status</TableHead>
            <TableHead className="hidden md:table-cell">Last sign-in</TableHead>
            {canManage ? (
              <TableHead className="w-12">
                <span className="sr-only">Actions</span>
              </TableHead>
            ) : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.map((user) => (
            <TableRow key={user.id} data-testid={`user-row-${user.email}`}>
              <TableCell>
                <div className="font-medium text-slate-900">
                  {user.name}
                  {user.id === currentUserId ? <span className="ml-2 text-xs font-normal text-slate-500">(you)</span> : null}
                </div>
                <div className="text-xs break-all text-slate-500">{user.email}</div>
                {user.disabled ? (
                  <Badge variant="destructive" className="mt-1 sm:hidden">
                    Disabled
                  </Badge>
                ) : null}
              </TableCell>
              <TableCell>
                {canManage ? (
                  <RoleSelect key={user.role} user={user} />
                ) : (
                  <Badge variant={ROLE_BADGE[user.role] ?? "secondary"} className="capitalize">
                    {user.role}
                  </Badge>
                )}
              </TableCell>
              <TableCell className="hidden sm:table-cell">
                {user.disabled ? <Badge variant="destructive">Disabled</Badge> : <Badge variant="success">Active</Badge>}
              </TableCell>
              <TableCell className="hidden text-slate-600 md:table-cell">
                <LocalTime iso={user.lastLoginAt} fallback="Never" />
              </TableCell>
              {canManage ? (
                <TableCell className="text-right">
                  <RowActions user={user} isSelf={user.id === currentUserId} />
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
