/**
 * The site's default country for reading national phone numbers: Setting `defaultCountry`
 * (a JSON string such as "GB"), "US" when unset. A stored value libphonenumber does not know
 * falls back to "US" rather than breaking every contact form.
 */
import type { CountryCode } from "libphonenumber-js/max";
import type { Db, Tx } from "@/lib/db";
import { isCountryCode } from "@/lib/contacts/normalize-phone";

export const DEFAULT_COUNTRY_KEY = "defaultCountry";
export const FALLBACK_COUNTRY: CountryCode = "US";

/** Reads the default country from the Setting table. */
export async function getDefaultCountry(client: Db | Tx): Promise<CountryCode> {
  const row = await client.setting.findUnique({ where: { key: DEFAULT_COUNTRY_KEY }, select: { value: true } });
  if (!row) return FALLBACK_COUNTRY;
  let value: unknown = row.value;
  try {
    value = JSON.parse(row.value);
  } catch {
    // A bare "GB" written by hand is accepted as well as the JSON "\"GB\"".
  }
  return typeof value === "string" && isCountryCode(value.toUpperCase())
    ? (value.toUpperCase() as CountryCode)
    : FALLBACK_COUNTRY;
}
