import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "./origin-check";

const post = (over: Partial<Parameters<typeof crossSiteRefusal>[0]>) =>
  crossSiteRefusal({ method: "POST", origin: null, host: "spoolcast.example.org", forwardedHost: null, ...over });

describe("cross-site POST refusal", () => {
  it("lets a same-origin POST, a POST without Origin and any GET through", () => {
    expect(post({ origin: "https://spoolcast.example.org" })).toBeNull();
    expect(post({ origin: null })).toBeNull();
    expect(crossSiteRefusal({ method: "GET", origin: "https://evil.example", host: "a", forwardedHost: null })).toBeNull();
  });

  it("compares with the first X-Forwarded-Host behind a proxy, as Next.js does", () => {
    expect(
      post({ host: "127.0.0.1:3000", forwardedHost: "pa.school.example, proxy.internal", origin: "https://pa.school.example" }),
    ).toBeNull();
    expect(post({ host: "127.0.0.1:3000", forwardedHost: "pa.school.example", origin: "https://evil.example" })).toBe(
      "a request from evil.example may not post to this site",
    );
  });

  it("refuses another site, an opaque origin and a malformed Origin", () => {
    expect(post({ origin: "https://evil.example" })).toBe("a request from evil.example may not post to this site");
    expect(post({ origin: "http://spoolcast.example.org:8080" })).toContain("spoolcast.example.org:8080");
    expect(post({ origin: "null" })).toBe("a request from an opaque origin may not post to this site");
    expect(post({ origin: "not a url" })).toBe("the Origin header is not a URL");
  });
});
