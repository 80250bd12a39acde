/**
 * Roles and capabilities: the one table that says who may do what (docs/architecture.md#conventions).
 * Server actions and route handlers check capabilities, never role names.
 */

export const ROLES = ["admin", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const CAPABILITIES = [
  "dashboard.view",
  "account.edit",
  "contacts.view",
  "contacts.edit",
  "groups.edit",
  "pa.launch",
  "pa.templates.edit",
  "calls.place",
  "calls.view",
  "campaigns.edit",
  "wakeups.edit",
  "audio.edit",
  "settings.edit",
  "users.view",
  "users.manage",
  "audit.view",
  "tokens.manage",
  "dnc.edit",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

// Everyone may see who has an account (the users page shows no edit controls without
// users.manage) and change their own password (account.edit, own account only); only
// admins see the audit log.
const VIEW: Capability[] = ["dashboard.view", "account.edit", "contacts.view", "calls.view", "users.view"];
const OPERATE: Capability[] = [
  ...VIEW,
  "contacts.edit",
  "groups.edit",
  "pa.launch",
  "calls.place",
  "campaigns.edit",
  "wakeups.edit",
  "audio.edit",
];

export const ROLE_CAPABILITIES: Record<Role, ReadonlySet<Capability>> = {
  viewer: new Set(VIEW),
  operator: new Set(OPERATE),
  admin: new Set(CAPABILITIES),
};

/** True when a user with `role` may `capability`. Unknown roles may nothing. */
export function can(user: { role: string } | null | undefined, capability: Capability): boolean {
  if (!user) return false;
  return ROLE_CAPABILITIES[user.role as Role]?.has(capability) ?? false;
}
