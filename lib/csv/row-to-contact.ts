/**
 * One CSV row → the raw contact the contact schema validates, following the column roles.
 * Nothing here rejects a row: it gathers what the columns say, and the schema (the same one
 * the contact form uses) decides. What it changes on the way is reported as a notice, so the
 * preview and the result page can say so:
 * - several numbers in one cell (Google joins them with " ::: ", other exports with ";") become
 *   several phones; a number repeated in one row is stored once;
 * - tags and labels ("* myContacts ::: Night Shift") become tag slugs ("night-shift"); Google's
 *   system labels ("* myContacts", "* starred") are left out;
 * - columns chosen as "Keep in notes", and the company when it is not the name, are added to
 *   the notes as "Header: value".
 */
import { TAG } from "@/lib/contacts/contact.schema";
import { hasForbiddenChars } from "@/lib/text/plain-text";
import { parseDestination, type DestinationRules } from "@/lib/destinations/destination";
import type { ColumnMapping } from "@/lib/csv/column-mapping";
import { unneutralizeFormula } from "@/lib/csv/csv-cells";
import { phoneGroupKey } from "@/lib/csv/known-headers";

/** Separators of several values in one cell: Google's " ::: " and the ";" of other exports. */
const MULTI_VALUE = /\s*:::\s*|\s*;\s*/;
/** Tags also split on commas (the form's own separator). */
const MULTI_TAG = /\s*:::\s*|\s*[;,]\s*/;

export type RawContact = {
  name: string;
  phones: { number: string; label: string }[];
  /** The header of the column each phone came from, to name it in a row's error. */
  phoneSources: string[];
  deskEndpoint: string;
  timeZone: string;
  language: string;
  tags: string[];
  notes: string;
};

/** Precomputed per file: which columns feed what, and which label column labels which phone. */
export type RowPlan = {
  headers: string[];
  columns: Record<"name" | "firstName" | "middleName" | "lastName" | "company" | "tags" | "notes" | "keep", number[]>;
  phones: { column: number; labelColumn: number | null }[];
  deskEndpoint: number | null;
  timeZone: number | null;
  language: number | null;
  rules: DestinationRules;
};

export function planRows(headers: string[], mapping: ColumnMapping, rules: DestinationRules): RowPlan {
  const by = (role: string) => mapping.roles.flatMap((r, i) => (r === role ? [i] : []));
  const labelColumns = by("phoneLabel");
  const phoneColumns = by("phone");
  const usedLabels = new Set<number>();
  const phones = phoneColumns.map((column) => {
    // A label column pairs with the phone column of the same Google number ("Phone 1 - …");
    // otherwise with the phone column right after it (a "Type" column before its number).
    const key = phoneGroupKey(headers[column] ?? "");
    let labelColumn =
      labelColumns.find((l) => !usedLabels.has(l) && key !== null && phoneGroupKey(headers[l] ?? "") === key) ?? null;
    if (labelColumn === null && labelColumns.includes(column - 1) && !usedLabels.has(column - 1)) labelColumn = column - 1;
    if (labelColumn !== null) usedLabels.add(labelColumn);
    return { column, labelColumn };
  });
  const single = (role: string) => by(role)[0] ?? null;
  return {
    headers,
    columns: {
      name: by("name"),
      firstName: by("firstName"),
      middleName: by("middleName"),
      lastName: by("lastName"),
      company: by("company"),
      tags: by("tags"),
      notes: by("notes"),
      keep: by("keep"),
    },
    phones,
    deskEndpoint: single("deskEndpoint"),
    timeZone: single("timeZone"),
    language: single("language"),
    rules,
  };
}

/** A cell as the user typed it: trimmed, with the export's formula guard (') removed. */
export function cellText(cells: string[], index: number | null): string {
  return index === null ? "" : unneutralizeFormula((cells[index] ?? "").trim());
}

function joined(cells: string[], columns: number[], separator: string): string {
  return columns
    .map((c) => cellText(cells, c))
    .filter((v) => v !== "")
    .join(separator);
}

/** The label a phone gets from its column's header when no label column says better. */
function labelFromHeader(header: string): string {
  // "Phone 1 - Value" says nothing about the phone; "Mobile Phone" or "Business" does.
  if (phoneGroupKey(header) !== null) return "";
  return header.trim().toLowerCase().slice(0, 40);
}

/**
 * A label or tag as a tag slug ("Night Shift" → "night-shift"), or null when nothing usable is
 * left. A label with a control character is returned as it is, so the schema refuses the row
 * instead of the character being quietly removed.
 */
export function toTagSlug(label: string): string | null {
  if (hasForbiddenChars(label)) return label;
  const slug = label
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return TAG.test(slug) ? slug : null;
}

/** Google's own labels: every contact has "* myContacts"; "* starred" marks favourites. */
function isSystemLabel(label: string): boolean {
  return label.startsWith("* ");
}

export function rowToContact(cells: string[], plan: RowPlan, notice: (text: string) => void): RawContact {
  const { headers } = plan;
  const candidates: { number: string; label: string; source: string }[] = [];
  for (const { column, labelColumn } of plan.phones) {
    const values = cellText(cells, column)
      .split(MULTI_VALUE)
      .filter((v) => v !== "");
    const labels = labelColumn === null ? [] : cellText(cells, labelColumn).split(MULTI_VALUE);
    values.forEach((value, i) => {
      // Google marks a contact's main value with "* " in older exports ("* Mobile").
      const ownLabel = (labels[i] ?? labels[0] ?? "").replace(/^\*\s*/, "").trim();
      candidates.push({
        number: value,
        label: (ownLabel || labelFromHeader(headers[column] ?? "")).slice(0, 40),
        source: headers[column] || `Column ${column + 1}`,
      });
    });
  }
  // Only a row with several numbers can repeat one; parsing is skipped for the usual single number.
  const seen = new Set<string>();
  const unique =
    candidates.length < 2
      ? candidates
      : candidates.filter((c) => {
          const normalized = parseDestination(c.number, plan.rules);
          if (!normalized.ok) return true;
          if (seen.has(normalized.value)) {
            notice("A number found twice in one row (e.g. Mobile and Primary phone) is stored once");
            return false;
          }
          seen.add(normalized.value);
          return true;
        });
  const phones = unique.map(({ number, label }) => ({ number, label }));
  const phoneSources = unique.map((c) => c.source);

  let name = joined(cells, plan.columns.name, " ");
  if (name === "") name = joined(cells, [...plan.columns.firstName, ...plan.columns.middleName, ...plan.columns.lastName], " ");
  const company = joined(cells, plan.columns.company, " ");
  let companyIsName = false;
  if (name === "" && company !== "") {
    name = company;
    companyIsName = true;
    notice("Rows without a person's name are named after their company");
  }

  const tags: string[] = [];
  for (const column of plan.columns.tags) {
    for (const label of cellText(cells, column).split(MULTI_TAG)) {
      if (label === "") continue;
      if (isSystemLabel(label)) {
        notice(`Google's system label "${label}" is not imported as a tag`);
        continue;
      }
      const slug = toTagSlug(label);
      if (slug === null) {
        notice(`"${label}" has no letters or digits a tag can hold; it is not imported as a tag`);
        continue;
      }
      if (slug !== label.toLowerCase()) notice(`"${label}" becomes the tag ${slug}`);
      if (!tags.includes(slug)) tags.push(slug);
    }
  }

  const kept: string[] = [];
  if (!companyIsName) {
    for (const column of plan.columns.company) {
      const value = cellText(cells, column);
      if (value !== "") kept.push(`${headers[column] || "Company"}: ${value}`);
    }
  }
  for (const column of plan.columns.keep) {
    const value = cellText(cells, column);
    if (value !== "") kept.push(`${headers[column] || `Column ${column + 1}`}: ${value}`);
  }
  // Notes keep their line breaks (the schema allows them); other cells are single values.
  const notes = [
    plan.columns.notes
      .map((c) => unneutralizeFormula(cells[c] ?? ""))
      .filter((v) => v.trim() !== "")
      .join("\n"),
    kept.join("; "),
  ]
    .filter((v) => v !== "")
    .join("\n");

  return {
    name,
    phones,
    phoneSources,
    deskEndpoint: cellText(cells, plan.deskEndpoint),
    timeZone: cellText(cells, plan.timeZone),
    language: cellText(cells, plan.language),
    tags,
    notes,
  };
}
