import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { getDefaultCountry } from "@/lib/contacts/default-country";
import { ContactForm } from "../_components/contact-form";
import { listTimeZones } from "../_components/time-zones";

export const metadata: Metadata = { title: "New contact" };

export default async function NewContactPage() {
  await requireCapability("contacts.edit");
  const country = await getDefaultCountry(db());
  return (
    <>
      <PageHeader title="New contact" description="Name and at least one phone number; everything else is optional." />
      <ContactForm
        initial={{ name: "", phones: [], deskEndpoint: "", timeZone: "", language: "", tags: "", notes: "" }}
        timeZones={listTimeZones()}
        defaultCountry={country}
      />
    </>
  );
}
