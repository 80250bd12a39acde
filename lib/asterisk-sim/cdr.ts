/**
 * `Master.csv` as cdr_csv writes it: one line per posted CDR, columns accountcode, src, dst,
 * dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration,
 * billsec, disposition, amaflags, uniqueid, userfield. Strings and dates are quoted (a `"`
 * inside is doubled), duration and billsec are bare integers. Dates are written in UTC
 * (cdr_csv's `usegmtime=yes`) so output does not depend on the machine's zone.
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
  return d.toISOString().slice(0, 19).replace("T", " ");
}

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
    quote(formatDate(r.start)),
    quote(formatDate(r.answer)),
    quote(formatDate(r.end)),
    String(duration),
    String(billsec),
    quote(r.disposition),
    quote(r.amaflags),
    quote(r.uniqueid),
    quote(r.userfield),
  ].join(",");
}

export function appendCdr(file: string, r: CdrRecord): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, formatCdrLine(r) + "\n", { encoding: "latin1" });
}
