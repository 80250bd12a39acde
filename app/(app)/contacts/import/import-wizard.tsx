"use client";

import { Download, FileUp } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ColumnMapping, ColumnRole } from "@/lib/csv/column-mapping";
import type { ImportPreview, ImportResult } from "@/lib/csv/import-contacts";
import { ColumnChoices } from "./column-choices";
import { ImportNotes, ImportSummary } from "./import-summary";
import { importContactsAction, previewImportAction } from "../actions";

function downloadCsv(text: string, name: string) {
  const url = URL.createObjectURL(new Blob(["\uFEFF", text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** Upload → column mapping and preview with each row's problems → import → summary. */
export function ImportWizard({
  groups,
  maxMegabytes,
  initialGroupId,
}: {
  groups: { id: string; name: string }[];
  maxMegabytes: number;
  initialGroupId?: string;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [groupId, setGroupId] = useState(initialGroupId ?? "");
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function formFor(f: File, mapping?: ColumnMapping) {
    const form = new FormData();
    form.set("file", f);
    if (mapping) form.set("mapping", JSON.stringify(mapping));
    if (groupId) form.set("groupId", groupId);
    return form;
  }

  function runPreview(f: File, mapping?: ColumnMapping) {
    setError(undefined);
    // Checked here too because a body over the server's limit never reaches the server's check.
    if (f.size > maxMegabytes * 1024 * 1024) {
      setError(`The file is ${(f.size / 1024 / 1024).toFixed(1)} MB; the limit is ${maxMegabytes} MB`);
      return;
    }
    startTransition(async () => {
      try {
        const r = await previewImportAction(formFor(f, mapping));
        if (r.ok) setPreview(r.data);
        else {
          // A failed change of the column choices keeps the selectors on screen.
          if (!mapping) setPreview(null);
          setError(r.error);
        }
      } catch {
        if (!mapping) setPreview(null);
        setError("The upload did not reach the server. Check your connection and try again.");
      }
    });
  }

  function changeRoles(roles: (ColumnRole | null)[] | null) {
    if (!file || !preview) return;
    // null: back to the choices detected from the header row.
    runPreview(file, roles === null ? undefined : { roles });
  }

  function runImport() {
    if (!file || !preview) return;
    startTransition(async () => {
      try {
        const r = await importContactsAction(formFor(file, preview.mapping));
        if (r.ok) {
          setResult(r.data);
          toast.success(`Imported ${r.data.imported} contact(s)`);
        } else toast.error(r.error);
      } catch {
        toast.error(
          "The server did not answer. Importing the file again is safe: rows already stored are skipped as duplicates.",
        );
      }
    });
  }

  const checked = preview !== null && preview.problems.length === 0;

  if (result) {
    return (
      <ImportSummary
        result={result}
        groupName={groupId ? groups.find((g) => g.id === groupId)?.name : undefined}
        viewHref={groupId ? `/contacts/groups/${groupId}` : "/contacts"}
        onDownloadReport={() => downloadCsv(result.errorReport, "import-errors.csv")}
        onAnother={() => {
          setResult(null);
          setPreview(null);
          setFile(null);
        }}
      />
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <section
        aria-labelledby="step-upload"
        className="flex max-w-2xl flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4"
      >
        <h2 id="step-upload" className="text-base font-semibold">
          1. Choose a file
        </h2>
        <FormField
          label="CSV file"
          description={`UTF-8, at most ${maxMegabytes} MB. The first row must hold column names.`}
          error={error}
        >
          <Input
            type="file"
            name="file"
            accept=".csv,text/csv"
            className="h-auto py-1.5"
            onChange={(event) => {
              const f = event.target.files?.[0] ?? null;
              setFile(f);
              setPreview(null);
              if (f) runPreview(f);
            }}
          />
        </FormField>
        <FormField label="Add imported contacts to group" description="Optional.">
          <Select value={groupId} onChange={(event) => setGroupId(event.target.value)}>
            <option value="">No group</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        </FormField>
        {pending && !preview ? <output className="text-sm text-slate-600">Reading the file…</output> : null}
      </section>

      {preview && file ? (
        <>
          <ColumnChoices preview={preview} pending={pending} onChange={changeRoles} />

          <section aria-labelledby="step-preview" className="rounded-lg border border-slate-200 bg-white p-4">
            <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
              <h2 id="step-preview" className="text-base font-semibold">
                3. Check and import
              </h2>
              <output className="block text-sm">
                {preview.total.toLocaleString("en")} row(s):{" "}
                {checked ? (
                  <>
                    <Badge variant="success">{preview.valid.toLocaleString("en")} ready</Badge>{" "}
                    <Badge variant={preview.invalid ? "destructive" : "secondary"}>
                      {preview.invalid.toLocaleString("en")} with problems
                    </Badge>
                  </>
                ) : (
                  <Badge variant="secondary">not checked until the columns are chosen</Badge>
                )}
              </output>
            </div>
            <ImportNotes notImported={preview.notImported} notices={preview.notices} future />
            <Table>
              <caption className="sr-only">Preview of the first rows and of rows with problems</caption>
              <TableHeader>
                <TableRow>
                  <TableHead className="w-16">Row</TableHead>
                  <TableHead>Name</TableHead>
                  <TableHead>Phones</TableHead>
                  <TableHead>Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {preview.sample.map((s) => (
                  <TableRow key={s.row} className={s.errors.length ? "bg-red-50/60" : undefined}>
                    <TableCell className="text-slate-600 tabular-nums">{s.row}</TableCell>
                    <TableCell>{s.name || <span className="text-slate-400">(empty)</span>}</TableCell>
                    <TableCell className="font-mono text-[13px]">{s.phones || "—"}</TableCell>
                    <TableCell>
                      {!checked ? (
                        <span className="text-slate-500">—</span>
                      ) : s.errors.length === 0 ? (
                        <span className="text-green-800">Ready</span>
                      ) : (
                        <ul className="text-red-800">
                          {s.errors.map((e) => (
                            <li key={e}>{e}</li>
                          ))}
                        </ul>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {preview.total > preview.sample.length ? (
              <p className="mt-2 text-xs text-slate-500">
                Showing {preview.sample.length} of {preview.total.toLocaleString("en")} rows; the error report lists every
                rejected row.
              </p>
            ) : null}
            <div className="mt-4 flex flex-wrap gap-2">
              <Button onClick={runImport} disabled={pending || !checked || preview.valid === 0}>
                <FileUp aria-hidden /> {pending ? "Working…" : `Import ${preview.valid.toLocaleString("en")} valid row(s)`}
              </Button>
              {preview.errorReport ? (
                <Button variant="outline" onClick={() => downloadCsv(preview.errorReport, "import-errors.csv")}>
                  <Download aria-hidden /> Download error report
                </Button>
              ) : null}
            </div>
            {preview.invalid > 0 ? (
              <Alert variant="warning" className="mt-3">
                Rows with problems are skipped; fix them in the error report and import it again.
              </Alert>
            ) : null}
          </section>
        </>
      ) : null}
    </div>
  );
}
