/**
 * The engine on a fake spool (lib/engine/testing/fake-transport) over a test database, with no
 * watcher or timer: the test drives it with `runOnce()` and plays Asterisk's part on `fake`
 * (StartRetry/EndRetry lines, archived files). For the reconciler tests that must hold on
 * every provider and, on SQLite, on both of the engine's writers: Prisma, and the direct
 * better-sqlite3 connection start-engine uses (`sqliteFile`), whose SQL is written by hand.
 */
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { createEngine, type Engine, type EngineOptions } from "@/lib/engine/engine";
import { createFakeTransport, type FakeTransport } from "@/lib/engine/testing/fake-transport";
import { sqlitePath } from "@/lib/db/migrate";
import { PROVIDERS, type Provider, type TestDb } from "./test-db";

export type Writer = "prisma" | "direct";

/** SQLite twice (Prisma, direct), PostgreSQL once (Prisma): for `describe.each`. */
export const WRITER_VARIANTS: Array<[Provider, Writer]> = PROVIDERS.flatMap((p): Array<[Provider, Writer]> =>
  p === "sqlite"
    ? [
        [p, "prisma"],
        [p, "direct"],
      ]
    : [[p, "prisma"]],
);

/** An engine on `t` writing through `writer`, its spool the returned fake; not started. */
export function createFakeSpoolEngine(
  t: TestDb,
  writer: Writer,
  extra: Pick<EngineOptions, "now"> = {},
): { engine: Engine; fake: FakeTransport } {
  const fake = createFakeTransport();
  const engine = createEngine({
    db: t.db,
    provider: t.provider,
    sqliteFile: writer === "direct" ? sqlitePath(t.url) : undefined,
    // Every pass of the direct writer goes through its connection; by default small ones use Prisma.
    directMinBatch: 1,
    secret: "s".repeat(40),
    ivrPublicAddress: "127.0.0.1:2949",
    transportFor: () => fake,
    serialize: serializeCallFile,
    parse: parseCallFile,
    watch: false,
    ...extra,
  });
  return { engine, fake };
}
