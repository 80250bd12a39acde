/**
 * Opens the spool transport of a host for services that run outside the engine loop
 * (cancel, requeue from a web request). The private key is selected explicitly because
 * lib/db.ts omits it by default.
 */
import type { Db } from "@/lib/db";
import type { SpoolTransport } from "@/lib/spool/types";

export type TransportFor = (hostId: string) => Promise<SpoolTransport>;

/** The default: a fresh transport from the host row; the caller closes it. */
export function transportFromDb(db: Db): TransportFor {
  return async (hostId) => {
    const host = await db.asteriskHost.findUniqueOrThrow({ where: { id: hostId }, omit: { sftpPrivateKey: false } });
    // Loaded lazily: SFTP support pulls in ssh2, which callers that inject a transport never need.
    const { createTransport } = await import("@/lib/spool/index");
    return await createTransport(host);
  };
}
