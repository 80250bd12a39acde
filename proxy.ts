/**
 * Optimistic routing before any page renders: visitors without a session cookie go to
 * /login (the (app) layout then decides between /login and /setup with the database, and
 * validates the cookie — this file never touches the database). With a cookie, its expiry is
 * pushed 7 days forward on each navigation, matching the session row's sliding expiry.
 * A cross-site POST (a forged server action) is refused first, with 403 (lib/auth/origin-check.ts).
 */
import { NextResponse, type NextRequest } from "next/server";
import { crossSiteRefusal } from "@/lib/auth/origin-check";
import { SESSION_COOKIE, SESSION_TTL_MS } from "@/lib/auth/session-cookie";
const PUBLIC_PATHS = ["/login", "/setup"];

export function proxy(request: NextRequest) {
  const refusal = crossSiteRefusal({
    method: request.method,
    origin: request.headers.get("origin"),
    host: request.headers.get("host"),
    forwardedHost: request.headers.get("x-forwarded-host"),
  });
  if (refusal) {
    return NextResponse.json({ error: `Refused: ${refusal}.` }, { status: 403 });
  }
  const { pathname, search } = request.nextUrl;
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  const isPublic = PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (!token) {
    if (isPublic) return NextResponse.next();
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = pathname === "/" ? "" : `?next=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  // The requested path, for the (app) layout's redirect to /login?next=… when the cookie's
  // session turns out to be over.
  const headers = new Headers(request.headers);
  headers.set("x-spoolcast-path", pathname + search);
  const response = NextResponse.next({ request: { headers } });
  // Only full page loads refresh the cookie. Not prefetches or client-side navigation
  // fetches: one still in flight when the user signs out would put the deleted cookie back.
  const isDocument = request.headers.get("sec-fetch-dest") === "document" && !request.headers.has("rsc");
  if (request.method === "GET" && isDocument) {
    const secure = (request.headers.get("x-forwarded-proto") ?? request.nextUrl.protocol.replace(":", "")).startsWith("https");
    response.cookies.set(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: "lax",
      secure,
      path: "/",
      expires: new Date(Date.now() + SESSION_TTL_MS),
    });
  }
  return response;
}

export const config = {
  // Pages only: not the API (tokens, health), not Next's assets or files with an extension.
  matcher: ["/((?!api/|_next/|favicon.ico|.*\\.[a-zA-Z0-9]+$).*)"],
};
