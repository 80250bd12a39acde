// `npm run demo` step: seeds the demo site on first run (lib/demo/seed-demo.ts) and says what
// to do next. Never creates a user or a password.
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { seedDemo } from "@/lib/demo/seed-demo";

const config = env();
const client = db();
try {
  const result = await seedDemo(client, { spoolDir: config.spoolDir, soundsDir: config.soundsDir });
  if (result.seeded) {
    console.log(
      `  Seeded ${result.contacts} contacts in ${result.groups} groups and ${result.audioMessages} placeholder audio messages` +
        (result.hostCreated ? `; default Asterisk host spools to ${config.spoolDir}.` : "."),
    );
  } else {
    console.log(`  Nothing to seed: ${result.reason}.`);
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
