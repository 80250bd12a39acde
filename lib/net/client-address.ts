/**
 * Who is on the other end of an HTTP request, for the sign-in limit and the audit log.
 *
 * The TCP peer is the only address a client cannot choose. `X-Forwarded-For` is read only when
 * that peer is a proxy the operator named in TRUST_PROXY, and then right to left: each trusted
 * hop appended the address it saw, so the first untrusted entry from the right is the client
 * (everything left of it was written by the client and may be forged).
 */
import { BlockList, isIP } from "node:net";

/** The proxies named by TRUST_PROXY; `none` (the default) means X-Forwarded-For is never read. */
export type TrustedProxies = { readonly list: BlockList; readonly entries: readonly string[] };

export const NO_TRUSTED_PROXIES: TrustedProxies = { list: new BlockList(), entries: [] };

const V4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * An address in its canonical written form, or null when it is not an IP address. An IPv4
 * address reached over a dual-stack socket (`::ffff:192.0.2.1`) is written as IPv4, so one client
 * has one key in the sign-in limit and one spelling in the audit log. A zone (`fe80::1%eth0`) is
 * dropped: it names our interface, not the client.
 */
export function canonicalAddress(raw: string | null | undefined): string | null {
  const value = raw?.trim().replace(/%[\w.-]+$/, "");
  if (!value) return null;
  const mapped = V4_MAPPED.exec(value);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  const family = isIP(value);
  if (family === 4) return value;
  if (family === 6) return value.toLowerCase();
  return null;
}

/**
 * One X-Forwarded-For entry as an address. Proxies write bare addresses, but some add a port
 * (`192.0.2.1:5678`, `[2001:db8::1]:443`) or brackets; those forms are read too.
 */
function forwardedEntryAddress(entry: string): string | null {
  const value = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) return canonicalAddress(bracketed[1]);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value);
  if (v4WithPort) return canonicalAddress(v4WithPort[1]);
  return canonicalAddress(value);
}

/**
 * Parses TRUST_PROXY: addresses or CIDR ranges separated by commas or spaces, e.g.
 * `127.0.0.1, 10.0.0.0/8, ::1`. Empty, `off` or `false` trusts no proxy. Throws an Error naming the
 * entry that is neither, so a typo stops the start instead of silently trusting nothing (or all).
 */
export function parseTrustedProxies(value: string | null | undefined): TrustedProxies {
  const text = (value ?? "").trim();
  if (text === "" || /^(off|false|no|0)$/i.test(text)) return NO_TRUSTED_PROXIES;
  const list = new BlockList();
  const entries: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const slash = entry.indexOf("/");
    const address = canonicalAddress(slash === -1 ? entry : entry.slice(0, slash));
    const family = address ? isIP(address) : 0;
    if (!address || family === 0) throw new Error(`"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8)`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (slash === -1) {
      list.addAddress(address, type);
    } else {
      const prefixText = entry.slice(slash + 1);
      const prefix = Number(prefixText);
      const max = family === 4 ? 32 : 128;
      if (!/^\d{1,3}$/.test(prefixText) || prefix > max) {
        throw new Error(`"${entry}" has a prefix length outside 0-${max}`);
      }
      list.addSubnet(address, prefix, type);
    }
    entries.push(entry);
  }
  return { list, entries };
}

/** True when `address` (canonical) is one of the trusted proxies. */
export function isTrustedProxy(address: string, trusted: TrustedProxies): boolean {
  if (trusted.entries.length === 0) return false;
  return trusted.list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy; then X-Forwarded-For
 * from the right, skipping trusted proxies. An entry that is not an address ends the walk at the
 * hop that wrote it (the last address we could trust), never at something the client typed.
 * Null only when the peer itself is unknown.
 */
export function resolveClientAddress(
  peer: string | null | undefined,
  forwardedFor: string | null | undefined,
  trusted: TrustedProxies,
): string | null {
  let client = canonicalAddress(peer);
  if (!client || !isTrustedProxy(client, trusted) || !forwardedFor) return client;
  const hops = forwardedFor.split(",").toReversed();
  for (const hop of hops) {
    const address = forwardedEntryAddress(hop);
    if (!address) return client;
    client = address;
    if (!isTrustedProxy(address, trusted)) return client;
  }
  // Every hop was a trusted proxy: the leftmost is the closest thing to a client we have.
  return client;
}
