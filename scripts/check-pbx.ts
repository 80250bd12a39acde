/**
 * `npm run check-pbx [-- --host <name or id>] [--timeout <seconds>] [--start-engine]`: the
 * self-test call ("Test the PBX", lib/hosts/self-test.ts) from a shell, for a PBX administrator
 * setting up or checking a host. Prints the checklist with the fix for each failure and exits
 * 0 when it passed, 1 when a line failed or warned, 2 when it could not run.
 *
 * The calls go through the running Spoolcast (web server with the engine inline, or workers).
 * With --start-engine this process runs the engine and the IVR server itself, for a host being
 * set up before Spoolcast is started (it then needs IVR_LISTEN free).
 */
import { parseArgs } from "node:util";
import { db } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { runSelfTest } from "@/lib/hosts/self-test";
import { formatSelfTest } from "@/lib/hosts/self-test-text";

const usage = "Usage: npm run check-pbx -- [--host <name or id>] [--timeout <seconds>] [--start-engine]";

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        host: { type: "string" },
        timeout: { type: "string" },
        "start-engine": { type: "boolean" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${usage}`);
    return 2;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }
  const timeoutSeconds = args.timeout === undefined ? undefined : Number(args.timeout);
  if (timeoutSeconds !== undefined && !(Number.isInteger(timeoutSeconds) && timeoutSeconds >= 5 && timeoutSeconds <= 600)) {
    console.error(`--timeout: "${args.timeout}" must be a whole number of seconds from 5 to 600\n${usage}`);
    return 2;
  }
  const e = env();
  await migrate(e.databaseUrl);
  const client = db();
  const hosts = await client.asteriskHost.findMany({
    select: { id: true, name: true, isDefault: true, enabled: true },
    orderBy: { createdAt: "asc" },
  });
  const host = args.host
    ? hosts.find((h) => h.id === args.host || h.name === args.host)
    : (hosts.find((h) => h.isDefault && h.enabled) ?? hosts.find((h) => h.enabled));
  if (!host) {
    console.error(
      args.host
        ? `--host: no Asterisk host named or with id "${args.host}" (hosts: ${hosts.map((h) => h.name).join(", ") || "none"})`
        : "No enabled Asterisk host: add one under Settings → Asterisk hosts",
    );
    return 2;
  }
  let stopEngine: (() => Promise<void>) | undefined;
  if (args["start-engine"]) {
    const { startEngine } = await import("@/lib/engine/start-engine");
    stopEngine = (await startEngine()).stop;
  }
  try {
    console.log(`Testing host "${host.name}": placing the self-test calls…`);
    const result = await runSelfTest(client, host.id, {
      ivrPublicAddress: e.ivrPublicAddress,
      ...(timeoutSeconds ? { timeoutMs: timeoutSeconds * 1000 } : {}),
    });
    process.stdout.write(formatSelfTest(result));
    return result.ok ? 0 : 1;
  } finally {
    await stopEngine?.();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
