import { evaluationCli } from "./commands/evaluation.js";
import { targetsCli } from "./commands/targets.js";
import type { CliCommand } from "./commands/types.js";

/** `npm run cli -- <command> …`: operator tools (Excel templates, import, export, evaluation). */
const commands: CliCommand[] = [...targetsCli, ...evaluationCli];

const [name, ...args] = process.argv.slice(2);
const cmd = commands.find((c) => c.name === name);
if (!cmd) {
  console.error(`用法：npm run cli -- <命令> …\n${commands.map((c) => `  ${c.usage}  ${c.summary}`).join("\n")}`);
  process.exit(name ? 64 : 0);
}
process.exitCode = await cmd.run(args);
