/**
 * Checks of host settings against Asterisk's rules, reusing the call-file serializer and the
 * IVR argument-length check, so a value is refused here exactly when the engine could not
 * use it. Throws `UserError` naming the form field.
 */
import { serializeCallFile } from "@/lib/callfile/serialize";
import { callerIdProblem } from "@/lib/callfile/caller-id-rule";
import { CallFileError, type CallFile } from "@/lib/callfile/types";
import { channelFor, parsePaVariables } from "@/lib/engine/build-call-file";
import { checkIvrArgsFit, DialplanConfigError } from "@/lib/ivr/dialplan";
import { UserError } from "@/lib/errors";
import type { HostData } from "./host.schema";

const BASE: CallFile = { channel: "Local/s@spoolcast-check", application: "Hangup" };

function trySerialize(field: string, cf: CallFile, describe: (e: CallFileError) => string = (e) => e.reason): void {
  try {
    serializeCallFile(cf);
  } catch (e) {
    if (e instanceof CallFileError) throw new UserError(describe(e), { field });
    throw e;
  }
}

export function checkHostSettings(data: HostData): void {
  if (data.extensionMinDigits > data.extensionMaxDigits) {
    throw new UserError(`The shortest extension cannot have more digits than the longest (${data.extensionMaxDigits})`, {
      field: "extensionMinDigits",
    });
  }
  // A long E.164 number: the template must still give a valid Channel line.
  trySerialize(
    "channelTemplate",
    { ...BASE, channel: channelFor(data, "+123456789012345") },
    (e) => `Gives an invalid channel: ${e.reason}`,
  );
  // The longest extension this host allows, with a feature code's * and # when they are allowed.
  const longest = (data.allowFeatureCodes ? "*#" : "")
    .concat("9".repeat(data.extensionMaxDigits))
    .slice(-data.extensionMaxDigits);
  trySerialize(
    "internalTemplate",
    { ...BASE, channel: channelFor(data, longest) },
    (e) => `Gives an invalid channel: ${e.reason}`,
  );
  for (const field of ["paCallerId", "defaultCallerId"] as const) {
    const value = data[field];
    if (!value) continue;
    const problem = callerIdProblem(value);
    if (problem) throw new UserError(problem, { field });
  }
  let vars: Array<[string, string]>;
  try {
    vars = parsePaVariables(data.paVariables);
  } catch (e) {
    if (e instanceof CallFileError) throw new UserError(e.reason, { field: "paVariables" });
    throw e;
  }
  const own = vars.find(([name]) => /^_*SPOOLCAST_/i.test(name) || name === "CDR(userfield)");
  if (own)
    throw new UserError(`${own[0]}: Spoolcast sets this itself on every call; choose another name`, { field: "paVariables" });
  trySerialize("paVariables", { ...BASE, variables: vars }, (e) => {
    const m = /^variables\[(\d+)\]/.exec(e.field);
    const line = m ? vars[Number(m[1])] : undefined;
    return line ? `${line[0]}: ${e.reason}` : e.reason;
  });
  if (data.ivrPublicAddress) {
    try {
      checkIvrArgsFit(data.ivrPublicAddress);
    } catch (e) {
      if (e instanceof DialplanConfigError) throw new UserError(e.reason, { field: "ivrPublicAddress" });
      throw e;
    }
  }
  if (data.transport === "sftp") {
    if (!data.sftpHost) throw new UserError("An SFTP host needs the server's address", { field: "sftpHost" });
    if (!data.sftpUser) throw new UserError("An SFTP host needs a user name", { field: "sftpUser" });
    if (!data.sftpHostKey)
      throw new UserError("Pin the server's host key: use “Fetch host key”, compare it with the server's, then trust it", {
        field: "sftpHostKey",
      });
  }
}
