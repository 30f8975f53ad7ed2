import { Worker } from "node:worker_threads";
import { InputError } from "../domain/errors.js";
import type { ImportInput } from "../domain/import/problems.js";
import type { ParseReply } from "./parse-protocol.js";

/**
 * Uploaded workbooks are opened in worker threads (issue 14 §3), so one large or hostile file neither
 * blocks the event loop that serves everyone else nor takes the server's memory: each worker has a
 * heap limit (resourceLimits) and each file a time limit, and a worker that runs out of either is
 * terminated and replaced by a fresh one on the next upload. Workers start on the first upload.
 */
export interface ParsePoolOptions {
  /** Workers at most; further uploads wait their turn. */
  size?: number;
  timeLimitMs?: number;
  maxOldGenerationSizeMb?: number;
  maxYoungGenerationSizeMb?: number;
}

const DEFAULTS: Required<ParsePoolOptions> = { size: 2, timeLimitMs: 30_000, maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

export const WORKER_FAULT_TEXT =
  "文件过大或格式异常，系统未能在限定的时间和内存内读取该文件，未导入任何内容。请使用系统模板（发送“导出 模板”获取）填写，或分批导入后重新发送。";

/** The worker ran out of time or memory, or died: the user gets WORKER_FAULT_TEXT, operators the reason. */
export class ParseWorkerFault extends InputError {
  constructor(
    readonly reason: "timeout" | "memory" | "crash",
    readonly detail: string,
  ) {
    super(WORKER_FAULT_TEXT, "file_unreadable");
  }
}

// From the build (dist/) the worker is the compiled parse-worker.js next to this file. Under tsx
// (npm start, tests) it is the .ts source, which a worker cannot load by itself in Node 20 (an
// inherited `--import tsx` does not apply to the worker's entry), so a one-line script loads it through tsx's API.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const WORKER_FILE = new URL(FROM_SOURCE ? "./parse-worker.ts" : "./parse-worker.js", import.meta.url);
const WORKER_SOURCE = FROM_SOURCE ? `import("tsx/esm/api").then((tsx) => tsx.tsImport(${JSON.stringify(WORKER_FILE.href)}, ${JSON.stringify(import.meta.url)}));` : null;

interface Job {
  id: number;
  content: Uint8Array;
  resolve(input: ImportInput): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export class WorkbookParsePool {
  private readonly opts: Required<ParsePoolOptions>;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(opts: ParsePoolOptions = {}) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** The 目标任务分解表's rows; rejects with an InputError (a refusal or a ParseWorkerFault). */
  parseTargets(content: Buffer): Promise<ImportInput> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, content, resolve, reject });
      this.pump();
    });
  }

  /** Workers alive now (for tests of replacement). */
  get workers(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new ParseWorkerFault("crash", "pool closed"));
    await Promise.all(this.slots.map((s) => this.retire(s, "crash", "pool closed")));
  }

  private pump(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => !s.job) ?? (this.slots.length < this.opts.size ? this.spawn() : null);
      if (!slot) return;
      this.run(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE ?? WORKER_FILE, {
      eval: WORKER_SOURCE !== null,
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: this.opts.maxYoungGenerationSizeMb },
    });
    const slot: Slot = { worker, job: null };
    worker.on("message", (reply: ParseReply) => this.settle(slot, reply));
    worker.on("error", (err: Error & { code?: string }) => {
      void this.retire(slot, err.code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : "crash", `${err.name}: ${err.message}`);
    });
    worker.on("exit", (code) => void this.retire(slot, "crash", `worker exited with code ${code}`));
    // An idle worker must not keep a command-line process alive.
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private run(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    job.timer = setTimeout(() => void this.retire(slot, "timeout", `no answer within ${this.opts.timeLimitMs} ms`), this.opts.timeLimitMs);
    // A copy the worker owns: the upload's Buffer may share a pooled ArrayBuffer with other data.
    const content = new Uint8Array(job.content);
    slot.worker.postMessage({ id: job.id, content }, [content.buffer]);
  }

  private settle(slot: Slot, reply: ParseReply): void {
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    clearTimeout(job.timer);
    slot.job = null;
    slot.worker.unref();
    if (reply.ok) job.resolve(reply.input);
    else if ("refusal" in reply) job.reject(new InputError(reply.refusal.message, reply.refusal.code));
    else job.reject(new ParseWorkerFault("crash", reply.failure));
    this.pump();
  }

  /** Takes the worker out of the pool and ends it; its job (if any) fails with the reason. */
  private async retire(slot: Slot, reason: ParseWorkerFault["reason"], detail: string): Promise<void> {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    const job = slot.job;
    slot.job = null;
    if (job) {
      clearTimeout(job.timer);
      job.reject(new ParseWorkerFault(reason, detail));
    }
    this.pump();
    await slot.worker.terminate();
  }
}

let shared: WorkbookParsePool | null = null;

/** The process's pool, created on first use. */
export function workbookParsePool(): WorkbookParsePool {
  shared ??= new WorkbookParsePool();
  return shared;
}

/** Replaces the process's pool (other limits); the old one's workers end. */
export async function configureParsePool(opts: ParsePoolOptions): Promise<void> {
  const old = shared;
  shared = new WorkbookParsePool(opts);
  await old?.close();
}
