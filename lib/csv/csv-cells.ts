/**
 * CSV cell rules shared by import and export.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and,
 * in some versions, tab or carriage return) as a formula — `=cmd|' /C calc'!A0` starts a
 * program. Every exported cell starting with one of those characters is prefixed with an
 * apostrophe, which spreadsheets show as text (OWASP "CSV Injection"). This includes E.164
 * numbers ("'+12125550100"). Import removes exactly that one apostrophe again (only when a
 * formula character follows it), so an exported file re-imports unchanged; the stored value
 * is plain text and is neutralised again on every export.
 */

// Apostrophes already in front are counted so that a cell typed as "'=x" survives the round
// trip: it is exported as "''=x" and imported back as "'=x".
const ESCAPED_FORMULA_START = /^'*[=+\-@\t\r]/;

/** The cell as exported: apostrophe-prefixed when a spreadsheet would run it as a formula. */
export function neutralizeFormula(value: string): string {
  return ESCAPED_FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes neutralizeFormula: drops an apostrophe that precedes a formula character. */
export function unneutralizeFormula(value: string): string {
  return /^'+[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/** One RFC 4180 field: always quoted, quotes doubled, after formula neutralisation. */
export function toCsvField(value: string): string {
  return `"${neutralizeFormula(value).replace(/"/g, '""')}"`;
}

/** One CSV record with CRLF, as RFC 4180 and Excel expect. */
export function toCsvLine(cells: string[]): string {
  return cells.map(toCsvField).join(",") + "\r\n";
}
