/**
 * Turns uploaded bytes into CSV text, refusing what cannot be imported faithfully: files over
 * MAX_CSV_BYTES, and bytes that are not valid UTF-8 (a Latin-1 or UTF-16 export would turn
 * names into mojibake; the user is told to re-save as UTF-8 instead of guessing). A UTF-8 BOM,
 * which Excel writes, is dropped.
 */
import { UserError } from "@/lib/errors";

export const MAX_CSV_BYTES = 20 * 1024 * 1024;

export function decodeCsv(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) throw new UserError("The file is empty", { field: "file" });
  if (bytes.byteLength > MAX_CSV_BYTES) {
    throw new UserError(
      `The file is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_CSV_BYTES / 1024 / 1024} MB`,
      { field: "file" },
    );
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UserError("The file is UTF-16; save it as CSV UTF-8 and upload it again", { field: "file" });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UserError("The file is not valid UTF-8; save it as CSV UTF-8 (in Excel: Save As → CSV UTF-8) and upload it again", {
      field: "file",
    });
  }
  // TextDecoder with ignoreBOM:false already drops a leading BOM; a stray U+FEFF is checked anyway.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes("\u0000"))
    throw new UserError("The file contains NUL bytes; it does not look like a CSV file", { field: "file" });
  return text;
}
