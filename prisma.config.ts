// Prisma CLI configuration: the JS schema engine over the same driver adapters the app uses,
// so `migrate deploy` works offline. The provider follows DATABASE_URL; each provider has its
// own schema and migration history under prisma/<provider>/.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { loadDotenv } from "./lib/env";

loadDotenv();
const url = (process.env.DATABASE_URL ||= "file:./data/spoolcast.db");
const provider = url.startsWith("file:") ? "sqlite" : "postgresql";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", provider, "schema.prisma"),
  migrations: { path: path.join("prisma", provider, "migrations") },
  adapter: async () => (provider === "sqlite" ? new PrismaBetterSQLite3({ url }) : new PrismaPg({ connectionString: url })),
});
