/**
 * Derives prisma/postgres/schema.prisma from prisma/schema.prisma, the only hand-edited schema.
 *
 *   npx tsx scripts/pg-schema.ts           write the derived schema
 *   npx tsx scripts/pg-schema.ts --check   exit 1 when the committed file is out of date
 *
 * The models are copied unchanged: every field uses a type both providers store the same way
 * (String → TEXT, Int → INTEGER, Float → DOUBLE PRECISION, Boolean → BOOLEAN, DateTime →
 * TIMESTAMP(3), i.e. milliseconds as in JavaScript). Only the datasource provider and the
 * generated-client output change. Anything provider-specific (a native type such as `@db.Text`,
 * a raw `Unsupported(...)` type) would need a deliberate mapping, so it stops the script instead
 * of being copied silently.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SOURCE_SCHEMA = path.join(root, "prisma", "schema.prisma");
export const PG_SCHEMA = path.join(root, "prisma", "postgres", "schema.prisma");

const HEADER = [
  "// GENERATED from prisma/schema.prisma by scripts/pg-schema.ts (npm run db:pg-schema). Do not edit:",
  "// change prisma/schema.prisma, rerun the script and add a migration under prisma/postgres/migrations",
  "// with the same name as the SQLite one. test/infra/pg-schema.test.ts fails when this file drifts.",
  "",
].join("\n");

/** Replaces exactly one match of `pattern` in `text`, or explains what it expected to find. */
function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const hits = text.match(new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`));
  if (!hits || hits.length !== 1) {
    throw new Error(`scripts/pg-schema.ts: expected one ${what} in prisma/schema.prisma, found ${hits?.length ?? 0}`);
  }
  return text.replace(pattern, replacement);
}

export function derivePgSchema(source: string): string {
  const unsupported = source.split("\n").find((line) => !line.trim().startsWith("//") && /@db\.|Unsupported\(/.test(line));
  if (unsupported) {
    throw new Error(`scripts/pg-schema.ts: provider-specific type needs a PostgreSQL mapping: ${unsupported.trim()}`);
  }
  let out = source.replace(/\r\n/g, "\n");
  out = replaceOnce(out, /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/, '$1"postgresql"', 'datasource with provider = "sqlite"');
  // The derived schema sits one folder deeper, and its client must not overwrite the SQLite one.
  out = replaceOnce(out, /(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/src\/generated\/prisma"/, '$1"../../src/generated/prisma-pg"', 'generator output "../src/generated/prisma"');
  return HEADER + out;
}

function main(argv: string[]): void {
  const derived = derivePgSchema(readFileSync(SOURCE_SCHEMA, "utf8"));
  const rel = path.relative(process.cwd(), PG_SCHEMA);
  if (argv.includes("--check")) {
    let committed = "";
    try {
      committed = readFileSync(PG_SCHEMA, "utf8");
    } catch {
      // missing counts as out of date
    }
    if (committed !== derived) {
      console.error(`${rel} is out of date; run: npm run db:pg-schema`);
      process.exit(1);
    }
    console.log(`${rel} is up to date`);
    return;
  }
  writeFileSync(PG_SCHEMA, derived);
  console.log(`wrote ${rel}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
