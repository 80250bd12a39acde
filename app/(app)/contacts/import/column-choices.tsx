"use client";

import { useId } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Select } from "@/components/ui/select";
import { COLUMN_ROLE_LABELS, COLUMN_ROLES, type ColumnRole } from "@/lib/csv/column-mapping";
import type { ColumnSummary, ImportPreview } from "@/lib/csv/import-contacts";

const DELIMITER_NAMES: Record<string, string> = { ",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars (|)" };

/** Which problem belongs next to which selector: the column that holds (or should hold) that role. */
function problemFor(column: ColumnSummary, preview: ImportPreview): string | undefined {
  return preview.problems.find((p) => p.field === `mapping.${column.role}`)?.message;
}

/**
 * Step 2: one selector per column of the file, always — the detected choice is only where
 * each selector starts. Columns with no data are folded away; columns with data that feed
 * nothing are offered, in one click, to be kept in the notes.
 */
export function ColumnChoices({
  preview,
  pending,
  onChange,
}: {
  preview: ImportPreview;
  pending: boolean;
  onChange: (roles: (ColumnRole | null)[] | null) => void;
}) {
  const problemsId = useId();
  const roles = preview.headers.map((_, i) => preview.mapping.roles[i] ?? null);
  const withData = preview.columns.filter((c) => c.filled > 0);
  const empty = preview.columns.filter((c) => c.filled === 0);
  const unmapped = withData.filter((c) => roles[c.index] === null);
  // Problems that no selector shows (no name or phone column chosen yet) are listed above the selectors.
  const general = preview.problems.filter((p) => !preview.columns.some((c) => problemFor(c, preview) === p.message));

  function setRole(index: number, value: string) {
    const next = [...roles];
    next[index] = value === "" ? null : (value as ColumnRole);
    onChange(next);
  }

  function selector(column: ColumnSummary) {
    const title = column.header || `Column ${column.index + 1}`;
    return (
      <FormField
        key={column.index}
        label={title}
        error={problemFor(column, preview)}
        description={
          column.filled > 0 ? `e.g. “${column.example}” · ${column.filled.toLocaleString("en")} filled` : "Empty in every row"
        }
      >
        <Select value={roles[column.index] ?? ""} disabled={pending} onChange={(e) => setRole(column.index, e.target.value)}>
          <option value="">— not imported —</option>
          {COLUMN_ROLES.map((role) => (
            <option key={role} value={role}>
              {COLUMN_ROLE_LABELS[role]}
            </option>
          ))}
        </Select>
      </FormField>
    );
  }

  return (
    <section aria-labelledby="step-map" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="step-map" className="text-base font-semibold">
        2. Match the columns
      </h2>
      <p className="mt-1 mb-3 text-sm text-slate-600">
        Each column starts with a choice guessed from its name; change any of them. The file has{" "}
        {preview.headers.length.toLocaleString("en")} column(s) separated by{" "}
        {DELIMITER_NAMES[preview.delimiter] ?? `“${preview.delimiter}”`}.
      </p>
      {general.length > 0 ? (
        <div
          id={problemsId}
          role="alert"
          className="mb-3 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
        >
          <p className="font-medium">Choose the columns before importing:</p>
          <ul className="mt-1 list-disc pl-5">
            {general.map((p) => (
              <li key={p.field}>{p.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <fieldset className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="What each column imports as">
        {withData.map(selector)}
      </fieldset>
      {withData.length === 0 ? <Alert className="mt-2">The file has a header row but no data rows.</Alert> : null}
      <div className="mt-3 flex flex-wrap gap-2">
        {unmapped.length > 0 ? (
          <Button
            variant="outline"
            disabled={pending}
            onClick={() => onChange(roles.map((r, i) => (r === null && unmapped.some((c) => c.index === i) ? "keep" : r)))}
          >
            Keep the {unmapped.length} not-imported column(s) in notes
          </Button>
        ) : null}
        <Button variant="ghost" disabled={pending} onClick={() => onChange(null)}>
          Back to the suggested choices
        </Button>
      </div>
      {empty.length > 0 ? (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-slate-700">{empty.length} empty column(s): nothing in them to import</summary>
          <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">{empty.map(selector)}</div>
        </details>
      ) : null}
    </section>
  );
}
