/**
 * Cross-site POST refusal, answered 403 by proxy.ts before Next.js sees the request. Next.js
 * refuses such a server action itself (action-handler: the Origin's host must equal the first
 * X-Forwarded-Host, or Host), but answers 500 and logs an error, which reads as a server fault
 * and pages the on-call person for every probe. The rule here is the same comparison, so
 * nothing Next.js would accept is refused.
 */
export type OriginCheckInput = {
  method: string;
  origin: string | null;
  host: string | null;
  forwardedHost: string | null;
};

/** The reason a POST is refused, or null when it may go on. */
export function crossSiteRefusal(req: OriginCheckInput): string | null {
  if (req.method !== "POST") return null;
  // No Origin: not a browser form or fetch from another site (browsers send it on every
  // cross-origin POST), so there is no ambient credential to abuse. Next.js lets it through too.
  if (req.origin === null) return null;
  let originHost: string;
  try {
    originHost = req.origin === "null" ? "null" : new URL(req.origin).host;
  } catch {
    return "the Origin header is not a URL";
  }
  const forwarded = req.forwardedHost?.split(",")[0]?.trim() || null;
  if (originHost === forwarded || originHost === req.host) return null;
  return `a request from ${originHost === "null" ? "an opaque origin" : originHost} may not post to this site`;
}
