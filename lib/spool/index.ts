/**
 * Builds the spool transport for an Asterisk host row (Prisma `AsteriskHost`): `local` or
 * `sftp`. Configuration problems are reported as `SpoolError` with code `EINVAL` naming the
 * missing column, so the settings page can show them.
 */
import { openSecret } from "@/lib/secrets/at-rest";
import { createLocalTransport } from "./local";
import { createSftpTransport } from "./sftp";
import { SpoolError, type SpoolTransport } from "./types";

/** The `AsteriskHost` columns a transport needs (select these; `sftpPrivateKey` is omitted by default). */
export type SpoolHostConfig = {
  transport: string;
  spoolDir: string;
  sftpHost?: string | null;
  sftpPort?: number | null;
  sftpUser?: string | null;
  sftpPrivateKey?: string | null;
  sftpHostKey?: string | null;
  fileUid?: number | null;
  fileGid?: number | null;
};

export function createTransport(host: SpoolHostConfig, opts: { poolSize?: number } = {}): SpoolTransport {
  const uid = host.fileUid ?? undefined;
  const gid = host.fileGid ?? undefined;
  if (!host.spoolDir) throw new SpoolError("spoolDir is required", "EINVAL", false);
  if (host.transport === "local") return createLocalTransport({ spoolDir: host.spoolDir, uid, gid });
  if (host.transport === "sftp") {
    const missing = (["sftpHost", "sftpUser", "sftpPrivateKey", "sftpHostKey"] as const).filter((k) => !host[k]);
    if (missing.length > 0) throw new SpoolError(`SFTP host needs ${missing.join(", ")}`, "EINVAL", false);
    return createSftpTransport({
      host: host.sftpHost!,
      port: host.sftpPort ?? 22,
      username: host.sftpUser!,
      privateKey: openSecret(host.sftpPrivateKey!),
      hostKeySha256: host.sftpHostKey!,
      spoolDir: host.spoolDir,
      uid,
      gid,
      poolSize: opts.poolSize,
    });
  }
  throw new SpoolError(`Unknown transport ${JSON.stringify(host.transport)}: use local or sftp`, "EINVAL", false);
}
