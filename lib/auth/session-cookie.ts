/**
 * The session cookie's name and lifetime, shared by lib/auth/session.ts and proxy.ts (which
 * must stay free of database and Node-only imports).
 */
export const SESSION_COOKIE = "spoolcast_session";
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
