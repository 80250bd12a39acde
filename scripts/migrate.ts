// `npm run db:migrate`: applies committed migrations to DATABASE_URL.
import { env } from "@/lib/env";
import { migrate } from "@/lib/db/migrate";

const result = await migrate(env().databaseUrl);
console.log(
  result.applied.length
    ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
    : `Database is up to date (${result.alreadyApplied} migration(s)).`,
);
