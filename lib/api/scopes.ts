/**
 * API token scopes: what each token may do. A token holds a subset; every endpoint names
 * exactly one scope (lib/api/endpoints.ts) and a token without it gets 403.
 */
export const API_SCOPES = [
  "pa:trigger",
  "calls:place",
  "calls:read",
  "campaigns:write",
  "campaigns:read",
  "wakeups:write",
  "wakeups:read",
  "hosts:test",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  "pa:trigger": "Start a PA broadcast from a template to a group",
  "calls:place": "Place click-to-call calls",
  "calls:read": "List calls and read one call with its timeline",
  "campaigns:write": "Create, start, pause and cancel campaigns",
  "campaigns:read": "Read campaigns and their results",
  "wakeups:write": "Create, change and cancel wake-up calls",
  "wakeups:read": "List wake-up calls",
  "hosts:test": "Run the self-test call on an Asterisk host (an administrator's check: it places real test calls)",
};

export function isApiScope(s: string): s is ApiScope {
  return (API_SCOPES as readonly string[]).includes(s);
}

/** Scopes are stored space-separated in ApiToken.scopes. */
export function parseScopes(stored: string): ApiScope[] {
  return stored.split(/\s+/).filter(isApiScope);
}
