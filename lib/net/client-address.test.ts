import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import {
  canonicalAddress,
  isTrustedProxy,
  NO_TRUSTED_PROXIES,
  parseTrustedProxies,
  resolveClientAddress,
} from "@/lib/net/client-address";
import { PEER_ADDRESS_HEADER, PEER_STAMPED_ENV, requestClientAddress, stampPeerAddress } from "@/lib/net/request-address";

describe("canonicalAddress", () => {
  it("writes a v4-mapped IPv6 address as IPv4, lower-cases IPv6 and drops a zone", () => {
    expect(canonicalAddress("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(canonicalAddress("::FFFF:127.0.0.1")).toBe("127.0.0.1");
    expect(canonicalAddress("2001:DB8::1")).toBe("2001:db8::1");
    expect(canonicalAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(canonicalAddress(" 10.1.2.3 ")).toBe("10.1.2.3");
  });

  it("is null for anything that is not an address", () => {
    for (const v of ["", null, undefined, "unknown", "evil.example", "1.2.3", "300.1.1.1", "::ffff:300.1.1.1", "1.2.3.4;x"]) {
      expect({ v, out: canonicalAddress(v) }).toEqual({ v, out: null });
    }
  });
});

describe("parseTrustedProxies", () => {
  it("trusts nothing when empty or off", () => {
    for (const v of [undefined, "", "  ", "off", "false", "0"]) expect(parseTrustedProxies(v).entries).toEqual([]);
  });

  it("reads addresses and CIDR ranges of both families, separated by commas or spaces", () => {
    const t = parseTrustedProxies("127.0.0.1, 10.0.0.0/8 ::1 2001:db8::/32");
    expect(t.entries).toEqual(["127.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/32"]);
    expect(isTrustedProxy("127.0.0.1", t)).toBe(true);
    expect(isTrustedProxy("127.0.0.2", t)).toBe(false);
    expect(isTrustedProxy("10.200.3.4", t)).toBe(true);
    expect(isTrustedProxy("11.0.0.1", t)).toBe(false);
    expect(isTrustedProxy("::1", t)).toBe(true);
    expect(isTrustedProxy("2001:db8:ffff::9", t)).toBe(true);
    expect(isTrustedProxy("2001:db9::1", t)).toBe(false);
  });

  it("refuses an entry that is not an address or has a bad prefix, naming it", () => {
    expect(() => parseTrustedProxies("127.0.0.1, proxy.internal")).toThrow('"proxy.internal" is not an IP address');
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow('"10.0.0.0/33" has a prefix length outside 0-32');
    expect(() => parseTrustedProxies("::/129")).toThrow("outside 0-128");
    expect(() => parseTrustedProxies("10.0.0.0/x")).toThrow("prefix length");
  });
});

describe("resolveClientAddress", () => {
  const local = parseTrustedProxies("127.0.0.1");
  const chain = parseTrustedProxies("127.0.0.1, 10.0.0.0/8");

  it("is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.9", NO_TRUSTED_PROXIES)).toBe("127.0.0.1");
    expect(resolveClientAddress("::ffff:198.51.100.4", "203.0.113.9, 10.0.0.1", NO_TRUSTED_PROXIES)).toBe("198.51.100.4");
  });

  it("is the TCP peer when the peer is not a trusted proxy", () => {
    expect(resolveClientAddress("198.51.100.4", "203.0.113.9", local)).toBe("198.51.100.4");
  });

  it("behind a trusted proxy, is the rightmost entry that is not a trusted proxy", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.9", local)).toBe("203.0.113.9");
    // The client wrote 6.6.6.6 itself; the proxy appended what it saw.
    expect(resolveClientAddress("127.0.0.1", "6.6.6.6, 203.0.113.9", local)).toBe("203.0.113.9");
    expect(resolveClientAddress("::ffff:127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.1.1", chain)).toBe("203.0.113.9");
    expect(resolveClientAddress("127.0.0.1", "2001:DB8::5", local)).toBe("2001:db8::5");
    expect(resolveClientAddress("127.0.0.1", "[2001:db8::5]:443", local)).toBe("2001:db8::5");
    expect(resolveClientAddress("127.0.0.1", "203.0.113.9:5123", local)).toBe("203.0.113.9");
  });

  it("stops at the hop that wrote an entry that is not an address", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.9, garbage", local)).toBe("127.0.0.1");
    expect(resolveClientAddress("127.0.0.1", "garbage, 10.2.2.2", chain)).toBe("10.2.2.2");
  });

  it("is the leftmost hop when every hop is trusted, and the peer when the header is absent", () => {
    expect(resolveClientAddress("127.0.0.1", "10.0.0.5, 10.0.0.6", chain)).toBe("10.0.0.5");
    expect(resolveClientAddress("127.0.0.1", null, local)).toBe("127.0.0.1");
    expect(resolveClientAddress(null, "203.0.113.9", local)).toBeNull();
  });
});

const headers = (h: Record<string, string>) => new Headers(h);

describe("requestClientAddress", () => {
  const stamped = { [PEER_STAMPED_ENV]: "1" };

  it("reads the peer server.ts stamped, not X-Forwarded-For", () => {
    const h = headers({ [PEER_ADDRESS_HEADER]: "::ffff:127.0.0.1", "x-forwarded-for": "203.0.113.9", "x-real-ip": "6.6.6.6" });
    expect(requestClientAddress(h, NO_TRUSTED_PROXIES, stamped)).toBe("127.0.0.1");
    expect(requestClientAddress(h, parseTrustedProxies("127.0.0.1"), stamped)).toBe("203.0.113.9");
  });

  it("is unknown when server.ts is not in front (the stamp header could be the client's)", () => {
    const h = headers({ [PEER_ADDRESS_HEADER]: "192.0.2.1", "x-forwarded-for": "203.0.113.9" });
    expect(requestClientAddress(h, NO_TRUSTED_PROXIES, {})).toBeNull();
  });
});

describe("TRUST_PROXY in the environment", () => {
  const base = { SPOOLCAST_SECRET: "s".repeat(32), DATABASE_URL: "file:./x.db" };

  it("trusts no proxy by default and reads the list when set", async () => {
    const { parseEnv } = await import("@/lib/env");
    expect(parseEnv(base).trustProxy.entries).toEqual([]);
    expect(parseEnv({ ...base, TRUST_PROXY: "127.0.0.1, ::1" }).trustProxy.entries).toEqual(["127.0.0.1", "::1"]);
  });

  it("refuses a bad entry, naming the variable and the entry", async () => {
    const { parseEnv } = await import("@/lib/env");
    expect(() => parseEnv({ ...base, TRUST_PROXY: "127.0.0.1, proxy.internal" })).toThrow(
      /TRUST_PROXY: "proxy.internal" is not an IP address/,
    );
  });
});

const incoming = (remoteAddress: string, sent: Record<string, string>) =>
  ({ socket: { remoteAddress }, headers: { ...sent } }) as unknown as IncomingMessage;

describe("stampPeerAddress", () => {
  const forwarded = {
    [PEER_ADDRESS_HEADER]: "203.0.113.9",
    "x-forwarded-proto": "https",
    "x-forwarded-host": "evil.example",
    "x-forwarded-port": "443",
  };

  it("replaces a client's own peer header and drops the proxy-only headers of an untrusted peer", () => {
    const req = incoming("::ffff:198.51.100.4", forwarded);
    stampPeerAddress(req, NO_TRUSTED_PROXIES);
    expect(req.headers).toEqual({ [PEER_ADDRESS_HEADER]: "::ffff:198.51.100.4" });
  });

  it("keeps the scheme and host a trusted proxy reports", () => {
    const req = incoming("::ffff:127.0.0.1", forwarded);
    stampPeerAddress(req, parseTrustedProxies("127.0.0.1"));
    expect(req.headers).toEqual({ ...forwarded, [PEER_ADDRESS_HEADER]: "::ffff:127.0.0.1" });
  });
});
