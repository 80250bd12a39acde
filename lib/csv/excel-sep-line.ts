/**
 * Excel's `sep=` first line: a file saved for a European locale often starts with `sep=;`
 * (or `sep=,`, `sep=\t`, `sep=|`) so Excel knows the delimiter. It is not the header row; it
 * is removed and its delimiter used, instead of papaparse guessing from a one-cell line.
 */
const SEP_LINE = /^sep=(.)[ \t]*(\r\n|\n|\r|$)/i;

export type SepLine = { text: string; delimiter: string | undefined };

/** `text` without a leading `sep=X` line, and X (undefined when there is no such line). */
export function stripSepLine(text: string): SepLine {
  const match = SEP_LINE.exec(text);
  if (!match) return { text, delimiter: undefined };
  return { text: text.slice(match[0].length), delimiter: match[1] };
}
