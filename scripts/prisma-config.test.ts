/**
 * The Prisma CLI loads prisma.config.ts, and through it lib/env.ts, with its own module loader,
 * which knows no "@/" path alias: one such import in that graph makes `prisma generate` (run by
 * `npm test` and `npm run demo` on a fresh clone) fail before anything else runs. Running the
 * CLI on the config is the only faithful check.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

describe("prisma.config.ts", () => {
  it("loads in the Prisma CLI (no path aliases in what it imports)", () => {
    const out = execFileSync(
      path.join(root, "node_modules", ".bin", "prisma"),
      ["validate", "--schema", "prisma/sqlite/schema.prisma"],
      { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: "file:./data/validate.db" } },
    );
    expect(out).toContain("is valid");
  }, 60_000);
});
