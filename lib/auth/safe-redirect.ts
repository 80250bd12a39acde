/**
 * Where to go after signing in: only same-site paths ("/contacts?x=1"), never "//evil.example"
 * or "/\\evil.example" (both leave the site in browsers), so a crafted link cannot turn the
 * login page into an open redirect.
 */
export function safeRedirectPath(next: string | null | undefined, fallback = "/"): string {
  if (!next || next.length > 1000) return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  if (/[\p{Cc}\\]/u.test(next)) return fallback;
  if (next.startsWith("/login") || next.startsWith("/setup")) return fallback;
  return next;
}
