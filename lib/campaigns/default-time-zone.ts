/**
 * The site's default time zone for callees without one: Setting `defaultTimeZone` (a JSON
 * string or a bare IANA name), "UTC" when unset or unknown.
 */
import type { Db, Tx } from "@/lib/db";
import { isTimeZone } from "@/lib/contacts/contact.schema";

export const DEFAULT_TIME_ZONE_KEY = "defaultTimeZone";

export async function getDefaultTimeZone(client: Db | Tx): Promise<string> {
  const row = await client.setting.findUnique({ where: { key: DEFAULT_TIME_ZONE_KEY }, select: { value: true } });
  if (!row) return "UTC";
  let value: unknown = row.value;
  try {
    value = JSON.parse(row.value);
  } catch {
    // A bare "Europe/Paris" is accepted as well as its JSON form.
  }
  return typeof value === "string" && isTimeZone(value) ? value : "UTC";
}
