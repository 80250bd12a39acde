/**
 * The client address of a request inside Next.js (pages, server actions, route handlers).
 *
 * Next.js does not expose the TCP peer to application code, and it only sets
 * `x-forwarded-for` when the client did not send one (`??=` in its base server), so a client's own
 * header would pass as its address. server.ts therefore writes the socket's address into
 * PEER_ADDRESS_HEADER on every request, replacing anything the client sent under that name,
 * before Next.js sees it, and marks the process with PEER_STAMPED_ENV. Without that mark (a bare
 * `next start` or `next dev`) the header could come from the client, so the address is unknown
 * (null): the sign-in limit then counts every address of an email together, which is stricter.
 */
import type { IncomingMessage } from "node:http";
import { canonicalAddress, isTrustedProxy, resolveClientAddress, type TrustedProxies } from "@/lib/net/client-address";

export const PEER_ADDRESS_HEADER = "x-spoolcast-peer";
export const PEER_STAMPED_ENV = "SPOOLCAST_PEER_STAMPED";

/**
 * What a proxy says about the original request besides its address: the scheme (the session
 * cookie's Secure flag) and the host (the Origin check, the API document's base URL). Believed,
 * like X-Forwarded-For, only from a trusted proxy; from anyone else they are removed, and
 * Next.js then fills them in from the request itself.
 */
const PROXY_ONLY_HEADERS = ["x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"] as const;

/** Called by server.ts for every request: the socket's address, never the client's word. */
export function stampPeerAddress(req: IncomingMessage, trusted: TrustedProxies): void {
  const peer = req.socket.remoteAddress;
  if (peer) req.headers[PEER_ADDRESS_HEADER] = peer;
  else delete req.headers[PEER_ADDRESS_HEADER];
  const fromProxy = peer ? isTrustedProxy(canonicalAddress(peer) ?? peer, trusted) : false;
  if (!fromProxy) for (const name of PROXY_ONLY_HEADERS) delete req.headers[name];
}

/** The client address for the audit log and the sign-in limit; null when it cannot be known. */
export function requestClientAddress(
  headers: { get(name: string): string | null },
  trusted: TrustedProxies,
  processEnv: Record<string, string | undefined> = process.env,
): string | null {
  if (processEnv[PEER_STAMPED_ENV] !== "1") return null;
  return resolveClientAddress(headers.get(PEER_ADDRESS_HEADER), headers.get("x-forwarded-for"), trusted);
}
