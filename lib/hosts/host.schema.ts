/**
 * Validation of an Asterisk host's settings. Field rules that depend on Asterisk's call-file
 * grammar (channel template, caller IDs, PA variables) are checked by running the values
 * through the call-file serializer itself (lib/hosts/check-host.ts), so the settings page
 * refuses exactly what the engine could not write.
 */
import { z } from "zod";
import { DEFAULT_EXTENSION_RULE, EXTENSION_DIGITS_LIMITS } from "@/lib/destinations/destination";
import { plainText } from "@/lib/text/plain-text";

const CONTEXT = /^[A-Za-z0-9_-]{1,79}$/;
const HOSTNAME = /^(\[[0-9a-fA-F:]+\]|[0-9a-fA-F:]+|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$/;
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

const absoluteDir = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Give the ${label}`)
    .max(500)
    .refine((v) => v.startsWith("/"), "Must be an absolute path, starting with /")
    // Rejecting control characters is the point of this pattern.
    // oxlint-disable-next-line no-control-regex
    .refine((v) => !/[\x00-\x1f\x7f]/.test(v), "Must not contain control characters")
    .refine((v) => !v.split("/").includes(".."), "Must not contain .. segments");

const optionalInt = (min: number, max: number) =>
  z
    .preprocess(
      (v) => (v === "" || v === null || v === undefined ? null : v),
      z.coerce.number().int("Whole number").min(min).max(max).nullable(),
    )
    .optional();

export const HOST_TRANSPORTS = ["local", "sftp"] as const;
export const IVR_MODES = ["direct", "dialplan"] as const;
export const RETENTIONS = ["keep", "archive", "delete"] as const;

export const hostInputSchema = z.object({
  /** Present when editing. */
  id: z.string().min(1).optional(),
  name: plainText("Host name", { min: 1, max: 100, required: "Give the host a name" }),
  enabled: z.boolean().default(true),
  isDefault: z.boolean().default(false),
  transport: z.enum(HOST_TRANSPORTS, "Choose local or SFTP"),
  spoolDir: absoluteDir("spool directory"),
  // The sounds root itself: Spoolcast adds spoolcast/ below it, so a root ending in spoolcast
  // would put every file in …/spoolcast/spoolcast/, where Asterisk never looks for it.
  soundsDir: absoluteDir("sounds root").refine(
    (v) => v.replace(/\/+$/, "").split("/").at(-1) !== "spoolcast",
    "Give Asterisk's sounds root (e.g. /var/lib/asterisk/sounds), not its spoolcast folder: Spoolcast writes into <root>/spoolcast/ itself",
  ),
  sftpHost: z
    .string()
    .trim()
    .max(253)
    .refine((v) => v === "" || HOSTNAME.test(v), "A host name or IP address, e.g. pbx.example.org")
    .default(""),
  sftpPort: optionalInt(1, 65535),
  sftpUser: z
    .string()
    .trim()
    .max(100)
    .refine((v) => v === "" || /^[A-Za-z0-9._-]+$/.test(v), "Letters, digits, . _ - only")
    .default(""),
  /** PEM private key; empty on edit keeps the stored one. */
  sftpPrivateKey: z
    .string()
    .max(20_000)
    .refine(
      (v) => v.trim() === "" || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v),
      "Paste the whole private key, starting with -----BEGIN … PRIVATE KEY-----",
    )
    .default(""),
  sftpHostKey: z
    .string()
    .trim()
    .refine((v) => v === "" || FINGERPRINT.test(v), "A SHA256 fingerprint like SHA256:abc… (43 characters after SHA256:)")
    .default(""),
  fileUid: optionalInt(0, 2_147_483_647),
  fileGid: optionalInt(0, 2_147_483_647),
  maxConcurrent: z.coerce.number().int("Whole number").min(1, "At least 1").max(1000, "At most 1000"),
  maxPerSecond: z.coerce.number().int("Whole number").min(1, "At least 1").max(1000, "At most 1000"),
  channelTemplate: z
    .string()
    .trim()
    .min(1, "Give a channel template")
    .max(300)
    .refine((v) => v.includes("{number}"), "Must contain {number}, e.g. PJSIP/{number}@trunk"),
  /** How an internal extension (a contact's "101") is dialled (lib/destinations). */
  internalTemplate: z
    .string()
    .trim()
    .min(1, "Give an internal dialling template")
    .max(300)
    .refine((v) => v.includes("{ext}"), "Must contain {ext}, e.g. PJSIP/{ext}")
    .default("PJSIP/{ext}"),
  extensionMinDigits: z.coerce
    .number()
    .int("Whole number")
    .min(EXTENSION_DIGITS_LIMITS.min, `At least ${EXTENSION_DIGITS_LIMITS.min}`)
    .max(EXTENSION_DIGITS_LIMITS.max, `At most ${EXTENSION_DIGITS_LIMITS.max}`)
    .default(DEFAULT_EXTENSION_RULE.minDigits),
  extensionMaxDigits: z.coerce
    .number()
    .int("Whole number")
    .min(EXTENSION_DIGITS_LIMITS.min, `At least ${EXTENSION_DIGITS_LIMITS.min}`)
    .max(EXTENSION_DIGITS_LIMITS.max, `At most ${EXTENSION_DIGITS_LIMITS.max}`)
    .default(DEFAULT_EXTENSION_RULE.maxDigits),
  /** Whether extensions may hold * and # (feature codes such as *43). */
  allowFeatureCodes: z.boolean().default(false),
  outboundContext: z.string().trim().regex(CONTEXT, "1-79 characters of A-Z a-z 0-9 _ -"),
  ivrMode: z.enum(IVR_MODES, "Choose direct or dialplan"),
  ivrContext: z.string().trim().regex(CONTEXT, "1-79 characters of A-Z a-z 0-9 _ -"),
  ivrPublicAddress: z.string().trim().max(200).default(""),
  // Under the text rule before trimming, so a trailing line break is refused, not removed;
  // the caller-ID grammar itself is checked by checkHostSettings (lib/callfile/caller-id-rule.ts).
  paCallerId: plainText("PA caller ID", { max: 200 }).default(""),
  defaultCallerId: plainText("Default caller ID", { max: 200 }).default(""),
  paVariables: z.string().max(5000).default(""),
  retention: z.enum(RETENTIONS, "Choose keep, archive or delete"),
  maxRetries: z.coerce.number().int("Whole number").min(0).max(100),
  retryTime: z.coerce.number().int("Whole number").min(1).max(86400),
  waitTime: z.coerce.number().int("Whole number").min(1).max(3600),
});
export type HostInput = z.input<typeof hostInputSchema>;
export type HostData = z.output<typeof hostInputSchema>;

export const hostIdSchema = z.object({ id: z.string().min(1) });
export const probeHostKeySchema = z.object({
  sftpHost: z
    .string()
    .trim()
    .min(1, "Give the SFTP host first")
    .refine((v) => HOSTNAME.test(v), "A host name or IP address"),
  sftpPort: optionalInt(1, 65535),
});
