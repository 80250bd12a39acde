// `npm run demo` step: seeds the demo site on first run (lib/demo/seed-demo.ts) and says what
// to do next. Never creates a user or a password. Seeds only the demo's own database unless
// asked to (lib/demo/demo-database.ts); otherwise it says why and the demo starts without it.
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { DEMO_SEED_OPT_IN, demoSeedDecision } from "@/lib/demo/demo-database";
import { seedDemo, type DemoDelivery } from "@/lib/demo/seed-demo";

function deliveryLine(delivery: DemoDelivery): string | null {
  if (delivery.failed.length === 0) return null;
  return `  Warning: ${delivery.failed.length} message cop${delivery.failed.length === 1 ? "y" : "ies"} could not be delivered to the Asterisk host (${delivery.failed[0]}); see the Messages page.`;
}

const config = env();
const decision = demoSeedDecision(config.databaseUrl, process.env[DEMO_SEED_OPT_IN]);
const client = db();
try {
  if (!decision.allowed) {
    console.log(`  ${decision.reason}`);
  } else {
    const result = await seedDemo(client, {
      spoolDir: config.spoolDir,
      soundsDir: config.soundsDir,
      ivrMode: config.simulator ? "dialplan" : "direct",
      // Asked for explicitly: seed beside existing data ("Remove demo data" takes exactly it out again).
      alongsideExisting: process.env[DEMO_SEED_OPT_IN]?.trim().toLowerCase() === "yes",
    });
    if (result.seeded) {
      console.log(
        `  Seeded ${result.contacts} contacts in ${result.groups} groups, ${result.audioMessages} spoken messages and ` +
          `${result.templates} PA templates` +
          (result.hostCreated ? `; default Asterisk host spools to ${config.spoolDir}.` : "."),
      );
    } else {
      console.log(`  Nothing to seed: ${result.reason}.`);
      if (result.upgraded) console.log(`  Spoke ${result.upgraded} silent demo placeholder message(s) with espeak-ng.`);
    }
    const warning = deliveryLine(result.delivery);
    if (warning) console.log(warning);
  }
  const users = await client.user.count();
  console.log(
    users === 0
      ? "  No account yet: the first visitor creates the administrator account."
      : `  ${users} account(s) exist: sign in with yours.`,
  );
} finally {
  await client.$disconnect();
}
