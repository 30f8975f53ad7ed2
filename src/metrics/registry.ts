import { AsyncLocalStorage } from "node:async_hooks";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The process's Prometheus metrics (GET /metrics). Code elsewhere calls the small functions below,
 * one line at the point where the thing happens; nothing here knows a platform or the database.
 * Metric names follow Prometheus conventions: jxmb_ prefix, _total for counters, base units.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "jxmb_" });

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

const callbacks = counter("jxmb_callbacks_total", "Platform callbacks by platform and outcome (accepted, duplicate, refused); reason says why a callback was refused.", ["platform", "outcome", "reason"]);

const replyLatency = new Histogram({
  name: "jxmb_reply_latency_seconds",
  help: "Time from a platform callback's arrival to the HTTP answer (the inline reply), by platform.",
  labelNames: ["platform"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 10],
  registers: [registry],
});

const commands = counter("jxmb_commands_total", "Chat commands run, by command name and outcome (ok, refused, forbidden, error).", ["command", "outcome"]);

const sends = counter("jxmb_outbox_sends_total", "Outbox send attempts by platform and result (sent, failed = will retry, dead = given up).", ["platform", "result"]);

const jobRuns = counter("jxmb_job_runs_total", "Scheduled job runs by job name and outcome (succeeded, already-succeeded, busy, failed).", ["job", "outcome"]);

const dbErrors = counter("jxmb_database_errors_total", "Database errors seen while serving (failed queries, lost connections, locks), by where they surfaced.", ["where"]);

/** What one callback's handling learned, read when its HTTP answer is written. */
interface CallbackNote {
  duplicate: boolean;
}
const callbackNotes = new AsyncLocalStorage<CallbackNote>();

/** Runs a callback's handling with a place for the core to note what it found. */
export function withCallbackNote<T>(fn: () => Promise<T>): { note: CallbackNote; done: Promise<T> } {
  const note: CallbackNote = { duplicate: false };
  return { note, done: callbackNotes.run(note, fn) };
}

/** Called by the conversation core when a delivery was seen before (a platform retry). */
export function noteDuplicate(): void {
  const note = callbackNotes.getStore();
  if (note) note.duplicate = true;
}

export function recordCallback(platform: string, outcome: "accepted" | "duplicate" | "refused", reason = "", seconds?: number): void {
  callbacks.inc({ platform, outcome, reason });
  if (seconds !== undefined && outcome !== "refused") replyLatency.observe({ platform }, seconds);
}

export type CommandOutcome = "ok" | "refused" | "forbidden" | "error";

export function recordCommand(command: string, outcome: CommandOutcome): void {
  commands.inc({ command, outcome });
}

export function recordSend(platform: string, result: string): void {
  sends.inc({ platform, result });
}

export function recordJobRun(job: string, outcome: string): void {
  jobRuns.inc({ job, outcome });
}

/** Counts the error if it came from the database (Prisma, SQLite or PostgreSQL); others are ignored. */
export function recordIfDatabaseError(where: string, err: unknown): void {
  if (isDatabaseError(err)) dbErrors.inc({ where });
}

export function isDatabaseError(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const name = (err as { name?: string }).name ?? "";
  const code = String((err as { code?: unknown }).code ?? "");
  // PrismaClientKnownRequestError and friends; the driver adapter's own error (its SQLSTATE in cause); SQLITE_BUSY…; PostgreSQL SQLSTATE classes 08 (connection), 53 (resources), 57 (operator intervention), 58 (system).
  return name.startsWith("PrismaClient") || name === "DriverAdapterError" || name === "SqliteError" || /^P\d{4}$/.test(code) || code.startsWith("SQLITE_") || /^(08|53|57|58)[0-9A-Z]{3}$/.test(code);
}
