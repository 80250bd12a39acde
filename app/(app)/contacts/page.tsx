import type { Metadata } from "next";
import Link from "next/link";
import { Download, Plus, Search, Upload, Users } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { listContacts, listContactsSchema, MAX_PHONE_MATCHES } from "@/lib/contacts/list-contacts";
import { listGroups } from "@/lib/groups/list-groups";
import { CallButton } from "@/app/(app)/contacts/_components/call-button";
import { ContactsNav } from "./_components/contacts-nav";
import { describeStored } from "@/lib/destinations/describe-stored";

export const metadata: Metadata = { title: "Contacts" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export default async function ContactsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireCapability("contacts.view");
  const canEdit = can(user, "contacts.edit");
  const canCall = can(user, "calls.place");
  const sp = await searchParams;
  const params = listContactsSchema.parse({
    q: first(sp.q),
    tag: first(sp.tag),
    groupId: first(sp.group),
    sort: first(sp.sort),
    page: first(sp.page),
    pageSize: first(sp.size),
  });
  const [result, groups] = await Promise.all([listContacts(db(), params), listGroups(db())]);
  const filtered = params.q !== "" || params.tag || params.groupId;

  const hrefFor = (page: number) => {
    const q = new URLSearchParams();
    if (params.q) q.set("q", params.q);
    if (params.tag) q.set("tag", params.tag);
    if (params.groupId) q.set("group", params.groupId);
    if (params.sort !== "name") q.set("sort", params.sort);
    if (params.pageSize !== 50) q.set("size", String(params.pageSize));
    if (page > 1) q.set("page", String(page));
    const s = q.toString();
    return s ? `/contacts?${s}` : "/contacts";
  };
  const exportHref = params.groupId ? `/contacts/export?group=${encodeURIComponent(params.groupId)}` : "/contacts/export";

  return (
    <>
      <PageHeader
        title="Contacts"
        description="People Spoolcast can call, with their numbers in international (E.164) form."
        actions={
          <>
            <a className={buttonVariants({ variant: "outline" })} href={exportHref} download>
              <Download aria-hidden /> Export CSV
            </a>
            {canEdit ? (
              <>
                <Link className={buttonVariants({ variant: "outline" })} href="/contacts/import">
                  <Upload aria-hidden /> Import CSV
                </Link>
                <Link className={buttonVariants()} href="/contacts/new">
                  <Plus aria-hidden /> New contact
                </Link>
              </>
            ) : null}
          </>
        }
      />
      <ContactsNav current="/contacts" />
      <search className="mb-4">
        <form method="get" action="/contacts" className="flex flex-wrap items-end gap-3">
          <div className="flex min-w-56 flex-1 flex-col gap-1.5">
            <Label htmlFor="contacts-q">Search</Label>
            <Input id="contacts-q" name="q" type="search" defaultValue={params.q} placeholder="Name or phone number" />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="contacts-group">Group</Label>
            <Select id="contacts-group" name="group" defaultValue={params.groupId ?? ""} className="w-44">
              <option value="">All groups</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="contacts-tag">Tag</Label>
            <Input id="contacts-tag" name="tag" defaultValue={params.tag ?? ""} className="w-32" placeholder="e.g. vip" />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="contacts-sort">Sort</Label>
            <Select id="contacts-sort" name="sort" defaultValue={params.sort} className="w-40">
              <option value="name">Name A–Z</option>
              <option value="-name">Name Z–A</option>
              <option value="-created">Newest first</option>
              <option value="created">Oldest first</option>
            </Select>
          </div>
          <Button type="submit" variant="secondary">
            <Search aria-hidden /> Search
          </Button>
          {filtered ? (
            <Link className={buttonVariants({ variant: "ghost" })} href="/contacts">
              Clear
            </Link>
          ) : null}
        </form>
      </search>
      {result.truncated ? (
        <output className="mb-3 block text-sm text-amber-800">
          More than {MAX_PHONE_MATCHES} numbers contain those digits; showing contacts for the first {MAX_PHONE_MATCHES}. Type
          more digits to narrow it down.
        </output>
      ) : null}
      {result.total === 0 ? (
        filtered ? (
          <EmptyState
            icon={Search}
            title="No contacts match"
            description="Try fewer letters, another group or tag, or clear the search."
          />
        ) : (
          <EmptyState
            icon={Users}
            title="No contacts yet"
            description="Add people one by one or import a CSV file exported from a spreadsheet or phone system."
            action={
              canEdit ? (
                <div className="flex gap-2">
                  <Link className={buttonVariants()} href="/contacts/new">
                    <Plus aria-hidden /> New contact
                  </Link>
                  <Link className={buttonVariants({ variant: "outline" })} href="/contacts/import">
                    <Upload aria-hidden /> Import CSV
                  </Link>
                </div>
              ) : null
            }
          />
        )
      ) : (
        <div className="rounded-lg border border-slate-200 bg-white">
          <Table>
            <caption className="sr-only">Contacts, sorted by {params.sort.includes("name") ? "name" : "date added"}</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Phone</TableHead>
                <TableHead className="hidden md:table-cell">Desk</TableHead>
                <TableHead className="hidden md:table-cell">Time zone</TableHead>
                <TableHead className="hidden lg:table-cell">Tags</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.rows.map((c) => (
                <TableRow key={c.id}>
                  <TableCell className="font-medium">
                    <Link
                      href={`/contacts/${c.id}`}
                      className="text-blue-800 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
                    >
                      {c.name}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <span className="font-mono text-[13px] tabular-nums">{c.phones[0] ? describeStored(c.phones[0]) : "—"}</span>
                    {canCall && c.phones[0] && c.phones[0].kind !== "endpoint" ? (
                      <CallButton contactId={c.id} name={c.name} number={c.phones[0].destination} />
                    ) : null}
                    {c.phones.length > 1 ? (
                      <span className="ml-2 text-xs text-slate-500">+{c.phones.length - 1} more</span>
                    ) : null}
                  </TableCell>
                  <TableCell className="hidden font-mono text-[13px] md:table-cell">{c.deskEndpoint ?? "—"}</TableCell>
                  <TableCell className="hidden text-slate-600 md:table-cell">{c.timeZone ?? "—"}</TableCell>
                  <TableCell className="hidden lg:table-cell">
                    <div className="flex flex-wrap gap-1">
                      {c.tags.map((t) => (
                        <Badge key={t} variant="secondary">
                          {t}
                        </Badge>
                      ))}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {result.total > 0 ? (
        <Pagination page={result.page} pageCount={result.pageCount} total={result.total} hrefFor={hrefFor} label="contacts" />
      ) : null}
    </>
  );
}
