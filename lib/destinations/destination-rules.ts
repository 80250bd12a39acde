/**
 * The rules a typed destination is read with on this site: the default country (Setting
 * `defaultCountry`) for national numbers, and the default Asterisk host's extension rule.
 * Contacts are not tied to a host, so the host calls go to by default decides which extensions
 * exist; with no host yet the defaults apply (3–6 digits, no feature codes).
 */
import type { Db, Tx } from "@/lib/db";
import { getDefaultCountry } from "@/lib/contacts/default-country";
import { DEFAULT_EXTENSION_RULE, type DestinationRules, type ExtensionRule } from "@/lib/destinations/destination";

/** The extension rule of the default host (the first enabled host when none is marked default). */
export async function getExtensionRule(client: Db | Tx): Promise<ExtensionRule> {
  const select = { extensionMinDigits: true, extensionMaxDigits: true, allowFeatureCodes: true } as const;
  const host =
    (await client.asteriskHost.findFirst({ where: { enabled: true, isDefault: true }, select })) ??
    (await client.asteriskHost.findFirst({ where: { enabled: true }, orderBy: { createdAt: "asc" }, select }));
  if (!host) return DEFAULT_EXTENSION_RULE;
  return { minDigits: host.extensionMinDigits, maxDigits: host.extensionMaxDigits, allowFeatureCodes: host.allowFeatureCodes };
}

export async function getDestinationRules(client: Db | Tx): Promise<DestinationRules> {
  // One after the other: inside an interactive transaction queries must not overlap.
  const country = await getDefaultCountry(client);
  return { country, extensions: await getExtensionRule(client) };
}
