import type { HostFormValues } from "./host-form";

type HostRow = {
  id: string;
  name: string;
  enabled: boolean;
  isDefault: boolean;
  transport: string;
  spoolDir: string;
  soundsDir: string;
  sftpHost: string | null;
  sftpPort: number | null;
  sftpUser: string | null;
  sftpHostKey: string | null;
  fileUid: number | null;
  fileGid: number | null;
  maxConcurrent: number;
  maxPerSecond: number;
  channelTemplate: string;
  internalTemplate: string;
  extensionMinDigits: number;
  extensionMaxDigits: number;
  allowFeatureCodes: boolean;
  outboundContext: string;
  ivrMode: string;
  ivrContext: string;
  ivrPublicAddress: string | null;
  paCallerId: string;
  defaultCallerId: string;
  paVariables: string;
  retention: string;
  maxRetries: number;
  retryTime: number;
  waitTime: number;
};

/** The form's initial values for a stored host (the private key is never sent to the browser). */
export function toFormValues(h: HostRow, hasPrivateKey: boolean): HostFormValues {
  return {
    id: h.id,
    name: h.name,
    enabled: h.enabled,
    isDefault: h.isDefault,
    transport: h.transport as "local",
    spoolDir: h.spoolDir,
    soundsDir: h.soundsDir,
    sftpHost: h.sftpHost ?? "",
    sftpPort: h.sftpPort?.toString() ?? "",
    sftpUser: h.sftpUser ?? "",
    sftpPrivateKey: "",
    sftpHostKey: h.sftpHostKey ?? "",
    hasPrivateKey,
    fileUid: h.fileUid?.toString() ?? "",
    fileGid: h.fileGid?.toString() ?? "",
    maxConcurrent: h.maxConcurrent,
    maxPerSecond: h.maxPerSecond,
    channelTemplate: h.channelTemplate,
    internalTemplate: h.internalTemplate,
    extensionMinDigits: h.extensionMinDigits,
    extensionMaxDigits: h.extensionMaxDigits,
    allowFeatureCodes: h.allowFeatureCodes,
    outboundContext: h.outboundContext,
    ivrMode: h.ivrMode as "direct",
    ivrContext: h.ivrContext,
    ivrPublicAddress: h.ivrPublicAddress ?? "",
    paCallerId: h.paCallerId,
    defaultCallerId: h.defaultCallerId,
    paVariables: h.paVariables,
    retention: h.retention as "archive",
    maxRetries: h.maxRetries,
    retryTime: h.retryTime,
    waitTime: h.waitTime,
  };
}

export const NEW_HOST: HostFormValues = {
  name: "",
  enabled: true,
  isDefault: false,
  transport: "local",
  spoolDir: "/var/spool/asterisk",
  // The sounds root: messages land in <root>/spoolcast/ because their sound names start with spoolcast/.
  soundsDir: "/var/lib/asterisk/sounds",
  sftpHost: "",
  sftpPort: "",
  sftpUser: "",
  sftpPrivateKey: "",
  sftpHostKey: "",
  hasPrivateKey: false,
  fileUid: "",
  fileGid: "",
  maxConcurrent: 20,
  maxPerSecond: 10,
  channelTemplate: "PJSIP/{number}@trunk",
  internalTemplate: "PJSIP/{ext}",
  extensionMinDigits: 3,
  extensionMaxDigits: 6,
  allowFeatureCodes: false,
  outboundContext: "from-internal",
  ivrMode: "direct",
  ivrContext: "spoolcast",
  ivrPublicAddress: "",
  paCallerId: '"PA" <911>',
  defaultCallerId: '"Spoolcast" <1000>',
  paVariables: "",
  retention: "archive",
  maxRetries: 2,
  retryTime: 60,
  waitTime: 30,
};
