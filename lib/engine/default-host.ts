/**
 * The default Asterisk host seeded from the environment (README, "Configuration": the env
 * values seed it), so a fresh install dials through ASTERISK_SPOOL_DIR without visiting Settings.
 */
import type { Db } from "@/lib/db";
import type { Env } from "@/lib/env";

/** Creates the host named "default" when no host exists yet; returns its id or the existing default's. */
export async function ensureDefaultHost(
  db: Db,
  e: Pick<Env, "spoolDir" | "soundsDir">,
  create: { ivrMode?: "direct" | "dialplan" } = {},
): Promise<string> {
  const existing =
    (await db.asteriskHost.findFirst({ where: { isDefault: true }, select: { id: true } })) ??
    (await db.asteriskHost.findFirst({ orderBy: { createdAt: "asc" }, select: { id: true } }));
  if (existing) return existing.id;
  try {
    const host = await db.asteriskHost.create({
      data: { name: "default", isDefault: true, transport: "local", spoolDir: e.spoolDir, soundsDir: e.soundsDir, ...create },
      select: { id: true },
    });
    return host.id;
  } catch {
    // Another process created it at the same moment (unique name).
    const host = await db.asteriskHost.findUniqueOrThrow({ where: { name: "default" }, select: { id: true } });
    return host.id;
  }
}
