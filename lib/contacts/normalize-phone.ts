/**
 * Phone numbers as Spoolcast stores and dials them: E.164 ("+15551234567"), parsed with
 * libphonenumber-js's full ("max") metadata so a number is accepted only when its digits are
 * a real number plan of that country, not merely the right length. Input may carry the usual
 * punctuation people type (spaces, dashes, dots, brackets, a slash); anything else — letters,
 * control characters, "ext." — is rejected, never stripped, because the result ends up in a
 * call file.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

/** Characters a typed phone number may contain before normalisation. */
const TYPED_PHONE = /^\+?[0-9 ()./-]+$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

export type NormalizeResult = { ok: true; e164: string } | { ok: false; error: string };

/** True when `code` is an ISO 3166-1 alpha-2 country libphonenumber knows. */
export function isCountryCode(code: string): code is CountryCode {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

/** True when `value` is already in E.164 form (a leading +, 7-15 digits, no leading 0). */
export function isE164(value: string): boolean {
  return E164.test(value);
}

/**
 * Normalises a typed number to E.164. Numbers without a leading + are read as national
 * numbers of `defaultCountry` (the `defaultCountry` setting). Returns an error message fit to
 * show next to the field.
 */
export function normalizePhone(input: string, defaultCountry: CountryCode): NormalizeResult {
  // Only spaces are trimmed: a trailing line break or tab is refused below, not removed.
  const raw = input.replace(/^ +| +$/g, "");
  if (raw === "") return { ok: false, error: "Enter a phone number" };
  if (raw.length > 40) return { ok: false, error: "Phone number is too long (at most 40 characters)" };
  if (!TYPED_PHONE.test(raw)) {
    return { ok: false, error: "Phone number may contain only digits, spaces, + ( ) . / and -" };
  }
  const parsed = parsePhoneNumberFromString(raw, defaultCountry);
  if (!parsed || !parsed.isValid()) {
    return {
      ok: false,
      error: `"${raw}" is not a valid phone number for ${raw.startsWith("+") ? "its country code" : defaultCountry}`,
    };
  }
  const e164 = parsed.number;
  // libphonenumber's output is E.164 by construction; the check keeps that a tested invariant.
  if (!isE164(e164)) return { ok: false, error: `"${raw}" cannot be written in E.164 form` };
  return { ok: true, e164 };
}

/** The digits a user typed into a search box, or "" when it does not look like a number. */
export function phoneSearchDigits(query: string): string {
  const q = query.trim();
  if (!TYPED_PHONE.test(q)) return "";
  return q.replace(/[^0-9]/g, "");
}
