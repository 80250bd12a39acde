/**
 * The process logger: JSON lines on stdout (pino), level from LOG_LEVEL. Modules take a
 * child logger with their name so lines can be filtered (`log.child({ module: "auth" })`).
 */
import pino from "pino";

function readLevel(): string {
  const level = process.env.LOG_LEVEL;
  return level && ["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(level) ? level : "info";
}

/** The shared root logger. */
export const log = pino({
  level: readLevel(),
  base: { app: "spoolcast" },
  timestamp: pino.stdTimeFunctions.isoTime,
  // Never let a password or a session cookie reach the log, whatever object is logged.
  redact: { paths: ["password", "*.password", "token", "*.token", "cookie", "*.cookie"], censor: "[redacted]" },
});
