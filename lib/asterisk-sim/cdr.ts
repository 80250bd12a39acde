/**
 * `Master.csv` as cdr_csv writes it: one line per posted CDR, columns accountcode, src, dst,
 * dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration,
 * billsec, disposition, amaflags, uniqueid, userfield (cdr/cdr_csv.c build_csv_record with
 * loguniqueid and loguserfield on). Strings and dates are quoted (a `"` inside is doubled), an
 * unset date is an empty unquoted field, duration and billsec are bare integers. Dates are
 * written in UTC (cdr_csv's `usegmtime=yes`) so output does not depend on the machine's zone.
 * Like cdr_csv (`accountlogs`, default on) a record with an accountcode is also appended to
 * `<accountcode>.csv` next to Master.csv; a record that does not fit cdr_csv's 1024-byte
 * buffer is not written at all.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { CdrRecord } from "./channel";

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function formatDate(ms: number | null): string {
  if (ms === null) return "";
  const d = new Date(Math.floor(ms / 1000) * 1000);
  return quote(d.toISOString().slice(0, 19).replace("T", " "));
}

/** cdr_csv's record buffer; longer records are dropped with a warning. */
const RECORD_BUFFER = 1024;

export function formatCdrLine(r: CdrRecord): string {
  const duration = Math.floor((r.end - r.start) / 1000);
  const billsec = r.answer === null ? 0 : Math.floor((r.end - r.answer) / 1000);
  return [
    quote(r.accountcode),
    quote(r.src),
    quote(r.dst),
    quote(r.dcontext),
    quote(r.clid),
    quote(r.channel),
    quote(r.dstchannel),
    quote(r.lastapp),
    quote(r.lastdata),
    formatDate(r.start),
    formatDate(r.answer),
    formatDate(r.end),
    String(duration),
    String(billsec),
    quote(r.disposition),
    quote(r.amaflags),
    quote(r.uniqueid),
    quote(r.userfield),
  ].join(",");
}

/** Appends the record; returns false (not written) when it exceeds cdr_csv's buffer. */
export function appendCdr(file: string, r: CdrRecord): boolean {
  const line = formatCdrLine(r);
  if (Buffer.byteLength(line, "latin1") >= RECORD_BUFFER - 5) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, line + "\n", { encoding: "latin1" });
  // cdr_csv refuses account codes that could escape its directory.
  if (r.accountcode !== "" && !r.accountcode.includes("/") && !r.accountcode.startsWith(".")) {
    appendFileSync(path.join(path.dirname(file), `${r.accountcode}.csv`), line + "\n", { encoding: "latin1" });
  }
  return true;
}
