/**
 * Header names of the contact exports people bring to Spoolcast, and the role each column gets
 * by default. Headers are compared "squashed": accents folded, lower case, everything but
 * letters and digits removed, so "Téléphone (bureau)", "Telephone bureau" and "TELEPHONE_BUREAU"
 * are the same key. Where each shape comes from: tests/fixtures/imports/README.md.
 *
 * Fax, pager, telex and e-mail columns are deliberately not phones: a PA or a wake-up call to a
 * fax line helps nobody. They are listed as "not imported" and can be kept in notes.
 */
import type { ColumnRole } from "@/lib/csv/column-mapping";

/** "Téléphone (bureau)" → "telephonebureau". */
export function squashHeader(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

const ROLE_HEADERS: Record<ColumnRole, string[]> = {
  name: [
    // generic, Yealink (display_name), FreePBX Contact Manager (displayname), older Google ("Name")
    "name",
    "fullname",
    "contact",
    "contactname",
    "displayname",
    "person",
    "anzeigename",
    "nomcomplet",
    "nombrecompleto",
  ],
  firstName: [
    // Google, Outlook, 3CX (FirstName), FreePBX (fname), older Google (Given Name)
    "firstname",
    "givenname",
    "first",
    "forename",
    "fname",
    "vorname",
    "prenom",
    "nombre",
    "voornaam",
    "nome",
  ],
  middleName: [
    "middlename",
    "additionalname",
    "middle",
    "weiterevornamen",
    "zweitervorname",
    "deuxiemeprenom",
    "autresprenoms",
    "segundonombre",
    "tussenvoegsel",
    "secondonome",
  ],
  lastName: [
    "lastname",
    "surname",
    "familyname",
    "last",
    "lname",
    "nachname",
    // French Outlook calls the family name "Nom"
    "nom",
    "apellidos",
    "apellido",
    "achternaam",
    "cognome",
  ],
  company: [
    "company",
    "companyname",
    "organization",
    "organisation",
    "organizationname",
    "organization1name",
    "firma",
    "societe",
    "entreprise",
    "organisme",
    "empresa",
    "organizacion",
    "bedrijf",
    "azienda",
    "societa",
  ],
  phone: [
    // generic
    "phone",
    "phones",
    "phonenumber",
    "number",
    "numbers",
    "mobile",
    "mobilephone",
    "mobilenumber",
    "cell",
    "cellphone",
    "telephone",
    "tel",
    "msisdn",
    "e164",
    "otherphones",
    "morephones",
    "phone2",
    "secondphone",
    "altphone",
    "alternatephone",
    "landline",
    // Outlook (English)
    "homephone",
    "homephone2",
    "businessphone",
    "businessphone2",
    "mobilephone2",
    "carphone",
    "otherphone",
    "primaryphone",
    "companymainphone",
    "assistantsphone",
    "radiophone",
    "isdn",
    "workphone",
    // 3CX phonebook
    "mobile2",
    "home",
    "home2",
    "business",
    "business2",
    "other",
    // PBX phonebooks: extensions (FreePBX bulk export "extension", 3CX "Extension"/"Ext",
    // Yealink "Office Number"); a short number becomes an extension (lib/destinations)
    "extension",
    "extensions",
    "ext",
    "extensionnumber",
    "internal",
    "internalnumber",
    "nebenstelle",
    "durchwahl",
    "poste",
    "extension1",
    // Yealink local directory
    "officenumber",
    "othernumber",
    "homenumber",
    "worknumber",
    "worknumber2",
    "businessnumber",
    "businessnumber2",
    // Outlook (German)
    "telefon",
    "telefongeschaftlich",
    "telefongeschaftlich2",
    "telefonprivat",
    "telefonprivat2",
    "mobiltelefon",
    "mobiltelefon2",
    "weiterestelefon",
    "haupttelefon",
    "autotelefon",
    "telefonfirma",
    "telefonassistent",
    "handy",
    // Outlook (French)
    "telephonebureau",
    "telephone2bureau",
    "telephonebureau2",
    "telephonedomicile",
    "telephone2domicile",
    "telephonedomicile2",
    "telmobile",
    "telephonemobile",
    "portable",
    "autretelephone",
    "telephoneautre",
    "telephoneprincipal",
    "telephonesociete",
    "telephonevoiture",
    "telephoneassistante",
    "telephonedelassistante",
    // Outlook (Spanish, Italian, Dutch)
    "telefonodeltrabajo",
    "telefonoparticular",
    "telefonomovil",
    "otrotelefono",
    "telefonoprincipal",
    "telefonoufficio",
    "telefonoabitazione",
    "cellulare",
    "altrotelefono",
    "telefoonopwerk",
    "telefoonthuis",
    "mobieletelefoon",
    "anderetelefoon",
  ],
  phoneLabel: ["phonetype", "phonelabel"],
  tags: [
    "tags",
    "tag",
    "labels",
    // older Google CSV
    "groupmembership",
    // Outlook
    "categories",
    "kategorien",
    "categorias",
    "categorie",
    "categorieen",
    // Yealink local directory group
    "group",
    "groups",
  ],
  notes: ["notes", "note", "comment", "comments", "remarks", "remark", "notizen", "notas", "opmerkingen", "description"],
  // An "Extension" column is a phone (an internal extension, above), not the desk endpoint.
  deskEndpoint: ["deskendpoint", "endpoint", "deskphone"],
  timeZone: ["timezone", "tz", "zone"],
  language: ["language", "lang", "locale"],
  keep: [],
};

const ROLE_BY_KEY = new Map<string, ColumnRole>(
  (Object.entries(ROLE_HEADERS) as [ColumnRole, string[]][]).flatMap(([role, keys]) => keys.map((k) => [k, role] as const)),
);

/**
 * Google's numbered columns: "Phone 1 - Value" holds the numbers, "Phone 1 - Label" (current
 * export) or "Phone 1 - Type" (older "Google CSV") says Mobile, Work, …
 */
const NUMBERED_PHONE = /^phone\s*(\d+)\s*-\s*(value|label|type)$/i;

/** The default role of a column called `header`, or null when it is not imported by default. */
export function roleForHeader(header: string): ColumnRole | null {
  const numbered = NUMBERED_PHONE.exec(header.trim());
  if (numbered) return numbered[2]!.toLowerCase() === "value" ? "phone" : "phoneLabel";
  return ROLE_BY_KEY.get(squashHeader(header)) ?? null;
}

/** "Phone 1 - Label" → "phone1": the part that pairs a label column with its number column. */
export function phoneGroupKey(header: string): string | null {
  const numbered = NUMBERED_PHONE.exec(header.trim());
  return numbered ? `phone${numbered[1]}` : null;
}
