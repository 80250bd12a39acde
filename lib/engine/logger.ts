/**
 * The engine's pino logger. lib/log.ts (found-auth) may later provide a shared one; until
 * then the engine keeps its own so worker processes log structured JSON from the start.
 */
import pino from "pino";

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" || process.env.VITEST ? "silent" : "info");

/** Root logger of the engine; children carry the host or worker id. */
export const engineLog = pino({ name: "engine", level });
