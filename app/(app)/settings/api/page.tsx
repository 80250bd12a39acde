import type { Metadata } from "next";
import Link from "next/link";
import { BookOpen, KeyRound } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { API_SCOPES, SCOPE_DESCRIPTIONS } from "@/lib/api/scopes";
import { listApiTokens } from "@/lib/api/tokens";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { CreateTokenDialog } from "./create-token-dialog";
import { RevokeTokenButton } from "./revoke-token-button";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  await requireCapability("tokens.manage");
  const tokens = await listApiTokens(db());
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let other systems (fire panels, monitoring) call the REST API. Each token has only the scopes you give it."
        actions={
          <>
            <Button asChild variant="outline">
              <Link href="/settings/api/docs">
                <BookOpen aria-hidden /> API documentation
              </Link>
            </Button>
            <CreateTokenDialog scopes={API_SCOPES.map((s) => ({ id: s, description: SCOPE_DESCRIPTIONS[s] }))} />
          </>
        }
      />
      {tokens.length === 0 ? (
        <EmptyState
          icon={KeyRound}
          title="No API tokens yet"
          description="Create one for each system that should call Spoolcast."
        />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Scopes</TableHead>
              <TableHead className="hidden md:table-cell">Expires</TableHead>
              <TableHead className="hidden md:table-cell">Last used</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="w-0">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tokens.map((t) => {
              return (
                <TableRow key={t.id}>
                  <TableCell>
                    <div className="font-medium text-slate-900">{t.name}</div>
                    <code className="text-xs text-slate-500">{t.prefix}…</code>
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap gap-1">
                      {t.scopes.map((s) => (
                        <Badge key={s} variant="secondary">
                          {s}
                        </Badge>
                      ))}
                    </div>
                  </TableCell>
                  <TableCell className="hidden text-sm text-slate-600 md:table-cell">
                    <LocalTime iso={t.expiresAt?.toISOString() ?? null} fallback="never" />
                  </TableCell>
                  <TableCell className="hidden text-sm text-slate-600 md:table-cell">
                    <LocalTime iso={t.lastUsedAt?.toISOString() ?? null} fallback="never" />
                  </TableCell>
                  <TableCell>
                    {t.status === "revoked" ? (
                      <Badge variant="destructive">revoked</Badge>
                    ) : t.status === "expired" ? (
                      <Badge variant="warning">expired</Badge>
                    ) : (
                      <Badge variant="success">active</Badge>
                    )}
                  </TableCell>
                  <TableCell>{t.revokedAt ? null : <RevokeTokenButton id={t.id} name={t.name} />}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </>
  );
}
