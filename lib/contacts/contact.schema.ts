/**
 * What a contact may contain. Every text field is checked against a strict grammar and
 * rejected — never silently cleaned — when it holds control characters, because names and
 * endpoints end up in call files (docs/architecture.md#security-model).
 *
 * Desk endpoint grammar: `TECH/resource`, TECH one of PJSIP, SIP, IAX2, DAHDI, Local, and the
 * resource 1–80 characters of letters, digits and `_ . + @ -` (e.g. `PJSIP/1001`,
 * `Local/1001@from-internal`). No spaces, commas, `&` or `/` after the technology: Asterisk
 * treats `&` as a channel separator and `,` as an argument separator in Dial().
 *
 * Phones are destinations of any kind (lib/destinations): an internal extension ("101"), a
 * channel endpoint ("PJSIP/101") or an external number, normalised to E.164 against the site's
 * default country. The schema is built per site with `contactSchema(rules)`.
 *
 * The desk endpoint (for click-to-call) is the older, stricter field: TECH/resource only.
 */
import { z } from "zod";
import { kindOfCanonical, parseDestination, type DestinationRules } from "@/lib/destinations/destination";
import { UserError } from "@/lib/errors";
import { hasForbiddenChars } from "@/lib/text/plain-text";

export const DESK_ENDPOINT = /^(PJSIP|SIP|IAX2|DAHDI|Local)\/[A-Za-z0-9_.+@-]{1,80}$/;
export const LANGUAGE = /^[a-z]{2,3}(-[A-Z]{2})?$/;
export const TAG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const MAX_PHONES = 10;
export const MAX_TAGS = 20;

let zones: Set<string> | undefined;
/** True for an IANA zone name this runtime knows (plus "UTC", which Intl lists separately). */
export function isTimeZone(zone: string): boolean {
  zones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC"]);
  return zones.has(zone);
}

/** A contact's display name: 1–200 characters, no control characters. */
export const contactName = z
  .string({ error: "Enter a name" })
  // Checked before trimming so a trailing line break is refused, not quietly removed.
  .refine((v) => !hasForbiddenChars(v), {
    message: "Name must not contain control characters (line breaks, tabs, …)",
    abort: true,
  })
  .trim()
  .min(1, "Enter a name")
  .max(200, "Name is too long (at most 200 characters)");

const optionalText = (schema: z.ZodType<string, string>, label: string) =>
  z
    .string()
    .refine((v) => !hasForbiddenChars(v), { message: `${label} must not contain control characters`, abort: true })
    .trim()
    .optional()
    .nullable()
    .transform((v) => (v ? v : null))
    .pipe(schema.nullable());

/** Desk endpoint such as PJSIP/1001 (grammar in the module header), or empty. */
export const deskEndpoint = optionalText(
  z
    .string()
    .regex(
      DESK_ENDPOINT,
      "Desk endpoint must look like PJSIP/1001 (PJSIP, SIP, IAX2, DAHDI or Local, then a slash and 1–80 letters, digits or _ . + @ -)",
    ),
  "Desk endpoint",
);

export const timeZone = optionalText(
  z.string().refine(isTimeZone, "Choose a time zone from the list (IANA name such as Europe/Paris)"),
  "Time zone",
);

export const language = optionalText(z.string().regex(LANGUAGE, "Language must be a code such as en, fr or pt-BR"), "Language");

/** Tags as an array or a comma-separated string; each becomes a lowercase slug. */
export const tags = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => {
    const list = Array.isArray(v) ? v : (v ?? "").split(",");
    // A tag holding a control character is kept untrimmed so the slug check refuses it.
    return [...new Set(list.map((t) => (hasForbiddenChars(t) ? t : t.trim().toLowerCase())).filter((t) => t !== ""))];
  })
  .pipe(
    z
      .array(z.string().regex(TAG, "Tags are lowercase letters, digits and dashes (e.g. night-shift), at most 40 characters"))
      .max(MAX_TAGS, `At most ${MAX_TAGS} tags`),
  );

export const notes = z
  .string()
  .optional()
  .transform((v) => v ?? "")
  .pipe(
    z
      .string()
      .max(2000, "Notes are too long (at most 2000 characters)")
      // Notes may span lines; every other control character is still refused.
      .refine(
        (v) => !hasForbiddenChars(v, { allowLineBreaks: true }),
        "Notes must not contain control characters other than line breaks",
      ),
  );

const phoneLabel = z
  .string()
  .refine((v) => !hasForbiddenChars(v), { message: "Label must not contain control characters", abort: true })
  .trim()
  .max(40, "Label is too long (at most 40 characters)")
  .optional()
  .transform((v) => v ?? "");

/** One phone as typed: number plus an optional label ("mobile", "desk"). */
export const phoneInput = z.object({ number: z.string({ error: "Enter a phone number" }), label: phoneLabel });

/** The shape a form or API submits (before phone normalisation). */
export const contactFormSchema = z.object({
  name: z.string().optional().default(""),
  phones: z.array(phoneInput).optional().default([]),
  deskEndpoint: z.string().optional().nullable(),
  timeZone: z.string().optional().nullable(),
  language: z.string().optional().nullable(),
  tags: z.union([z.string(), z.array(z.string())]).optional(),
  notes: z.string().optional(),
});
export type ContactForm = z.input<typeof contactFormSchema>;

/** The full contact schema for a site's destination rules (lib/destinations/destination-rules.ts). */
export function contactSchema(rules: DestinationRules) {
  return z
    .object({
      name: contactName,
      phones: z
        .array(
          z.object({
            number: z.string({ error: "Enter a phone number" }).transform((v, ctx) => {
              const r = parseDestination(v, rules);
              if (!r.ok) {
                ctx.addIssue({ code: "custom", message: r.error });
                return z.NEVER;
              }
              return r.value;
            }),
            label: phoneLabel,
          }),
        )
        .min(1, "Add at least one phone number")
        .max(MAX_PHONES, `At most ${MAX_PHONES} phone numbers`)
        // The kind follows from the canonical form; stored beside it (ContactPhone.kind).
        .transform((phones) => phones.map((p) => ({ ...p, kind: kindOfCanonical(p.number) }))),
      deskEndpoint,
      timeZone,
      language,
      tags,
      notes,
    })
    .superRefine((v, ctx) => {
      const seen = new Map<string, number>();
      v.phones.forEach((p, i) => {
        const first = seen.get(p.number);
        if (first !== undefined) {
          ctx.addIssue({ code: "custom", path: ["phones", i, "number"], message: `Same number as phone ${first + 1}` });
        } else seen.set(p.number, i);
      });
    });
}

/** A validated contact: phones canonical with their kind, optional fields null when empty. */
export type ContactInput = z.output<ReturnType<typeof contactSchema>>;

/** The lower-cased search/sort key stored in Contact.nameKey. */
export function toNameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** Tags as stored in Contact.tags: ",a,b," so `LIKE '%,tag,%'` finds one on every provider. */
export function joinTags(list: string[]): string {
  return list.length === 0 ? "" : `,${list.join(",")},`;
}

/** The stored ",a,b," form back to a list. */
export function splitTags(stored: string): string[] {
  return stored.split(",").filter((t) => t !== "");
}

/** zod issues as `{ "phones.0.number": ["…"] }`, the field-error map forms show. */
export function toFieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** A contact that failed validation; `fieldErrors` maps field paths to messages. */
export class ContactValidationError extends UserError {
  readonly fieldErrors: Record<string, string[]>;
  constructor(fieldErrors: Record<string, string[]>) {
    const [field, messages] = Object.entries(fieldErrors)[0] ?? ["_form", ["Invalid contact"]];
    super(messages[0] ?? "Invalid contact", { field });
    this.fieldErrors = fieldErrors;
  }
}
