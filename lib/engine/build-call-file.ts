/**
 * What the engine asks Asterisk to do for one Call (docs/architecture.md#call-files-spoolcast-writes): the
 * CallFile model for a Call row on its host. Serialization and validation of every field
 * are the serializer's job (lib/callfile/serialize.ts); this module only decides the keys.
 */
import { CallFileError, type CallFile } from "@/lib/callfile/types";
import { kindOfCanonical } from "@/lib/destinations/destination";
import { clickContextFor } from "@/lib/ivr/dialplan";
import { signCallToken } from "@/lib/ivr/token";

/** The Call columns the file depends on. */
export type CallForFile = {
  id: string;
  kind: string;
  destination: string;
  channel: string;
  callerId: string | null;
  maxRetries: number;
  retryTime: number;
  waitTime: number;
};

/** The AsteriskHost columns the file depends on. */
export type HostForFile = {
  channelTemplate: string;
  outboundContext: string;
  ivrMode: string;
  ivrContext: string;
  ivrPublicAddress: string | null;
  paCallerId: string;
  defaultCallerId: string;
  paVariables: string;
};

/** The `P` reply Asterisk sends back is cut at 99 characters (docs/asterisk.md#p-reply-limit): `P,<10-digit ts>,` + args. */
const P_REPLY_LIMIT = 99;

/** The host's two dialling templates (AsteriskHost.channelTemplate, AsteriskHost.internalTemplate). */
export type DialTemplates = { channelTemplate: string; internalTemplate: string };

/**
 * The Channel for a canonical destination (lib/destinations), by its kind: an endpoint
 * (`PJSIP/101`) is dialled as written, an internal extension (`101`) through the host's
 * internal template (`PJSIP/{ext}`), an external number (`+442079460000`) through the trunk
 * template (`PJSIP/{number}@trunk`).
 */
export function channelFor(templates: DialTemplates, destination: string): string {
  const kind = kindOfCanonical(destination);
  if (kind === "endpoint") return destination;
  if (kind === "extension") {
    if (!templates.internalTemplate.includes("{ext}")) {
      throw new CallFileError("internalTemplate", "must contain {ext}, e.g. PJSIP/{ext}");
    }
    return templates.internalTemplate.replaceAll("{ext}", destination);
  }
  if (!templates.channelTemplate.includes("{number}")) {
    throw new CallFileError("channelTemplate", "must contain {number}, e.g. PJSIP/{number}@trunk");
  }
  return templates.channelTemplate.replaceAll("{number}", destination);
}

/** Splits `"Name" <number>` (or a bare number) into the model's caller id. */
export function parseCallerId(text: string): { name?: string; number?: string } {
  const t = text.trim();
  const m = /^(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>$/.exec(t);
  if (m) {
    const name = (m[1] ?? m[2] ?? "").trim();
    const number = m[3]!.trim();
    return { ...(name ? { name } : {}), ...(number ? { number } : {}) };
  }
  if (/^[0-9*#+]+$/.test(t)) return { number: t };
  return { name: t.replace(/^"|"$/g, "") };
}

/** `NAME=value` lines of a host's PA variables; a line without `=` is a configuration error. */
export function parsePaVariables(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new CallFileError("paVariables", `line ${i + 1} must be NAME=value`);
    out.push([line.slice(0, eq), line.slice(eq + 1)]);
  }
  return out;
}

/** The call file for `call` on `host`; `ivrPublicAddress` is the env default for hosts without one. */
export function buildCallFile(options: {
  call: CallForFile;
  host: HostForFile;
  secret: string;
  ivrPublicAddress: string;
}): CallFile {
  const { call, host, secret } = options;
  const token = signCallToken(secret, call.id);
  const callerIdText = call.callerId ?? (call.kind === "pa" ? host.paCallerId : host.defaultCallerId);
  const variables: Array<[string, string]> = [
    ["SPOOLCAST_CALL", call.id],
    ["SPOOLCAST_TOKEN", token],
  ];
  if (call.kind === "pa") variables.push(...parsePaVariables(host.paVariables));
  variables.push(["CDR(userfield)", `spoolcast:${call.id}`]);

  const base: CallFile = {
    channel: call.channel,
    ...(callerIdText.trim() ? { callerId: parseCallerId(callerIdText) } : {}),
    maxRetries: call.maxRetries,
    retryTime: call.retryTime,
    waitTime: call.waitTime,
    archive: true,
    variables,
  };

  if (call.kind === "click") {
    // The desk phone rings first; once answered, the dialplan dials the contact. In dialplan
    // mode through the snippet's click context, which reports the answer and the contact leg
    // (lib/ivr/dialplan.ts); in direct mode straight into the outbound context, unseen.
    const context = host.ivrMode === "dialplan" ? clickContextFor(host.ivrContext) : host.outboundContext;
    return { ...base, context, extension: call.destination, priority: 1 };
  }
  if (host.ivrMode === "dialplan") {
    return { ...base, context: host.ivrContext, extension: "s", priority: 1 };
  }
  const address = host.ivrPublicAddress ?? options.ivrPublicAddress;
  const reply = `P,0000000000,ivr://${address},${call.id},${token}`;
  if (reply.length > P_REPLY_LIMIT) {
    throw new CallFileError(
      "ivrPublicAddress",
      `too long: Asterisk cuts the IVR arguments at ${P_REPLY_LIMIT} characters (${reply.length} needed)`,
    );
  }
  return { ...base, application: "ExternalIVR", data: `ivr://${address}(${call.id},${token})` };
}
