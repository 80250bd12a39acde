"use client";

import { ShieldCheck } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { HostInput } from "@/lib/hosts/host.schema";
import { fetchHostKeyAction, saveHostAction } from "./actions";

export type HostFormValues = Omit<Required<HostInput>, "id" | "fileUid" | "fileGid" | "sftpPort"> & {
  id?: string;
  fileUid: string;
  fileGid: string;
  sftpPort: string;
  hasPrivateKey: boolean;
};

const GRID = "grid grid-cols-1 gap-4 sm:grid-cols-2";

function value(form: FormData, name: string): string {
  return String(form.get(name) ?? "");
}

/** Create or edit an Asterisk host; errors appear next to their field. */
export function HostForm({ initial }: { initial: HostFormValues }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [probing, startProbe] = useTransition();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [transport, setTransport] = useState(initial.transport);
  const [hostKey, setHostKey] = useState(initial.sftpHostKey);
  const [probed, setProbed] = useState<string>();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input: HostInput = {
      id: initial.id,
      name: value(form, "name"),
      enabled: form.get("enabled") === "on",
      isDefault: form.get("isDefault") === "on",
      transport: value(form, "transport") as "local",
      spoolDir: value(form, "spoolDir"),
      soundsDir: value(form, "soundsDir"),
      sftpHost: value(form, "sftpHost"),
      sftpPort: value(form, "sftpPort"),
      sftpUser: value(form, "sftpUser"),
      sftpPrivateKey: value(form, "sftpPrivateKey"),
      sftpHostKey: hostKey,
      fileUid: value(form, "fileUid"),
      fileGid: value(form, "fileGid"),
      maxConcurrent: value(form, "maxConcurrent"),
      maxPerSecond: value(form, "maxPerSecond"),
      channelTemplate: value(form, "channelTemplate"),
      internalTemplate: value(form, "internalTemplate"),
      extensionMinDigits: value(form, "extensionMinDigits"),
      extensionMaxDigits: value(form, "extensionMaxDigits"),
      allowFeatureCodes: form.get("allowFeatureCodes") === "on",
      outboundContext: value(form, "outboundContext"),
      ivrMode: value(form, "ivrMode") as "direct",
      ivrContext: value(form, "ivrContext"),
      ivrPublicAddress: value(form, "ivrPublicAddress"),
      paCallerId: value(form, "paCallerId"),
      defaultCallerId: value(form, "defaultCallerId"),
      paVariables: value(form, "paVariables"),
      retention: value(form, "retention") as "archive",
      maxRetries: value(form, "maxRetries"),
      retryTime: value(form, "retryTime"),
      waitTime: value(form, "waitTime"),
    };
    startTransition(async () => {
      const result = await saveHostAction(input);
      if (!result.ok) {
        const fields = result.fieldErrors ?? {};
        // Field problems are shown next to their fields; the banner only points at them.
        setError(
          Object.keys(fields).length > 0 ? "Some settings need attention: see the messages next to the fields." : result.error,
        );
        setFieldErrors(fields);
        return;
      }
      setError(undefined);
      setFieldErrors({});
      const sync = result.data.sync;
      toast.success(
        `Host “${result.data.name}” saved` +
          ("error" in sync
            ? ` — message sync failed: ${sync.error}`
            : sync.synced || sync.failed
              ? ` — ${sync.synced} messages synced${sync.failed ? `, ${sync.failed} failed` : ""}`
              : ""),
      );
      if (!initial.id) router.push(`/settings/hosts/${result.data.id}`);
      else router.refresh();
    });
  }

  function probe(form: HTMLFormElement | null) {
    if (!form) return;
    const data = new FormData(form);
    startProbe(async () => {
      const result = await fetchHostKeyAction({ sftpHost: value(data, "sftpHost"), sftpPort: value(data, "sftpPort") });
      if (result.ok) {
        setProbed(result.data.fingerprint);
        setFieldErrors((e) => ({ ...e, sftpHost: "" }));
      } else {
        setProbed(undefined);
        setFieldErrors((e) => ({ ...e, ...(result.fieldErrors ?? { sftpHost: result.error }) }));
      }
    });
  }

  const fe = (name: string) => fieldErrors[name] || undefined;

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-6">
      {error ? <Alert variant="error">{error}</Alert> : null}
      <Card>
        <CardHeader>
          <CardTitle>General</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <FormField label="Name" error={fe("name")} required>
            <Input name="name" defaultValue={initial.name} autoComplete="off" />
          </FormField>
          <div className="flex flex-wrap gap-6 text-sm">
            <label className="flex items-center gap-2">
              <input type="checkbox" name="enabled" defaultChecked={initial.enabled} className="size-4" /> Enabled (calls may be
              placed through it)
            </label>
            <label className="flex items-center gap-2">
              <input type="checkbox" name="isDefault" defaultChecked={initial.isDefault} className="size-4" /> Default host
            </label>
          </div>
          {fe("isDefault") ? <p className="text-xs font-medium text-red-700">{fe("isDefault")}</p> : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Spool connection</CardTitle>
          <CardDescription>
            Where Spoolcast writes call files (Asterisk&apos;s outgoing spool) and message sounds.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <FormField label="Transport" error={fe("transport")} required>
            <Select name="transport" value={transport} onChange={(e) => setTransport(e.target.value as "local")}>
              <option value="local">Local — Asterisk runs on this machine</option>
              <option value="sftp">SFTP — Asterisk runs on another machine</option>
            </Select>
          </FormField>
          <div className={GRID}>
            <FormField
              label="Spool directory"
              error={fe("spoolDir")}
              description="Contains outgoing/, tmp/ and outgoing_done/"
              required
            >
              <Input name="spoolDir" defaultValue={initial.spoolDir} placeholder="/var/spool/asterisk" />
            </FormField>
            <FormField
              label="Sounds root"
              error={fe("soundsDir")}
              description="Asterisk's sounds root, the folder holding en/ (normally /var/lib/asterisk/sounds). Messages, system prompts and wake-up greetings are copied into its spoolcast/ folder and checked there; changing it copies everything again."
              required
            >
              <Input name="soundsDir" defaultValue={initial.soundsDir} placeholder="/var/lib/asterisk/sounds" />
            </FormField>
            <FormField label="File owner uid" error={fe("fileUid")} description="Empty: leave as written">
              <Input name="fileUid" inputMode="numeric" defaultValue={initial.fileUid} />
            </FormField>
            <FormField label="File group gid" error={fe("fileGid")} description="Empty: leave as written">
              <Input name="fileGid" inputMode="numeric" defaultValue={initial.fileGid} />
            </FormField>
          </div>
          {transport === "sftp" ? (
            <div className="flex flex-col gap-4 rounded-md border border-slate-200 bg-slate-50 p-4">
              <div className={GRID}>
                <FormField label="SFTP host" error={fe("sftpHost")} required>
                  <Input name="sftpHost" defaultValue={initial.sftpHost} placeholder="pbx.example.org" />
                </FormField>
                <FormField label="SFTP port" error={fe("sftpPort")}>
                  <Input name="sftpPort" inputMode="numeric" defaultValue={initial.sftpPort} placeholder="22" />
                </FormField>
                <FormField label="SFTP user" error={fe("sftpUser")} required>
                  <Input name="sftpUser" defaultValue={initial.sftpUser} autoComplete="off" />
                </FormField>
              </div>
              <FormField
                label="Private key"
                error={fe("sftpPrivateKey")}
                description={
                  initial.hasPrivateKey
                    ? "A key is stored. Leave empty to keep it, or paste a new one."
                    : "PEM or OpenSSH private key, unencrypted."
                }
                required={!initial.hasPrivateKey}
              >
                <Textarea name="sftpPrivateKey" rows={4} className="font-mono text-xs" autoComplete="off" spellCheck={false} />
              </FormField>
              <FormField
                label="Pinned host key"
                error={fe("sftpHostKey")}
                description="Spoolcast refuses a server presenting any other key."
                required
              >
                <Input
                  name="sftpHostKey"
                  value={hostKey}
                  onChange={(e) => setHostKey(e.target.value)}
                  placeholder="SHA256:…"
                  className="font-mono text-xs"
                />
              </FormField>
              <div className="flex flex-col gap-2">
                <Button
                  type="button"
                  variant="outline"
                  className="self-start"
                  disabled={probing}
                  onClick={(e) => probe(e.currentTarget.form)}
                >
                  {probing ? "Fetching…" : "Fetch host key"}
                </Button>
                {probed ? (
                  <Alert variant="info">
                    <p>
                      The server presents <code className="font-mono text-xs break-all">{probed}</code>. Compare it with{" "}
                      <code className="text-xs">ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the server before
                      trusting it.
                    </p>
                    <Button type="button" size="sm" className="mt-2" onClick={() => setHostKey(probed)}>
                      <ShieldCheck aria-hidden /> Trust this key
                    </Button>
                  </Alert>
                ) : null}
              </div>
            </div>
          ) : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Dialling</CardTitle>
          <CardDescription>How numbers become channels, and how fast Spoolcast may call.</CardDescription>
        </CardHeader>
        <CardContent className={GRID}>
          <FormField
            label="Channel template"
            error={fe("channelTemplate")}
            description="For outside numbers: {number} is replaced by the E.164 number"
            required
          >
            <Input name="channelTemplate" defaultValue={initial.channelTemplate} className="font-mono" />
          </FormField>
          <FormField
            label="Internal dialling template"
            error={fe("internalTemplate")}
            description="For extensions such as 101: {ext} is replaced by the extension. Endpoints (PJSIP/101) are dialled as written."
            required
          >
            <Input name="internalTemplate" defaultValue={initial.internalTemplate} className="font-mono" />
          </FormField>
          <FormField label="Shortest extension (digits)" error={fe("extensionMinDigits")} required>
            <Input name="extensionMinDigits" inputMode="numeric" defaultValue={String(initial.extensionMinDigits)} />
          </FormField>
          <FormField
            label="Longest extension (digits)"
            error={fe("extensionMaxDigits")}
            description="Longer digit strings are read as phone numbers"
            required
          >
            <Input name="extensionMaxDigits" inputMode="numeric" defaultValue={String(initial.extensionMaxDigits)} />
          </FormField>
          <div className="flex flex-col gap-1 text-sm">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                name="allowFeatureCodes"
                defaultChecked={initial.allowFeatureCodes}
                className="size-4"
                aria-describedby="allowFeatureCodes-description"
              />{" "}
              Allow feature codes with * or # as extensions
            </label>
            <p id="allowFeatureCodes-description" className="text-xs text-slate-500">
              For example *43. Off unless the site needs them: a feature code can change a phone&apos;s settings.
            </p>
            {fe("allowFeatureCodes") ? <p className="text-xs font-medium text-red-700">{fe("allowFeatureCodes")}</p> : null}
          </div>
          <FormField label="Outbound context" error={fe("outboundContext")} required>
            <Input name="outboundContext" defaultValue={initial.outboundContext} className="font-mono" />
          </FormField>
          <FormField label="Max concurrent calls" error={fe("maxConcurrent")} required>
            <Input name="maxConcurrent" inputMode="numeric" defaultValue={String(initial.maxConcurrent)} />
          </FormField>
          <FormField label="Max new calls per second" error={fe("maxPerSecond")} required>
            <Input name="maxPerSecond" inputMode="numeric" defaultValue={String(initial.maxPerSecond)} />
          </FormField>
          <FormField label="Retries" error={fe("maxRetries")} description="After the first attempt (0-100)" required>
            <Input name="maxRetries" inputMode="numeric" defaultValue={String(initial.maxRetries)} />
          </FormField>
          <FormField label="Seconds between attempts" error={fe("retryTime")} required>
            <Input name="retryTime" inputMode="numeric" defaultValue={String(initial.retryTime)} />
          </FormField>
          <FormField label="Ring time (seconds)" error={fe("waitTime")} required>
            <Input name="waitTime" inputMode="numeric" defaultValue={String(initial.waitTime)} />
          </FormField>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>IVR</CardTitle>
          <CardDescription>How answered calls reach Spoolcast&apos;s message player.</CardDescription>
        </CardHeader>
        <CardContent className={GRID}>
          <FormField label="IVR mode" error={fe("ivrMode")} required>
            <Select name="ivrMode" defaultValue={initial.ivrMode}>
              <option value="direct">Direct — call files run ExternalIVR</option>
              <option value="dialplan">Dialplan — via the pasted context (reports failures)</option>
            </Select>
          </FormField>
          <FormField label="IVR context" error={fe("ivrContext")} required>
            <Input name="ivrContext" defaultValue={initial.ivrContext} className="font-mono" />
          </FormField>
          <FormField
            label="IVR public address"
            error={fe("ivrPublicAddress")}
            description="host:port Asterisk connects to; empty: the server default"
          >
            <Input
              name="ivrPublicAddress"
              defaultValue={initial.ivrPublicAddress}
              placeholder="192.0.2.10:2949"
              className="font-mono"
            />
          </FormField>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Caller ID and variables</CardTitle>
        </CardHeader>
        <CardContent className={GRID}>
          <FormField label="PA caller ID" error={fe("paCallerId")} description={'"Name" <number>'}>
            <Input name="paCallerId" defaultValue={initial.paCallerId} className="font-mono" />
          </FormField>
          <FormField label="Default caller ID" error={fe("defaultCallerId")} description={'"Name" <number>'}>
            <Input name="defaultCallerId" defaultValue={initial.defaultCallerId} className="font-mono" />
          </FormField>
          <FormField
            label="PA channel variables"
            error={fe("paVariables")}
            description="One NAME=value per line, set on PA calls"
            className="sm:col-span-2"
          >
            <Textarea
              name="paVariables"
              rows={3}
              defaultValue={initial.paVariables}
              className="font-mono text-xs"
              spellCheck={false}
            />
          </FormField>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Retention</CardTitle>
        </CardHeader>
        <CardContent>
          <FormField label="Archived call files, once read" error={fe("retention")} required>
            <Select name="retention" defaultValue={initial.retention}>
              <option value="archive">Move to Spoolcast&apos;s archive folder</option>
              <option value="keep">Keep in outgoing_done</option>
              <option value="delete">Delete</option>
            </Select>
          </FormField>
        </CardContent>
      </Card>

      <div className="flex justify-end gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : initial.id ? "Save host" : "Create host"}
        </Button>
      </div>
    </form>
  );
}
