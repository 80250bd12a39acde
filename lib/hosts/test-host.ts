/**
 * "Test connection" on the settings page: runs the host transport's health check (spool
 * directories writable, clock skew, free space; for SFTP also the pinned host key and the
 * login) and returns a readable report. Never throws for a connection problem: the message
 * is the result.
 */
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { openHostTransport } from "@/lib/engine/host-transport";
import { probeHostKey } from "@/lib/spool/sftp";
import type { HealthReport } from "@/lib/spool/types";

export type ConnectionTest = {
  ok: boolean;
  checks: HealthReport["checks"];
  error?: string;
  clockSkewMs?: number;
  freeBytes?: number;
};

export async function testHostConnection(db: Db, hostId: string): Promise<ConnectionTest> {
  const host = await db.asteriskHost.findUnique({ where: { id: hostId }, omit: { sftpPrivateKey: false } });
  if (!host) throw new UserError("This host no longer exists", { field: "id" });
  let transport;
  try {
    transport = await openHostTransport(host);
  } catch (e) {
    return { ok: false, checks: [], error: e instanceof Error ? e.message : String(e) };
  }
  try {
    const report = await transport.health();
    return { ok: report.ok, checks: report.checks, clockSkewMs: report.clockSkewMs, freeBytes: report.freeBytes };
  } catch (e) {
    return { ok: false, checks: [], error: e instanceof Error ? e.message : String(e) };
  } finally {
    await transport.close().catch(() => undefined);
  }
}

/** The SSH host key fingerprint the server presents, for the admin to compare and pin. */
export async function fetchHostKey(target: { sftpHost: string; sftpPort?: number | null }): Promise<string> {
  try {
    return await probeHostKey({ host: target.sftpHost, port: target.sftpPort ?? 22, timeoutMs: 8000 });
  } catch (e) {
    throw new UserError(e instanceof Error ? e.message : String(e), { field: "sftpHost" });
  }
}
