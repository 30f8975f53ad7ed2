import { mkdirSync } from "node:fs";
import { benchCallbacks } from "./callbacks.js";
import { benchJobs } from "./jobs.js";
import { benchNegativeList } from "./negative-list.js";
import { benchOutbox } from "./outbox.js";

/** `npm run bench`: every benchmark, each beside a baseline measured in the same run. */
mkdirSync("bench/.tmp", { recursive: true });
const only = process.argv[2];
const sections: [string, () => Promise<string>][] = [
  ["callbacks", () => benchCallbacks()],
  ["negative-list", () => benchNegativeList()],
  ["jobs", () => benchJobs()],
  ["outbox", () => benchOutbox()],
];
for (const [name, run] of sections) {
  if (only && only !== name) continue;
  console.log(await run());
}
