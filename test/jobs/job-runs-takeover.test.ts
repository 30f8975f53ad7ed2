import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { runJobOnce } from "../../src/jobs/job-runs.js";
import { freshDb } from "../helpers/db.js";

/**
 * Issue 14 §5: a job process killed with SIGKILL leaves its run "running". The run is taken over
 * once its heartbeat is a minute or two old, not refused for ten minutes as "本期正由其他进程执行".
 */
let db: Db;
let url: string;
beforeAll(async () => {
  ({ db, url } = await freshDb("job-takeover"));
});
afterAll(() => db.$disconnect());

describe("a job run whose process was killed", () => {
  it("is taken over and resumed two minutes later", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/jobs/hung-job-process.ts", url, "reminders", "2026-03-24"], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d: Buffer) => d.toString().includes("started") && resolve());
      child.once("exit", (code) => reject(new Error(`job process exited with ${code}`)));
    });
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;

    const soon = new FixedClock(new Date(Date.now() + 5_000));
    expect(await runJobOnce(db, "reminders", "2026-03-24", async () => 1, { clock: soon })).toMatchObject({ status: "busy" });
    const later = new FixedClock(new Date(Date.now() + 2 * 60_000));
    expect(await runJobOnce(db, "reminders", "2026-03-24", async () => 2, { clock: later })).toEqual({ status: "succeeded", summary: 2, resumed: true });
  });
});
