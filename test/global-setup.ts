import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";

/** Each run starts with an empty scratch folder for the per-file SQLite databases. */
export default function setup(): void {
  const dir = path.resolve("test/.tmp");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
