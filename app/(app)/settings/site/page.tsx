import type { Metadata } from "next";
import { getCountries } from "libphonenumber-js/max";
import { PageHeader } from "@/components/ui/page-header";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { getSiteSettings } from "@/lib/settings/site-settings";
import { SiteSettingsForm } from "./site-settings-form";

export const metadata: Metadata = { title: "Site defaults" };

export default async function SiteSettingsPage() {
  await requireCapability("settings.edit");
  const settings = await getSiteSettings(db());
  const names = new Intl.DisplayNames(["en"], { type: "region" });
  const countries = getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <PageHeader title="Site defaults" description="How national phone numbers are read, and the time zone new contacts and schedules start with." />
      <SiteSettingsForm initial={settings} countries={countries} timeZones={["UTC", ...Intl.supportedValuesOf("timeZone")]} />
    </>
  );
}
