/**
 * Site-wide defaults an admin sets in Settings: the default country for reading national
 * phone numbers (Setting `defaultCountry`, read by lib/contacts/default-country.ts) and the
 * default time zone for new contacts and schedules (Setting `defaultTimeZone`). Values are
 * stored as JSON strings.
 */
import { z } from "zod";
import type { Db, Tx } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/record-audit";
import { writeSettingsAudited } from "@/lib/settings/write-settings";
import { DEFAULT_COUNTRY_KEY, getDefaultCountry } from "@/lib/contacts/default-country";
import { isCountryCode } from "@/lib/contacts/normalize-phone";

export const DEFAULT_TIME_ZONE_KEY = "defaultTimeZone";
export const FALLBACK_TIME_ZONE = "UTC";

const zones = () => new Set(Intl.supportedValuesOf("timeZone").concat("UTC"));

export const siteSettingsSchema = z.object({
  defaultCountry: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .refine((v) => isCountryCode(v), "A two-letter country code such as US, GB or DE"),
  defaultTimeZone: z
    .string()
    .trim()
    .refine((v) => zones().has(v), "Choose a time zone from the list, e.g. Europe/London"),
});
export type SiteSettings = z.output<typeof siteSettingsSchema>;

export async function getDefaultTimeZone(client: Db | Tx): Promise<string> {
  const row = await client.setting.findUnique({ where: { key: DEFAULT_TIME_ZONE_KEY }, select: { value: true } });
  if (!row) return FALLBACK_TIME_ZONE;
  let value: unknown = row.value;
  try {
    value = JSON.parse(row.value);
  } catch {
    // A bare zone name written by hand is accepted too.
  }
  return typeof value === "string" && zones().has(value) ? value : FALLBACK_TIME_ZONE;
}

export async function getSiteSettings(db: Db): Promise<SiteSettings> {
  return { defaultCountry: await getDefaultCountry(db), defaultTimeZone: await getDefaultTimeZone(db) };
}

export async function saveSiteSettings(
  db: Db,
  input: z.input<typeof siteSettingsSchema>,
  ctx: { actor: AuditActor; ip?: string | null },
): Promise<SiteSettings> {
  const data = siteSettingsSchema.parse(input);
  await db.$transaction(async (tx) => {
    const before = { defaultCountry: await getDefaultCountry(tx), defaultTimeZone: await getDefaultTimeZone(tx) };
    await writeSettingsAudited(tx, {
      rows: [
        [DEFAULT_COUNTRY_KEY, JSON.stringify(data.defaultCountry)],
        [DEFAULT_TIME_ZONE_KEY, JSON.stringify(data.defaultTimeZone)],
      ],
      before,
      after: data,
      ctx,
    });
  });
  return data;
}
