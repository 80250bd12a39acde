/**
 * The validated environment (the README's configuration table). Every variable has a
 * working default; `.env` in the project root is loaded here because prisma.config.ts
 * turns off Prisma's own .env loading. Server-only.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
// Relative, not "@/": prisma.config.ts loads this file with a loader that knows no path aliases.
import { parseTrustedProxies, type TrustedProxies } from "./net/client-address";
import { ensurePrivateDir, siteSecretFile } from "./private-data";

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

const hostPort = z
  .string()
  .regex(HOST_PORT, "must be host:port, e.g. 127.0.0.1:2949")
  .refine((v) => {
    const port = Number(v.slice(v.lastIndexOf(":") + 1));
    return port > 0 && port < 65536;
  }, "port must be 1-65535");

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default("file:./data/spoolcast.db")
    .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\//.test(v), "must be file:<path> or postgresql://…"),
  SPOOLCAST_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SPOOLCAST_DATA_DIR: z.string().default("./data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  ASTERISK_SPOOL_DIR: z.string().min(1).optional(),
  // Only the sounds root a new default host (and the simulator) starts with; each host's own
  // "Sounds root" setting is where its sounds are delivered (lib/audio/deliver.ts).
  ASTERISK_SOUNDS_DIR: z
    .string()
    .min(1)
    .refine(
      (v) => v.replace(/\/+$/, "").split("/").at(-1) !== "spoolcast",
      "must be Asterisk's sounds root (e.g. /var/lib/asterisk/sounds), not its spoolcast folder: Spoolcast writes into <root>/spoolcast/ itself",
    )
    .optional(),
  ASTERISK_SIMULATOR: z.enum(["on", "off"]).optional(),
  SPOOLCAST_SIM_CALLEES: z.string().min(1).optional(),
  IVR_LISTEN: hostPort.default("127.0.0.1:2949"),
  IVR_PUBLIC_ADDRESS: hostPort.optional(),
  IVR_MAX_SESSIONS: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  IVR_MAX_PENDING: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  IVR_MAX_PENDING_IP: z.coerce.number().int().min(1).max(1_000_000).default(200),
  TRUST_PROXY: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  SPOOLCAST_ENGINE: z.enum(["inline", "off"]).default("inline"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.string().default("development"),
});

/** The resolved configuration, defaults applied. */
export type Env = {
  databaseUrl: string;
  provider: "sqlite" | "postgresql";
  secret: string;
  dataDir: string;
  port: number;
  spoolDir: string;
  /** The sounds root the default host is created with, and the simulator's; not where sounds are delivered later. */
  soundsDir: string;
  simulator: boolean;
  /** JSON file of simulator callee rules; undefined = the seeded demo mix. */
  simCallees: string | undefined;
  ivrListen: string;
  ivrPublicAddress: string;
  /** IVR server limits (lib/ivr/server.ts): authenticated sessions; connections still in the handshake, overall and per address. */
  ivrLimits: { maxConnections: number; maxUnauthenticated: number; maxUnauthenticatedPerSource: number };
  /** Proxies whose X-Forwarded-For is believed (lib/net/client-address.ts); none by default. */
  trustProxy: TrustedProxies;
  engine: "inline" | "off";
  logLevel: string;
  isProduction: boolean;
};

let cached: Env | undefined;
let dotenvLoaded = false;

/** Loads `.env` from the working directory once; variables already set win. */
export function loadDotenv(): void {
  if (dotenvLoaded) return;
  dotenvLoaded = true;
  const file = path.resolve(/*turbopackIgnore: true*/ process.cwd(), ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}

function readOrCreateSecret(dataDir: string): string {
  const file = siteSecretFile(dataDir);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  ensurePrivateDir(dataDir);
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  return secret;
}

/** Parses an environment object; throws an Error naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== "")));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = result.data;
  const dataDir = path.resolve(/*turbopackIgnore: true*/ e.SPOOLCAST_DATA_DIR);
  return {
    databaseUrl: e.DATABASE_URL,
    provider: e.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgresql",
    secret: e.SPOOLCAST_SECRET ?? readOrCreateSecret(dataDir),
    dataDir,
    port: e.PORT,
    spoolDir: path.resolve(/*turbopackIgnore: true*/ e.ASTERISK_SPOOL_DIR ?? path.join(dataDir, "spool")),
    soundsDir: path.resolve(/*turbopackIgnore: true*/ e.ASTERISK_SOUNDS_DIR ?? path.join(dataDir, "sounds")),
    simulator: (e.ASTERISK_SIMULATOR ?? (e.ASTERISK_SPOOL_DIR ? "off" : "on")) === "on",
    simCallees:
      !e.SPOOLCAST_SIM_CALLEES || e.SPOOLCAST_SIM_CALLEES.trim().startsWith("[")
        ? e.SPOOLCAST_SIM_CALLEES?.trim()
        : path.resolve(/*turbopackIgnore: true*/ e.SPOOLCAST_SIM_CALLEES),
    ivrListen: e.IVR_LISTEN,
    ivrPublicAddress: e.IVR_PUBLIC_ADDRESS ?? e.IVR_LISTEN,
    ivrLimits: {
      maxConnections: e.IVR_MAX_SESSIONS,
      maxUnauthenticated: e.IVR_MAX_PENDING,
      maxUnauthenticatedPerSource: e.IVR_MAX_PENDING_IP,
    },
    trustProxy: parseTrustedProxies(e.TRUST_PROXY),
    engine: e.SPOOLCAST_ENGINE,
    logLevel: e.LOG_LEVEL,
    isProduction: e.NODE_ENV === "production",
  };
}

/** The process environment, validated once. */
export function env(): Env {
  if (!cached) {
    loadDotenv();
    cached = parseEnv(process.env);
  }
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
