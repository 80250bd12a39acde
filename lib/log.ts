/**
 * The process logger: JSON lines on stdout (pino), level from LOG_LEVEL. Modules take a
 * child logger with their name so lines can be filtered (`log.child({ module: "auth" })`).
 */
import pino from "pino";
import { loadDotenv } from "@/lib/env";

function readLevel(): string {
  // LOG_LEVEL may come from .env; reading it raw (not through env()) keeps logging usable
  // even when another variable is invalid and env() would throw.
  loadDotenv();
  const level = process.env.LOG_LEVEL;
  if (level && ["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(level)) return level;
  // Test runs (and the worker processes they start) stay quiet unless LOG_LEVEL asks otherwise.
  return process.env.NODE_ENV === "test" || process.env.VITEST ? "silent" : "info";
}

/** The shared root logger. */
export const log = pino({
  level: readLevel(),
  base: { app: "spoolcast" },
  timestamp: pino.stdTimeFunctions.isoTime,
  // Never let a password or a session cookie reach the log, whatever object is logged.
  redact: { paths: ["password", "*.password", "token", "*.token", "cookie", "*.cookie"], censor: "[redacted]" },
});
