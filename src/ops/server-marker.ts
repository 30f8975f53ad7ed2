import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { isSqliteUrl, sqlitePath } from "../infra/db.js";

/**
 * A running server leaves a marker beside its SQLite file (`<db>.running/<host>-<pid>.json`), so a
 * restore can tell that the database is in use and refuse. A marker whose process is gone (killed
 * with SIGKILL, a power cut) is stale and ignored; graceful shutdown removes its own.
 */
export interface ServerMarker {
  remove(): void;
}

function markerDir(url: string): string {
  return `${path.resolve(sqlitePath(url))}.running`;
}

export function markServerRunning(url: string, port: number): ServerMarker {
  if (!isSqliteUrl(url)) return { remove: () => undefined };
  const dir = markerDir(url);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${hostname()}-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ host: hostname(), pid: process.pid, port, startedAt: new Date().toISOString() }));
  const remove = () => rmSync(file, { force: true });
  process.once("exit", remove);
  return { remove };
}

export interface RunningServer {
  host: string;
  pid: number;
  port: number;
}

/** Servers on this host whose marker names a live process. */
export function runningServers(url: string): RunningServer[] {
  if (!isSqliteUrl(url)) return [];
  let names: string[];
  try {
    names = readdirSync(markerDir(url));
  } catch {
    return [];
  }
  const alive: RunningServer[] = [];
  for (const name of names) {
    try {
      const m = JSON.parse(readFileSync(path.join(markerDir(url), name), "utf8")) as RunningServer;
      if (m.host === hostname() && isAlive(m.pid)) alive.push(m);
    } catch {
      // A marker cut short while being written belongs to no one.
    }
  }
  return alive;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
