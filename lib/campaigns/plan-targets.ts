/**
 * Planning: the numbers a campaign calls, from its groups and its individually chosen
 * contacts. Each contact is called on its first phone; a number shared by several contacts
 * or groups is called once. Contacts that will not be called are kept as `skipped` targets
 * with the reason, so the campaign page can say why (DNC, no number).
 */
import type { Db } from "@/lib/db";
import { loadDncSet } from "@/lib/campaigns/dnc";
import { SKIP_DNC } from "@/lib/campaigns/campaign-scheduler";
import { isCanonicalDestination } from "@/lib/destinations/destination";

export type PlannedTarget = {
  contactId: string;
  destination: string;
  displayName: string;
  timeZone: string | null;
  status: "pending" | "skipped";
  reason: string;
};

export const SKIP_NO_NUMBER = "no valid phone number, extension or endpoint";

/** Resolves groups + contacts into deduplicated targets (not written). */
export async function planTargets(db: Db, groupIds: string[], contactIds: string[]): Promise<PlannedTarget[]> {
  const ids = new Set(contactIds);
  for (let i = 0; i < groupIds.length; i += 100) {
    const members = await db.groupMember.findMany({
      where: { groupId: { in: groupIds.slice(i, i + 100) } },
      select: { contactId: true },
    });
    for (const m of members) ids.add(m.contactId);
  }
  const all = [...ids];
  const contacts: { id: string; name: string; timeZone: string | null; doNotCall: boolean; phones: { destination: string }[] }[] =
    [];
  for (let i = 0; i < all.length; i += 1000) {
    contacts.push(
      ...(await db.contact.findMany({
        where: { id: { in: all.slice(i, i + 1000) } },
        select: {
          id: true,
          name: true,
          timeZone: true,
          doNotCall: true,
          phones: { select: { destination: true }, orderBy: { position: "asc" }, take: 1 },
        },
      })),
    );
  }
  contacts.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const dnc = await loadDncSet(
    db,
    contacts.map((c) => c.phones[0]?.destination).filter((x): x is string => !!x),
  );
  const seen = new Set<string>();
  const out: PlannedTarget[] = [];
  for (const c of contacts) {
    const destination = c.phones[0]?.destination;
    // Any of the three kinds (lib/destinations) is called; a row written around the rules is skipped.
    if (!destination || !isCanonicalDestination(destination)) {
      // A target row needs a unique destination; the contact id stands in for the missing number.
      out.push({
        contactId: c.id,
        destination: `none:${c.id}`,
        displayName: c.name,
        timeZone: c.timeZone,
        status: "skipped",
        reason: SKIP_NO_NUMBER,
      });
      continue;
    }
    if (seen.has(destination)) continue;
    seen.add(destination);
    const onDnc = dnc.has(destination) || c.doNotCall;
    out.push({
      contactId: c.id,
      destination,
      displayName: c.name,
      timeZone: c.timeZone,
      status: onDnc ? "skipped" : "pending",
      reason: onDnc ? SKIP_DNC : "",
    });
  }
  return out;
}
