import type { Metadata } from "next";
import { getCountries } from "libphonenumber-js/max";
import { PageHeader } from "@/components/ui/page-header";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { loadIvrSecrets } from "@/lib/ivr/ivr-secret";
import { getSiteSettings } from "@/lib/settings/site-settings";
import { getCallWindowSettings } from "@/lib/settings/call-windows";
import { CallWindowsForm } from "./call-windows-form";
import { RotateSecretCard } from "./rotate-secret-card";
import { SiteSettingsForm } from "./site-settings-form";

export const metadata: Metadata = { title: "Site defaults" };

export default async function SiteSettingsPage() {
  await requireCapability("settings.edit");
  const settings = await getSiteSettings(db());
  const windows = await getCallWindowSettings(db());
  const secrets = await loadIvrSecrets(db(), env().secret);
  const names = new Intl.DisplayNames(["en"], { type: "region" });
  const countries = getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <PageHeader
        title="Site defaults"
        description="How national phone numbers are read, the time zone new contacts and schedules start with, how late a call may still be dialled, and the IVR token secret."
      />
      <div className="flex flex-col gap-6">
        <SiteSettingsForm initial={settings} countries={countries} timeZones={["UTC", ...Intl.supportedValuesOf("timeZone")]} />
        <CallWindowsForm initial={windows} />
        <RotateSecretCard
          envManaged={!!process.env.SPOOLCAST_SECRET}
          rotatedAt={secrets.rotatedAt?.toISOString() ?? null}
          previousUntil={secrets.previousUntil?.toISOString() ?? null}
        />
      </div>
    </>
  );
}
