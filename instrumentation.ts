/**
 * Next.js start-up hook: seals secrets still stored in plaintext (lib/secrets/at-rest.ts), then
 * runs the call engine inside the web server when SPOOLCAST_ENGINE is inline (the default), so
 * `npm start` alone dials. Never during `next build`, and never in the edge runtime.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("@/lib/env");
  const { db } = await import("@/lib/db");
  const { sealSecretsAtStartup } = await import("@/lib/secrets/at-rest");
  await sealSecretsAtStartup(db());
  if (env().engine !== "inline") return;
  const { startEngine } = await import("@/lib/engine/start-engine");
  await startEngine();
}
