/**
 * The health check's view of the configured data directory: readable by other users is a
 * problem worth an alert (see lib/private-data.ts for what lives there).
 */
import { sqlitePath } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { checkPrivateData, siteSecretFile, sqliteFiles, type PrivateDataCheck } from "@/lib/private-data";

export function privateDataHealth(): PrivateDataCheck {
  const { dataDir, databaseUrl, provider } = env();
  const files = [siteSecretFile(dataDir), ...(provider === "sqlite" ? sqliteFiles(sqlitePath(databaseUrl)) : [])];
  return checkPrivateData({ dataDir, files });
}
