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

/** The host settings the snippet is generated from. */
export type DialplanHost = {
  /** Host name shown in the snippet's header comment. */
  name?: string;
  /** AsteriskHost.ivrContext, default `spoolcast`. */
  ivrContext: string;
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
    `; Spoolcast ExternalIVR context${label}.`,
    `; Paste into /etc/asterisk/extensions.conf, then run: asterisk -rx "dialplan reload"`,
    `; Call files use Context: ${host.ivrContext} and Extension: s; Spoolcast listens on ${host.ivrPublicAddress}.`,
    `[${host.ivrContext}]`,
    `; Answered: Spoolcast plays the message and records the key press.`,
    `exten => s,1,NoOp(Spoolcast call \${SPOOLCAST_CALL})`,
    ` same => n,ExternalIVR(${url}(\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN}))`,
    ` same => n,Hangup()`,
    `; Every failed attempt reports Asterisk's \${REASON} (3 no answer, 5 busy, 8 congestion, 0 other).`,
    `exten => failed,1,ExternalIVR(${url}(failed,\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN},\${REASON}),n)`,
    ` same => n,Hangup()`,
    `exten => h,1,NoOp(Spoolcast call \${SPOOLCAST_CALL} ended)`,
    "",
  ].join("\n");
}
