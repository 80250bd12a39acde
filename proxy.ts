/**
 * Optimistic routing before any page renders: visitors without a session cookie go to
 * /login (the (app) layout then decides between /login and /setup with the database, and
 * validates the cookie — this file never touches the database). With a cookie, its expiry is
 * pushed 7 days forward on each navigation, matching the session row's sliding expiry.
 */
import { NextResponse, type NextRequest } from "next/server";

const SESSION_COOKIE = "spoolcast_session";
const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const PUBLIC_PATHS = ["/login", "/setup"];

export function proxy(request: NextRequest) {
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
  const response = NextResponse.next();
  // Only page navigations refresh the cookie; server action posts set their own cookies.
  if (request.method === "GET") {
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
