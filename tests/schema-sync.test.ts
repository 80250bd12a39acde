import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

function models(provider: string): string {
  const text = readFileSync(`prisma/${provider}/schema.prisma`, "utf8");
  // Everything from the first model on must be byte-identical; only the header differs.
  return text.slice(text.search(/^\/\/\/[^\n]*\nmodel |^model /m));
}

describe("Prisma schemas", () => {
  it("declare identical models for SQLite and PostgreSQL", () => {
    const sqlite = models("sqlite");
    expect(sqlite).toMatch(/^(\/\/\/.*\n)?model User /);
    expect(models("postgresql")).toBe(sqlite);
  });

  it("have one migration history per provider covering every model", () => {
    for (const provider of ["sqlite", "postgresql"]) {
      const schema = readFileSync(`prisma/${provider}/schema.prisma`, "utf8");
      const names = [...schema.matchAll(/^model (\w+) /gm)].map((m) => m[1]);
      const dir = `prisma/${provider}/migrations`;
      const sql = readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => readFileSync(`${dir}/${d.name}/migration.sql`, "utf8"))
        .join("\n");
      for (const n of names) expect(sql, `${provider} migration creates ${n}`).toContain(`CREATE TABLE "${n}"`);
    }
  });
});
