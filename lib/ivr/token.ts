/**
 * Per-call IVR tokens: HMAC-SHA256 of the call id under SPOOLCAST_SECRET, base64url, cut to
 * 22 characters (132 bits). Carried in the call file (`Set: SPOOLCAST_TOKEN`) and the
 * ExternalIVR arguments, so only Asterisk processing a file Spoolcast wrote can open a session.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const TOKEN_LENGTH = 22;

/** The token for `callId` under `secret`. */
export function signCallToken(secret: string, callId: string): string {
  return createHmac("sha256", secret).update(`ivr:${callId}`).digest("base64url").slice(0, TOKEN_LENGTH);
}

/** Constant-time check of a token presented by an IVR session. */
export function verifyCallToken(secret: string, callId: string, token: string): boolean {
  const expected = Buffer.from(signCallToken(secret, callId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
