import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { getContact } from "@/lib/contacts/get-contact";
import { getDefaultCountry } from "@/lib/contacts/default-country";
import { ContactForm } from "../_components/contact-form";
import { listTimeZones } from "../_components/time-zones";
import { CallButton } from "@/app/(app)/contacts/_components/call-button";
import { DeleteContactButton } from "./delete-contact-button";
import { describeStored } from "@/lib/destinations/describe-stored";

export const metadata: Metadata = { title: "Contact" };

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-2">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export default async function ContactPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireCapability("contacts.view");
  const { id } = await params;
  const contact = await getContact(db(), id);
  if (!contact) notFound();
  const canEdit = can(user, "contacts.edit");
  const canCall = can(user, "calls.place");

  return (
    <>
      <Link href="/contacts" className="mb-3 inline-flex items-center gap-1 text-sm text-slate-600 hover:text-slate-900">
        <ArrowLeft aria-hidden className="size-4" /> All contacts
      </Link>
      <PageHeader
        title={contact.name}
        description={
          <>
            Added <LocalTime iso={contact.createdAt.toISOString()} />
            {contact.groups.length > 0 ? " · in " : null}
            {contact.groups.map((g, i) => (
              <span key={g.id}>
                {i > 0 ? ", " : null}
                <Link className="text-blue-800 hover:underline" href={`/contacts/groups/${g.id}`}>
                  {g.name}
                </Link>
              </span>
            ))}
          </>
        }
        actions={canEdit ? <DeleteContactButton id={contact.id} name={contact.name} /> : null}
      />
      {canCall && contact.phones.length > 0 ? (
        <section aria-label="Call" className="mb-6 flex flex-wrap gap-2">
          {contact.phones.map((p) => (
            <span
              key={p.destination}
              className="inline-flex items-center gap-1 rounded-md border border-slate-200 bg-white py-0.5 pr-1 pl-3 text-sm"
            >
              <span className="font-mono tabular-nums">{describeStored(p)}</span>
              {p.label ? <span className="text-slate-500">{p.label}</span> : null}
              {p.kind === "endpoint" ? null : <CallButton contactId={contact.id} name={contact.name} number={p.destination} />}
            </span>
          ))}
        </section>
      ) : null}
      {canEdit ? (
        <ContactForm
          initial={{
            id: contact.id,
            name: contact.name,
            phones: contact.phones.map((p) => ({ number: p.destination, label: p.label })),
            deskEndpoint: contact.deskEndpoint ?? "",
            timeZone: contact.timeZone ?? "",
            language: contact.language ?? "",
            tags: contact.tags.join(", "),
            notes: contact.notes,
          }}
          timeZones={listTimeZones()}
          defaultCountry={await getDefaultCountry(db())}
        />
      ) : (
        <dl className="max-w-2xl divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white px-4">
          <Detail label="Phone numbers">
            <ul>
              {contact.phones.map((p) => (
                <li key={p.destination}>
                  <span className="font-mono tabular-nums">{describeStored(p)}</span>
                  {p.label ? <span className="ml-2 text-slate-500">{p.label}</span> : null}
                </li>
              ))}
            </ul>
          </Detail>
          <Detail label="Desk endpoint">{contact.deskEndpoint ?? "—"}</Detail>
          <Detail label="Time zone">{contact.timeZone ?? "—"}</Detail>
          <Detail label="Language">{contact.language ?? "—"}</Detail>
          <Detail label="Tags">
            {contact.tags.length === 0
              ? "—"
              : contact.tags.map((t) => (
                  <Badge key={t} variant="secondary" className="mr-1">
                    {t}
                  </Badge>
                ))}
          </Detail>
          <Detail label="Notes">
            <span className="whitespace-pre-wrap">{contact.notes || "—"}</span>
          </Detail>
        </dl>
      )}
    </>
  );
}
