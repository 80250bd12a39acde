/** The dashboard's headline figures, read in one round of count queries. */
import { DateTime } from "luxon";
import type { Db } from "@/lib/db";

export type DashboardCounts = {
  contacts: number;
  groups: number;
  callsToday: number;
  answeredToday: number;
  audioMessages: number;
  hosts: number;
};

/** Counts as of `now`; "today" starts at midnight in `timeZone` (IANA), default the server's. */
export async function getDashboardCounts(db: Db, options: { now?: Date; timeZone?: string } = {}): Promise<DashboardCounts> {
  const now = DateTime.fromJSDate(options.now ?? new Date(), { zone: options.timeZone ?? "system" });
  const startOfDay = now.startOf("day").toJSDate();
  const [contacts, groups, callsToday, answeredToday, audioMessages, hosts] = await Promise.all([
    db.contact.count(),
    db.contactGroup.count(),
    // Self-test calls (kind "test", lib/hosts/self-test.ts) are checks of the PBX, not calls placed for anyone.
    db.call.count({ where: { createdAt: { gte: startOfDay }, kind: { not: "test" } } }),
    db.call.count({ where: { createdAt: { gte: startOfDay }, answeredAt: { not: null }, kind: { not: "test" } } }),
    db.audioMessage.count(),
    db.asteriskHost.count({ where: { enabled: true } }),
  ]);
  return { contacts, groups, callsToday, answeredToday, audioMessages, hosts };
}
