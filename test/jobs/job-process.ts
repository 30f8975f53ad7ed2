import { loadSettings } from "../../src/config/settings.js";
import { FixedClock } from "../../src/infra/clock.js";
import { createDb } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { type JobName, runNamedJob } from "../../src/jobs/definitions.js";
import { createJobDeps } from "../../src/jobs/deps.js";

/** One bot instance running a scheduled job, for the two-process test: prints the ledger outcome. */
const [url, job, period, at] = process.argv.slice(2);
const db = await createDb(url);
const deps = createJobDeps({ db, settings: loadSettings({ NODE_ENV: "test", DATABASE_URL: url }), clock: new FixedClock(new Date(at)), log: createLogger("silent") });
const outcome = await runNamedJob(deps, job as JobName, period);
await db.$disconnect();
process.stdout.write(JSON.stringify({ status: outcome.status }));
