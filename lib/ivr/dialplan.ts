/**
 * The `extensions.conf` snippet a PBX admin pastes for a host in "dialplan" IVR mode, and
 * the check that the host's IVR address leaves room for the ExternalIVR arguments in
 * Asterisk's 99-character `P` reply (docs/asterisk.md#p-reply-limit).
 */
import { TOKEN_LENGTH } from "./token";
import { P_ARGS_MAX_CHARS } from "./protocol";

/** Longest call id Spoolcast issues (Prisma cuid). */
export const MAX_CALL_ID_LENGTH = 25;
/** `${REASON}` is one of 0, 1, 3, 4, 5, 8 (docs/asterisk.md#reason-codes). */
const MAX_REASON_LENGTH = 1;

const CONTEXT_NAME = /^[A-Za-z0-9_-]{1,79}$/;
const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/**
 * Appended to the CDR userfield by the snippet's `failed` extension. That extension runs on a
 * channel of its own (`OutgoingSpoolFailed`, main/pbx.c `ast_pbx_outgoing_exten_predial`), which
 * inherits the call file's `Set: CDR(userfield)=spoolcast:<callId>`; with cdr.conf
 * `unanswered = yes` it posts a CDR row of its own for every failed attempt. The mark lets
 * whoever counts calls in the CDR leave those rows out (docs/operations.md#counting-calls-in-the-cdr).
 */
export const FAILED_REPORT_MARK = ";failed-report";

/** The `failed` extension's lines: mark its CDR row, then report `${REASON}` to the IVR server. */
export function failedExtensionLines(url: string): string[] {
  return [
    // `;` starts a comment in extensions.conf; `\;` is a literal one (main/config.c).
    `exten => failed,1,Set(CDR(userfield)=\${CDR(userfield)}\\${FAILED_REPORT_MARK})`,
    ` same => n,ExternalIVR(${url}(failed,\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN},\${REASON}),n)`,
    ` same => n,Hangup()`,
  ];
}

/** The host settings the snippet is generated from. */
export type DialplanHost = {
  /** Host name shown in the snippet's header comment. */
  name?: string;
  /** AsteriskHost.ivrContext, default `spoolcast`. */
  ivrContext: string;
  /**
   * AsteriskHost.outboundContext: where a click-to-call dials the contact, as if the user had
   * dialled. Without it the snippet has no click-to-call context.
   */
  outboundContext?: string;
  /** `host:port` Asterisk connects to (AsteriskHost.ivrPublicAddress, else IVR_PUBLIC_ADDRESS). */
  ivrPublicAddress: string;
};

/** A host setting that cannot produce a working snippet; `field` names it. */
export class DialplanConfigError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = "DialplanConfigError";
  }
}

/** Longest context name Asterisk keeps (AST_MAX_CONTEXT is 80 with the terminating NUL). */
const MAX_CONTEXT_LENGTH = 79;
/** Longest DIALSTATUS (CHANUNAVAIL, INVALIDARGS) and ANSWEREDTIME we plan for (a day is 86400 s). */
const MAX_DIALSTATUS_LENGTH = 11;
const MAX_ANSWEREDTIME_LENGTH = 5;

/**
 * The context click-to-call files use in dialplan mode: the desk phone's answer opens an IVR
 * session (so Spoolcast knows it), Dial() calls the contact, and the `h` extension reports the
 * contact leg. A context of its own, so message calls do not run that `h` extension.
 */
export function clickContextFor(ivrContext: string): string {
  return `${ivrContext}-click`;
}

/**
 * The context the self-test call dials into (docs/operations.md#the-self-test-call): its `s`
 * extension answers by itself, so a `Local/s@<ivrContext>-selftest` channel in a call file is
 * a call Asterisk places and answers without a phone; its `busy` extension fails on purpose.
 */
export function selfTestContextFor(ivrContext: string): string {
  return `${ivrContext}-selftest`;
}

/** Extensions of the self-test context: one that answers, one that reports busy. */
export const SELF_TEST_EXTENSIONS = { answers: "s", busy: "busy" } as const;

/**
 * How long the answering side stays on the line. The self-test's IVR session hangs up as soon
 * as its sounds played; this only bounds a test call whose IVR session never came.
 */
const SELF_TEST_HOLD_SECONDS = 60;

/** Length of the click context's `h` report: ivr://<addr>,dial,<call id>,<token>,<DIALSTATUS>,<ANSWEREDTIME>. */
export function longestContactLegReportLength(publicAddress: string): number {
  return (
    `ivr://${publicAddress}`.length +
    ",dial,".length +
    MAX_CALL_ID_LENGTH +
    1 +
    TOKEN_LENGTH +
    1 +
    MAX_DIALSTATUS_LENGTH +
    1 +
    MAX_ANSWEREDTIME_LENGTH
  );
}

/** Length of the longest `P` argument text Asterisk would build for this address. */
export function longestIvrArgsLength(publicAddress: string): number {
  // ivr://<addr>,failed,<call id>,<token>,<reason>
  return `ivr://${publicAddress}`.length + ",failed,".length + MAX_CALL_ID_LENGTH + 1 + TOKEN_LENGTH + 1 + MAX_REASON_LENGTH;
}

/** Throws DialplanConfigError unless the address is host:port and every P reply fits in 99 characters. */
export function checkIvrArgsFit(publicAddress: string): void {
  const m = HOST_PORT.exec(publicAddress);
  if (!m) throw new DialplanConfigError("ivrPublicAddress", `"${publicAddress}" must be host:port, e.g. 192.0.2.10:2949`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new DialplanConfigError("ivrPublicAddress", `port ${port} must be 1-65535`);
  const longest = longestIvrArgsLength(publicAddress);
  if (longest > P_ARGS_MAX_CHARS) {
    throw new DialplanConfigError(
      "ivrPublicAddress",
      `"${publicAddress}" is ${longest - P_ARGS_MAX_CHARS} characters too long: Asterisk cuts the ExternalIVR ` +
        `arguments at ${P_ARGS_MAX_CHARS} characters, which would cut the call token; use an IP address or a shorter name ` +
        `(at most ${publicAddress.length - (longest - P_ARGS_MAX_CHARS)} characters)`,
    );
  }
}

/** The exact lines to paste into extensions.conf for this host. */
export function renderDialplanSnippet(host: DialplanHost): string {
  if (!CONTEXT_NAME.test(host.ivrContext)) {
    throw new DialplanConfigError("ivrContext", `"${host.ivrContext}" must be 1-79 characters of A-Z a-z 0-9 _ -`);
  }
  checkIvrArgsFit(host.ivrPublicAddress);
  const url = `ivr://${host.ivrPublicAddress}`;
  const label = host.name ? ` for host "${host.name.replace(/[^\x20-\x7e]/g, "?")}"` : "";
  return [
    ...messageContext(host, url, label),
    ...(host.outboundContext !== undefined ? clickContext(host, url) : []),
    ...selfTestContextLines(host.ivrContext),
    "",
  ].join("\n");
}

/**
 * The self-test context alone, for a host in direct IVR mode (whose call files need no other
 * context) and for the simulator. Needs no IVR address: the call file's own side talks to the
 * IVR server; this side only answers, or fails.
 */
export function renderSelfTestContext(ivrContext: string): string {
  if (!CONTEXT_NAME.test(ivrContext)) {
    throw new DialplanConfigError("ivrContext", `"${ivrContext}" must be 1-79 characters of A-Z a-z 0-9 _ -`);
  }
  return [...selfTestContextLines(ivrContext), ""].join("\n");
}

/**
 * A Local channel `Local/s@ctx` runs this context on its second half (main/core_local.c,
 * local_call: ast_pbx_start on the ;2 channel) and the call file's side answers when it
 * answers; `Busy()` there makes the originate fail with REASON 5 (docs/asterisk.md#local-channels).
 */
function selfTestContextLines(ivrContext: string): string[] {
  const context = selfTestContextFor(ivrContext);
  if (context.length > MAX_CONTEXT_LENGTH) {
    throw new DialplanConfigError(
      "ivrContext",
      `"${ivrContext}" must be at most ${MAX_CONTEXT_LENGTH - "-selftest".length} characters: its self-test context "${context}" must fit Asterisk's ${MAX_CONTEXT_LENGTH}`,
    );
  }
  return [
    `; Self-test ("Test the PBX"): call files with Channel Local/s@${context} are answered here by Asterisk itself,`,
    `; and Spoolcast plays its test sounds to the other side. Local/busy@${context} fails on purpose (busy).`,
    `[${context}]`,
    `exten => ${SELF_TEST_EXTENSIONS.answers},1,Answer()`,
    ` same => n,Wait(${SELF_TEST_HOLD_SECONDS})`,
    ` same => n,Hangup()`,
    `exten => ${SELF_TEST_EXTENSIONS.busy},1,Busy(10)`,
  ];
}

function messageContext(host: DialplanHost, url: string, label: string): string[] {
  return [
    `; Spoolcast ExternalIVR context${label}.`,
    `; Paste into /etc/asterisk/extensions.conf, then run: asterisk -rx "dialplan reload"`,
    `; Call files use Context: ${host.ivrContext} and Extension: s; Spoolcast listens on ${host.ivrPublicAddress}.`,
    `[${host.ivrContext}]`,
    `; Answered: Spoolcast plays the message and records the key press.`,
    `exten => s,1,NoOp(Spoolcast call \${SPOOLCAST_CALL})`,
    ` same => n,ExternalIVR(${url}(\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN}))`,
    ` same => n,Hangup()`,
    `; Every failed attempt reports Asterisk's \${REASON} (3 no answer, 5 busy, 8 congestion, 0 other).`,
    `; Its CDR row (one per failed attempt with cdr.conf unanswered = yes) gets "${FAILED_REPORT_MARK}" in the userfield.`,
    ...failedExtensionLines(url),
    `exten => h,1,NoOp(Spoolcast call \${SPOOLCAST_CALL} ended)`,
  ];
}

/**
 * Click-to-call: the file rings the user's desk phone; once it answers, the IVR session notes
 * it and returns at once (E), Dial() calls the contact through the host's outbound context, and
 * the `h` extension reports ${DIALSTATUS} and ${ANSWEREDTIME} (checked on Asterisk 22: e.g.
 * `BUSY` or `ANSWER,11` as the last P arguments). `d` runs ExternalIVR on the hung-up channel.
 */
function clickContext(host: DialplanHost, url: string): string[] {
  const outbound = host.outboundContext!;
  if (!CONTEXT_NAME.test(outbound)) {
    throw new DialplanConfigError("outboundContext", `"${outbound}" must be 1-79 characters of A-Z a-z 0-9 _ -`);
  }
  const click = clickContextFor(host.ivrContext);
  if (click.length > MAX_CONTEXT_LENGTH) {
    throw new DialplanConfigError(
      "ivrContext",
      `"${host.ivrContext}" must be at most ${MAX_CONTEXT_LENGTH - "-click".length} characters: its click-to-call context "${click}" must fit Asterisk's ${MAX_CONTEXT_LENGTH}`,
    );
  }
  const reportLength = longestContactLegReportLength(host.ivrPublicAddress);
  const tooLong =
    reportLength > P_ARGS_MAX_CHARS
      ? [
          `; Warning: ${host.ivrPublicAddress} is ${reportLength - P_ARGS_MAX_CHARS} characters too long for the contact report below:`,
          `; Asterisk cuts ExternalIVR arguments at ${P_ARGS_MAX_CHARS} characters, and Spoolcast refuses a cut report. Use a shorter address.`,
        ]
      : [];
  return [
    `; Click-to-call: Context ${click}, Extension the contact's number. The desk phone answered: Spoolcast`,
    `; notes it, Asterisk dials the contact through ${outbound}, and the contact leg's \${DIALSTATUS}`,
    `; and \${ANSWEREDTIME} reach Spoolcast when the call ends.`,
    ...tooLong,
    `[${click}]`,
    `exten => _+X.,1,ExternalIVR(${url}(\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN}),n)`,
    ` same => n,Dial(Local/\${EXTEN}@${outbound})`,
    ` same => n,Hangup()`,
    ...failedExtensionLines(url),
    `exten => h,1,ExternalIVR(${url}(dial,\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN},\${DIALSTATUS},\${ANSWEREDTIME}),d)`,
  ];
}
