/** Groups with member counts and whether a campaign uses them (which blocks deleting). */
import type { Db } from "@/lib/db";

export type GroupSummary = {
  id: string;
  name: string;
  description: string;
  isTest: boolean;
  memberCount: number;
  campaignCount: number;
  createdAt: Date;
};

export async function listGroups(client: Db): Promise<GroupSummary[]> {
  const rows = await client.contactGroup.findMany({
    select: {
      id: true,
      name: true,
      description: true,
      isTest: true,
      createdAt: true,
      _count: { select: { members: true, campaigns: true } },
    },
  });
  return rows
    .map(({ _count, ...g }) => ({ ...g, memberCount: _count.members, campaignCount: _count.campaigns }))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }));
}

export async function getGroup(client: Db, id: string): Promise<GroupSummary | null> {
  const g = await client.contactGroup.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      description: true,
      isTest: true,
      createdAt: true,
      _count: { select: { members: true, campaigns: true } },
    },
  });
  if (!g) return null;
  const { _count, ...rest } = g;
  return { ...rest, memberCount: _count.members, campaignCount: _count.campaigns };
}
