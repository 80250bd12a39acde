/**
 * Which CSV column feeds which contact field. Headers are matched case- and
 * punctuation-insensitively against common names ("Full Name", "mobile", "Time zone", …);
 * the user can change every choice on the import page.
 */
import { z } from "zod";

export const CSV_FIELDS = [
  "name",
  "firstName",
  "lastName",
  "phone",
  "phone2",
  "otherPhones",
  "deskEndpoint",
  "timeZone",
  "language",
  "tags",
  "notes",
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

export const CSV_FIELD_LABELS: Record<CsvField, string> = {
  name: "Name",
  firstName: "First name",
  lastName: "Last name",
  phone: "Phone",
  phone2: "Second phone",
  otherPhones: "Other phones (separated by ;)",
  deskEndpoint: "Desk endpoint",
  timeZone: "Time zone",
  language: "Language",
  tags: "Tags (separated by ,)",
  notes: "Notes",
};

/** Column index per field, or null when the field is not imported. */
export type ColumnMapping = Record<CsvField, number | null>;

export const columnMappingSchema = z.object(
  Object.fromEntries(CSV_FIELDS.map((f) => [f, z.number().int().min(0).max(500).nullable().default(null)])) as Record<
    CsvField,
    z.ZodDefault<z.ZodNullable<z.ZodNumber>>
  >,
);

const SYNONYMS: Record<CsvField, string[]> = {
  name: ["name", "fullname", "contact", "contactname", "displayname", "person"],
  firstName: ["firstname", "givenname", "first", "forename"],
  lastName: ["lastname", "surname", "familyname", "last"],
  phone: ["phone", "phonenumber", "number", "mobile", "mobilephone", "cell", "cellphone", "telephone", "tel", "msisdn", "e164"],
  phone2: ["phone2", "secondphone", "altphone", "alternatephone", "homephone", "workphone", "landline", "mobile", "cell"],
  otherPhones: ["otherphones", "phones", "morephones"],
  deskEndpoint: ["deskendpoint", "endpoint", "extension", "deskphone"],
  timeZone: ["timezone", "tz", "zone"],
  language: ["language", "lang", "locale"],
  tags: ["tags", "tag", "labels"],
  notes: ["notes", "note", "comment", "comments", "remarks"],
};

function squash(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** A mapping guessed from the header row; each column feeds at most one field. */
export function detectMapping(headers: string[]): ColumnMapping {
  const keys = headers.map(squash);
  const used = new Set<number>();
  const mapping = Object.fromEntries(CSV_FIELDS.map((f) => [f, null])) as ColumnMapping;
  for (const field of CSV_FIELDS) {
    for (const synonym of SYNONYMS[field]) {
      const index = keys.findIndex((k, i) => k === synonym && !used.has(i));
      if (index !== -1) {
        mapping[field] = index;
        used.add(index);
        break;
      }
    }
  }
  return mapping;
}
