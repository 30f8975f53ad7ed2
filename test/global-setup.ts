import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Each run starts with an empty scratch folder for the per-file SQLite databases and data folders,
 * unless another run in this checkout is still going: emptying it then would delete that run's open
 * databases and data folders under it (a backup file gone before its restore, a server reopening an
 * empty database). Each run registers its vitest process in test/.tmp/.runs for as long as it lasts.
 */
const dir = path.resolve("test/.tmp");
const runs = path.join(dir, ".runs");

export default function setup(): () => void {
  mkdirSync(runs, { recursive: true });
  const mine = path.join(runs, String(process.pid));
  writeFileSync(mine, "");
  const others = readdirSync(runs).filter((name) => name !== String(process.pid));
  const live = others.filter((name) => {
    if (isAlive(Number(name))) return true;
    rmSync(path.join(runs, name), { force: true });
    return false;
  });
  if (live.length === 0) {
    for (const entry of readdirSync(dir)) if (entry !== ".runs") rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  return () => rmSync(mine, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
