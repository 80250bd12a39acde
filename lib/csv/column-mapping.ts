/**
 * Which CSV column feeds which part of a contact. The mapping is one role per column (not one
 * column per field) because real exports spread a contact over many columns: Outlook has ten
 * phone columns, Google numbers them "Phone 1 - Value", "Phone 2 - Value", … Detection from the
 * header row (lib/csv/known-headers.ts) is only a suggestion: the import page shows a selector
 * for every column, whatever was detected.
 */
import { z } from "zod";
import { roleForHeader } from "@/lib/csv/known-headers";

export const COLUMN_ROLES = [
  "name",
  "firstName",
  "middleName",
  "lastName",
  "company",
  "phone",
  "phoneLabel",
  "tags",
  "notes",
  "deskEndpoint",
  "timeZone",
  "language",
  "keep",
] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** What each role is called in the column selectors. */
export const COLUMN_ROLE_LABELS: Record<ColumnRole, string> = {
  name: "Full name",
  firstName: "First name",
  middleName: "Middle name",
  lastName: "Last name",
  company: "Company (the name if a row has none)",
  phone: "Phone number(s)",
  phoneLabel: "Label of a phone (Mobile, Work…)",
  tags: "Tags / labels",
  notes: "Notes",
  deskEndpoint: "Desk endpoint",
  timeZone: "Time zone",
  language: "Language",
  keep: "Keep in notes",
};

/** Roles a file may give to one column only: a contact has one time zone, one language. */
export const SINGLE_COLUMN_ROLES: readonly ColumnRole[] = ["deskEndpoint", "timeZone", "language"];

/** Roles that make up the contact's name; at least one column must have one of them. */
export const NAME_ROLES: readonly ColumnRole[] = ["name", "firstName", "middleName", "lastName", "company"];

/** `roles[i]` is what column i feeds, or null when the column is not imported. */
export type ColumnMapping = { roles: (ColumnRole | null)[] };

export const MAX_COLUMNS = 500;

export const columnMappingSchema = z.object({
  roles: z.array(z.enum(COLUMN_ROLES).nullable()).max(MAX_COLUMNS, `At most ${MAX_COLUMNS} columns`),
});

/** A mapping guessed from the header row. Single-column roles go to the first matching column. */
export function detectMapping(headers: string[]): ColumnMapping {
  const taken = new Set<ColumnRole>();
  const roles = headers.map((header) => {
    const role = roleForHeader(header);
    if (role === null) return null;
    if (SINGLE_COLUMN_ROLES.includes(role) || role === "name") {
      if (taken.has(role)) return null;
      taken.add(role);
    }
    return role;
  });
  return { roles };
}

/** The column indexes that have `role`, in file order. */
export function columnsWith(mapping: ColumnMapping, role: ColumnRole): number[] {
  const out: number[] = [];
  mapping.roles.forEach((r, i) => {
    if (r === role) out.push(i);
  });
  return out;
}

/** A problem with the column choices, named by the role it concerns (shown next to the selectors). */
export type MappingProblem = { field: string; message: string };

/**
 * What is wrong with `mapping` for a file with `headers`: no name column, no phone column, a
 * single-column role chosen twice, or choices made for another file. Empty when it can import.
 */
export function mappingProblems(mapping: ColumnMapping, headers: string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (mapping.roles.length !== headers.length) {
    problems.push({
      field: "mapping",
      message: `The column choices are for a file with ${mapping.roles.length} column(s); this one has ${headers.length}. Choose them again.`,
    });
    return problems;
  }
  if (!mapping.roles.some((r) => r !== null && NAME_ROLES.includes(r))) {
    problems.push({
      field: "mapping.name",
      message: "Choose the column that holds each person's name (or their first and last name)",
    });
  }
  if (!mapping.roles.includes("phone")) {
    problems.push({ field: "mapping.phone", message: "Choose the column (or columns) that hold the phone numbers" });
  }
  for (const role of SINGLE_COLUMN_ROLES) {
    const chosen = columnsWith(mapping, role);
    if (chosen.length > 1) {
      problems.push({
        field: `mapping.${role}`,
        message: `Only one column can be the ${COLUMN_ROLE_LABELS[role].toLowerCase()}; ${chosen
          .map((i) => `"${headers[i] || `Column ${i + 1}`}"`)
          .join(" and ")} are both chosen`,
      });
    }
  }
  return problems;
}
