/** Host health for the home page: each enabled Asterisk host with its last self-test (or none). */
import type { Db } from "@/lib/db";
import { getLastSelfTest } from "@/lib/hosts/self-test-store";

export type HostHealth = {
  id: string;
  name: string;
  isDefault: boolean;
  /** null: never self-tested (or a stored result this version cannot read). */
  lastSelfTest: { ok: boolean; finishedAt: string; failed: string[] } | null;
};

export async function listHostHealth(db: Db): Promise<HostHealth[]> {
  const hosts = await db.asteriskHost.findMany({
    where: { enabled: true },
    orderBy: [{ isDefault: "desc" }, { name: "asc" }],
    select: { id: true, name: true, isDefault: true },
  });
  return Promise.all(
    hosts.map(async (h) => {
      const result = await getLastSelfTest(db, h.id);
      return {
        ...h,
        lastSelfTest: result
          ? {
              ok: result.ok,
              finishedAt: result.finishedAt,
              failed: result.lines.filter((l) => l.status === "failed").map((l) => l.label),
            }
          : null,
      };
    }),
  );
}
