import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { derivePgSchema, PG_SCHEMA, SOURCE_SCHEMA } from "../../scripts/pg-schema.js";

const migrationNames = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

/** prisma/schema.prisma is the one hand-edited schema; the PostgreSQL one is derived from it. */
describe("the PostgreSQL schema", () => {
  it("is what scripts/pg-schema.ts derives from prisma/schema.prisma now (run npm run db:pg-schema)", () => {
    expect(readFileSync(PG_SCHEMA, "utf8")).toBe(derivePgSchema(readFileSync(SOURCE_SCHEMA, "utf8")));
  });

  it("differs from the SQLite schema only in provider, client output and its header", () => {
    const source = readFileSync(SOURCE_SCHEMA, "utf8").split("\n");
    const derived = readFileSync(PG_SCHEMA, "utf8").split("\n");
    const added = derived.filter((l) => !source.includes(l));
    expect(added.filter((l) => !l.startsWith("// "))).toEqual(['  output     = "../../src/generated/prisma-pg"', '  provider = "postgresql"']);
  });

  it("refuses provider-specific types instead of copying them", () => {
    const source = readFileSync(SOURCE_SCHEMA, "utf8").replace("  name           String   @unique", "  name           String   @unique @db.Text");
    expect(() => derivePgSchema(source)).toThrow(/provider-specific type needs a PostgreSQL mapping: name +String +@unique @db.Text/);
  });

  it("has a PostgreSQL migration for every SQLite migration, under the same name", () => {
    const sqlite = migrationNames(path.resolve("prisma/migrations"));
    expect(sqlite.length).toBeGreaterThan(0);
    expect(migrationNames(path.resolve("prisma/postgres/migrations"))).toEqual(sqlite);
  });
});
