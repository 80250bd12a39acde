/**
 * The health check's view of the configured data directory: readable by other users is a
 * problem worth an alert (see lib/private-data.ts for what lives there).
 */
import path from "node:path";
import { sqlitePath } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { checkPrivateData, type PrivateDataCheck } from "@/lib/private-data";

export function privateDataHealth(): PrivateDataCheck {
  const { dataDir, databaseUrl, provider } = env();
  const files = [path.join(dataDir, "secret")];
  if (provider === "sqlite") {
    const dbFile = sqlitePath(databaseUrl);
    files.push(dbFile, `${dbFile}-wal`, `${dbFile}-shm`);
  }
  return checkPrivateData({ dataDir, files });
}
