import { systemClock } from "../../src/infra/clock.js";
import { createDb } from "../../src/infra/db.js";
import { runJobOnce } from "../../src/jobs/job-runs.js";

/** A job process that claims a run and then hangs, for a test to kill -9 (a process that died mid-run). */
const [url, job, period] = process.argv.slice(2);
const db = await createDb(url);
await runJobOnce(db, job, period, async () => {
  process.stdout.write("started\n");
  await new Promise(() => undefined);
}, { clock: systemClock });
