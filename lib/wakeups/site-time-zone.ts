/**
 * The site's default time zone for wake-ups (and anything else that books local times):
 * Setting `defaultTimeZone`, a JSON string ("Europe/Paris") or a bare zone name; "UTC" when
 * unset or unknown, so a bad setting never breaks booking.
 */
import type { Db, Tx } from "@/lib/db";
import { isTimeZone } from "@/lib/contacts/contact.schema";

export const DEFAULT_TIME_ZONE_KEY = "defaultTimeZone";

export async function getSiteTimeZone(client: Db | Tx): Promise<string> {
  const row = await client.setting.findUnique({ where: { key: DEFAULT_TIME_ZONE_KEY }, select: { value: true } });
  if (!row) return "UTC";
  let value: unknown = row.value;
  try {
    value = JSON.parse(row.value);
  } catch {
    // a bare zone name written by hand
  }
  return typeof value === "string" && isTimeZone(value) ? value : "UTC";
}
