/**
 * The one rule for "something a PBX user dials": a contact's phone, a do-not-call entry, a
 * wake-up destination, a desk phone for click-to-call. Three kinds, told apart by their form:
 *
 * 1. **extension**: an internal extension, `101`. Only digits, as many as the host allows
 *    (`extensionMinDigits`–`extensionMaxDigits`, default 3–6); `*` and `#` (feature codes such
 *    as `*43`) only when the host allows them. Dialled through the host's internal template
 *    (`PJSIP/{ext}`).
 * 2. **endpoint**: a channel written out, `PJSIP/101`, `SIP/101`, `IAX2/peer`, `DAHDI/1`,
 *    `Local/101@ctx` (docs/asterisk.md#channel-technology-and-resource). Checked by the call-file serializer's own Channel grammar
 *    (lib/callfile/serialize.ts `checkChannel`), so exactly what the engine can write is
 *    accepted. Dialled as written.
 * 3. **external**: a phone number, normalised to E.164 by libphonenumber against the site's
 *    default country (lib/contacts/normalize-phone.ts). Dialled through the trunk template
 *    (`channelTemplate`, `{number}`).
 *
 * The canonical forms cannot be confused with one another (E.164 starts with `+`, an endpoint
 * holds a `/`, an extension holds neither), so a stored destination also says its kind
 * (`kindOfCanonical`); the kind is still stored beside it where a table holds destinations.
 * Bad input is refused with a message fit to show next to the field, never cleaned: the value
 * ends up on a call file's Channel line.
 */
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { checkChannel } from "@/lib/callfile/serialize";
import { CallFileError } from "@/lib/callfile/types";
import { isE164, normalizePhone } from "@/lib/contacts/normalize-phone";
import { hasForbiddenChars } from "@/lib/text/plain-text";

export const DESTINATION_KINDS = ["extension", "endpoint", "external"] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** A destination in canonical form with its kind. */
export type Destination = { kind: DestinationKind; value: string };

/** Which extensions a host dials (AsteriskHost.extensionMinDigits/extensionMaxDigits/allowFeatureCodes). */
export type ExtensionRule = { minDigits: number; maxDigits: number; allowFeatureCodes: boolean };

/** Everything parsing needs: the country national numbers belong to, and the extension rule. */
export type DestinationRules = { country: CountryCode; extensions: ExtensionRule };

export const DEFAULT_EXTENSION_RULE: ExtensionRule = { minDigits: 3, maxDigits: 6, allowFeatureCodes: false };

/** Bounds of the host setting: an extension longer than 15 digits would be an international number. */
export const EXTENSION_DIGITS_LIMITS = { min: 1, max: 15 } as const;

/**
 * Channel technologies a contact's endpoint may use, in the spelling Asterisk's modules register
 * (chan_pjsip, chan_sip, chan_iax2, chan_dahdi, core Local). Asterisk looks a technology up
 * without regard to case (main/channel.c `ast_get_channel_tech`), so `pjsip/101` is the same
 * endpoint and is stored as `PJSIP/101`: one endpoint, one do-not-call entry.
 */
export const ENDPOINT_TECHNOLOGIES = ["PJSIP", "SIP", "IAX2", "DAHDI", "Local"] as const;

export type ParseDestinationResult = ({ ok: true } & Destination) | { ok: false; error: string };

/** The most a destination may be as typed; the serializer allows 255 after the technology. */
const MAX_LENGTH = 200;
const FEATURE_CODE = /^[0-9*#]+$/;
const DIGITS = /^[0-9]+$/;
/** What people type around a phone number: digits with + ( ) . / - and spaces, nothing else. */
const TYPED_PHONE = /^\+?[0-9 ()./-]+$/;
/** A technology-like word, then a slash: read as an endpoint (and checked as one). */
const LOOKS_LIKE_ENDPOINT = /^[A-Za-z][A-Za-z0-9_]*\//;

function rangeText(rule: ExtensionRule): string {
  return rule.minDigits === rule.maxDigits ? `${rule.minDigits} digits` : `${rule.minDigits}–${rule.maxDigits} digits`;
}

/** The sentence that says what is accepted, for an input that fits no kind. */
export function destinationHint(rule: ExtensionRule): string {
  return `Enter an extension (${rangeText(rule)}, e.g. 101), an endpoint such as PJSIP/101, or a phone number such as +44 20 7946 0000`;
}

/**
 * Reads a typed destination into its canonical form and kind, or a message naming the problem.
 * Only spaces around the value are trimmed; every other stray character is refused.
 */
export function parseDestination(input: string, rules: DestinationRules): ParseDestinationResult {
  if (typeof input !== "string") return { ok: false, error: "Enter an extension, an endpoint or a phone number" };
  // Checked before trimming: a trailing line break is refused, not quietly removed.
  if (hasForbiddenChars(input)) {
    return { ok: false, error: "Must not contain control characters (line breaks, tabs, …)" };
  }
  const raw = input.replace(/^ +| +$/g, "");
  if (raw === "") return { ok: false, error: "Enter an extension, an endpoint or a phone number" };
  if (raw.length > MAX_LENGTH) return { ok: false, error: `Too long (at most ${MAX_LENGTH} characters)` };
  if (LOOKS_LIKE_ENDPOINT.test(raw)) return parseEndpoint(raw);
  if (FEATURE_CODE.test(raw)) return parseDigits(raw, rules);
  if (TYPED_PHONE.test(raw)) return parseExternal(raw, rules.country);
  return { ok: false, error: destinationHint(rules.extensions) };
}

function parseEndpoint(raw: string): ParseDestinationResult {
  const slash = raw.indexOf("/");
  const typedTech = raw.slice(0, slash);
  const tech = ENDPOINT_TECHNOLOGIES.find((t) => t.toLowerCase() === typedTech.toLowerCase());
  if (!tech) {
    return {
      ok: false,
      error: `Endpoint technology must be one of ${ENDPOINT_TECHNOLOGIES.join(", ")} (e.g. PJSIP/101), not "${typedTech}"`,
    };
  }
  const value = `${tech}${raw.slice(slash)}`;
  try {
    checkChannel(value);
  } catch (error) {
    if (error instanceof CallFileError) {
      return { ok: false, error: `Not an endpoint Asterisk can dial: ${error.reason}` };
    }
    throw error;
  }
  return { ok: true, kind: "endpoint", value };
}

function parseDigits(raw: string, rules: DestinationRules): ParseDestinationResult {
  const rule = rules.extensions;
  const featureCode = !DIGITS.test(raw);
  if (featureCode && !rule.allowFeatureCodes) {
    return {
      ok: false,
      error: "Feature codes with * or # are not allowed on this site (the host's settings can allow them)",
    };
  }
  if (featureCode && !/[0-9]/.test(raw)) return { ok: false, error: "A feature code needs digits, e.g. *43" };
  if (raw.length >= rule.minDigits && raw.length <= rule.maxDigits) return { ok: true, kind: "extension", value: raw };
  if (raw.length < rule.minDigits) return { ok: false, error: `Extensions have ${rangeText(rule)}; "${raw}" is too short` };
  if (featureCode) return { ok: false, error: `Feature codes have ${rangeText(rule)}; "${raw}" is too long` };
  // Longer than any extension: a national number such as 2125550100.
  const external = parseExternal(raw, rules.country);
  if (external.ok) return external;
  return {
    ok: false,
    error: `"${raw}" is neither an extension (${rangeText(rule)}) nor a valid phone number for ${rules.country}`,
  };
}

function parseExternal(raw: string, country: CountryCode): ParseDestinationResult {
  const n = normalizePhone(raw, country);
  return n.ok ? { ok: true, kind: "external", value: n.e164 } : { ok: false, error: n.error };
}

/** The kind of a destination already in canonical form (a stored one). */
export function kindOfCanonical(value: string): DestinationKind {
  if (value.startsWith("+")) return "external";
  if (value.includes("/")) return "endpoint";
  return "extension";
}

/**
 * True when a stored value is a destination in canonical form of its kind, whatever the host's
 * extension range: E.164, an endpoint the call-file grammar accepts, or 1–15 digits (`*`, `#`).
 * Guards rows written around the rules (seeds, old data) before they are dialled.
 */
export function isCanonicalDestination(value: string): boolean {
  const kind = kindOfCanonical(value);
  if (kind === "external") return isE164(value);
  if (kind === "extension") return /^[0-9*#]{1,15}$/.test(value) && /[0-9]/.test(value);
  const parsed = parseEndpoint(value);
  return parsed.ok && parsed.value === value;
}

/** True when `value` names a kind Spoolcast knows (for rows read from the database or an API). */
export function isDestinationKind(value: string): value is DestinationKind {
  return (DESTINATION_KINDS as readonly string[]).includes(value);
}

/** How a destination reads on a page: "Extension 101", "Phone PJSIP/101", "+44 20 7946 0000". */
export function describeDestination(value: string, kind: DestinationKind = kindOfCanonical(value)): string {
  if (kind === "extension") return `Extension ${value}`;
  if (kind === "endpoint") return `Phone ${value}`;
  return parsePhoneNumberFromString(value)?.formatInternational() ?? value;
}

/** The words for each kind in lists and import results. */
export const KIND_WORDS: Record<DestinationKind, string> = {
  extension: "Extension",
  endpoint: "Endpoint",
  external: "Phone number",
};
