/**
 * CSV cell rules shared by import and export.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and,
 * in some versions, tab or carriage return) as a formula — `=cmd|' /C calc'!A0` starts a
 * program. Every exported cell starting with one of those characters is prefixed with an
 * apostrophe, which spreadsheets show as text (OWASP "CSV Injection"). This includes E.164
 * numbers ("'+12125550100"); import removes exactly that one apostrophe again from phone cells
 * so an exported file re-imports unchanged.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as exported: apostrophe-prefixed when a spreadsheet would run it as a formula. */
export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes neutralizeFormula for a phone cell (only an apostrophe before + or a digit). */
export function unneutralizePhone(value: string): string {
  return /^'[+0-9(]/.test(value) ? value.slice(1) : value;
}

/** One RFC 4180 field: always quoted, quotes doubled, after formula neutralisation. */
export function toCsvField(value: string): string {
  return `"${neutralizeFormula(value).replace(/"/g, '""')}"`;
}

/** One CSV record with CRLF, as RFC 4180 and Excel expect. */
export function toCsvLine(cells: string[]): string {
  return cells.map(toCsvField).join(",") + "\r\n";
}
