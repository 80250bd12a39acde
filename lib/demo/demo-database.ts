/**
 * Which database `npm run demo` may put its demo data in. The demo's 60 contacts are fictional,
 * but a PA to "Everyone" on a real site would dial them, and `npm run demo` is also a way to
 * start Spoolcast on PostgreSQL. So the demo seeds only its own default SQLite file, or another
 * database when the person running it asks for that explicitly (SPOOLCAST_SEED_DEMO=yes).
 */
import { sqlitePath } from "@/lib/db/migrate";

/** The demo's own database: lib/env's default DATABASE_URL. */
export const DEMO_DATABASE_URL = "file:./data/spoolcast.db";
/** Set to "yes" to seed demo data into a database other than the demo's own. */
export const DEMO_SEED_OPT_IN = "SPOOLCAST_SEED_DEMO";

export type DemoSeedDecision = { allowed: true } | { allowed: false; reason: string };

/** A database URL fit to print: a PostgreSQL URL without its user and password. */
export function describeDatabase(url: string): string {
  if (url.startsWith("file:")) return sqlitePath(url);
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "a PostgreSQL database";
  }
}

/** Whether demo data may be seeded into `databaseUrl` (the effective DATABASE_URL). */
export function demoSeedDecision(databaseUrl: string, optIn: string | undefined): DemoSeedDecision {
  if (optIn?.trim().toLowerCase() === "yes") return { allowed: true };
  if (databaseUrl.startsWith("file:") && sqlitePath(databaseUrl) === sqlitePath(DEMO_DATABASE_URL)) return { allowed: true };
  return {
    allowed: false,
    reason:
      `Not seeding demo data: DATABASE_URL points at ${describeDatabase(databaseUrl)}, not the demo's own database ` +
      `(${sqlitePath(DEMO_DATABASE_URL)}). The demo's fictional contacts would be dialled by a PA to "Everyone" on a real site. ` +
      `To put demo data in this database anyway, run again with ${DEMO_SEED_OPT_IN}=yes.`,
  };
}
