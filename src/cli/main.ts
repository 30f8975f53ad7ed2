import { archiveCli } from "./commands/archive.js";
import { backupCli } from "./commands/backup.js";
import { directoryCli } from "./commands/directory.js";
import { evaluationCli } from "./commands/evaluation.js";
import { migrateToPostgresCli } from "./commands/migrate-to-postgres.js";
import { targetsCli } from "./commands/targets.js";
import { usersCli } from "./commands/users.js";
import type { CliCommand } from "./commands/types.js";

/** `npm run cli -- <command> …`: operator tools (Excel templates, import, export, evaluation, people, backup, archive). */
const commands: CliCommand[] = [...targetsCli, ...evaluationCli, ...usersCli, ...directoryCli, ...backupCli, ...archiveCli, ...migrateToPostgresCli];

const [name, ...args] = process.argv.slice(2);
// Several commands share a verb (template targets / template evaluation): the subject word decides.
const subjects = (c: CliCommand) => c.usage.split("|").map((u) => u.trim().split(/\s+/)[1]);
const sameVerb = commands.filter((c) => c.name === name);
const cmd = sameVerb.find((c) => subjects(c).includes(args[0])) ?? sameVerb[0];
if (!cmd) {
  console.error(`用法：npm run cli -- <命令> …\n${commands.map((c) => `  ${c.usage}  ${c.summary}`).join("\n")}`);
  process.exit(name ? 64 : 0);
}
process.exitCode = await cmd.run(args);
