/**
 * Opens the spool transport of a host, for the engine loop and for services that run
 * outside it (cancel, requeue, health from a web request). The private key is selected
 * explicitly because lib/db.ts omits it by default.
 */
import type { Db } from "@/lib/db";
import type { AsteriskHost } from "@/lib/generated/sqlite/client";
import { createLocalTransport } from "@/lib/spool/local";
import type { SpoolTransport } from "@/lib/spool/types";

export type TransportFor = (hostId: string) => Promise<SpoolTransport>;

/** The transport of a host row (local filesystem, or SFTP loaded lazily with ssh2). */
export async function openHostTransport(host: AsteriskHost): Promise<SpoolTransport> {
  if (host.transport === "local") {
    return createLocalTransport({ spoolDir: host.spoolDir, uid: host.fileUid ?? undefined, gid: host.fileGid ?? undefined });
  }
  const { createTransport } = await import("@/lib/spool/index");
  return await createTransport(host);
}

/** The default for services: a fresh transport from the host row; the caller closes it. */
export function transportFromDb(db: Db): TransportFor {
  return async (hostId) => {
    const host = await db.asteriskHost.findUniqueOrThrow({ where: { id: hostId }, omit: { sftpPrivateKey: false } });
    return await openHostTransport(host);
  };
}
