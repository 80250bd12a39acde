"use client";

import Link from "next/link";
import { CheckCircle2, Download } from "lucide-react";
import { Button, buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ImportResult } from "@/lib/csv/import-contacts";

/**
 * What an import leaves out or changes, said in words: the columns that are not imported and
 * the changes made on the way (labels turned into tags, numbers split, …). `future` words it
 * for the preview ("will"), otherwise for the result.
 */
export function ImportNotes({ notImported, notices, future }: { notImported: string[]; notices: string[]; future?: boolean }) {
  if (notImported.length === 0 && notices.length === 0) return null;
  return (
    <div className="mb-3 flex flex-col gap-2 rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm">
      {notImported.length > 0 ? (
        <p>
          <strong>{future ? "Will not be imported" : "Not imported"}</strong> ({notImported.length} column(s)
          {future ? "; choose “Keep in notes” to keep them" : ""}): {notImported.join(", ")}
        </p>
      ) : null}
      {notices.length > 0 ? (
        <div>
          <strong>{future ? "Changes on the way" : "Changed on the way"}</strong>
          <ul className="mt-1 list-disc pl-5">
            {notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

/** Step 4: what was imported, each skipped row with its reasons, and what was not imported. */
export function ImportSummary({
  result,
  groupName,
  viewHref,
  onDownloadReport,
  onAnother,
}: {
  result: ImportResult;
  groupName?: string;
  viewHref: string;
  onDownloadReport: () => void;
  onAnother: () => void;
}) {
  return (
    <section
      aria-labelledby="import-done"
      className="flex max-w-3xl flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="import-done" className="flex items-center gap-2 text-lg font-semibold">
        <CheckCircle2 aria-hidden className="size-5 text-green-700" /> Import finished
      </h2>
      <p className="text-sm">
        <strong>{result.imported.toLocaleString("en")}</strong> contact(s) imported
        {groupName ? ` into ${groupName}` : ""}; <strong>{result.skipped.toLocaleString("en")}</strong> row(s) rejected.
      </p>
      <ImportNotes notImported={result.notImported} notices={result.notices} />
      {result.internalRows.length > 0 ? (
        <div>
          <h3 className="mb-1 text-sm font-semibold">Extensions and endpoints</h3>
          <p className="mb-2 text-xs text-slate-600">
            These rows are dialled inside the PBX: an extension through the host&apos;s internal dialling template, an endpoint as
            written.
          </p>
          <Table>
            <caption className="sr-only">Imported rows whose phone is an extension or an endpoint</caption>
            <TableHeader>
              <TableRow>
                <TableHead className="w-16">Row</TableHead>
                <TableHead>Became</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.internalRows.map((r) => (
                <TableRow key={`${r.row}-${r.destination}`}>
                  <TableCell className="text-slate-600 tabular-nums">{r.row}</TableCell>
                  <TableCell>{r.words}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {result.internalCount > result.internalRows.length ? (
            <p className="mt-1 text-xs text-slate-500">
              Showing {result.internalRows.length} of {result.internalCount.toLocaleString("en")}.
            </p>
          ) : null}
        </div>
      ) : null}
      {result.skippedRows.length > 0 ? (
        <div>
          <h3 className="mb-1 text-sm font-semibold">Rows skipped</h3>
          <Table>
            <caption className="sr-only">Rows that were not imported and why</caption>
            <TableHeader>
              <TableRow>
                <TableHead className="w-16">Row</TableHead>
                <TableHead>Reason</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.skippedRows.map((r) => (
                <TableRow key={r.row}>
                  <TableCell className="text-slate-600 tabular-nums">{r.row}</TableCell>
                  <TableCell className="text-red-800">{r.errors.join("; ")}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {result.skipped > result.skippedRows.length ? (
            <p className="mt-1 text-xs text-slate-500">
              Showing {result.skippedRows.length} of {result.skipped.toLocaleString("en")}; the error report lists every one.
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {result.errorReport ? (
          <Button variant="outline" onClick={onDownloadReport}>
            <Download aria-hidden /> Download error report
          </Button>
        ) : null}
        <Link className={buttonVariants()} href={viewHref}>
          View contacts
        </Link>
        <Button variant="ghost" onClick={onAnother}>
          Import another file
        </Button>
      </div>
    </section>
  );
}
