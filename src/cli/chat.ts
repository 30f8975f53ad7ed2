import { runRepl } from "../channels/console/repl.js";
import { ConsoleSender } from "../channels/console/sender.js";
import { createBot } from "../bot.js";
import { bootstrap, flag } from "./bootstrap.js";

/** `npm run chat -- --as <账号> [--exports data/exports]`: talk to the bot in the terminal, on the configured database. */
const account = flag("as");
if (!account) {
  console.error("用法：npm run chat -- --as <账号>（账号即用户的 account，例如 fgw_zhao）");
  process.exit(64);
}
const deps = await bootstrap();
const exportsDir = flag("exports") ?? "data/exports";
// Notices to other console users (appeal decisions, answers …) are printed as they leave the outbox.
const { core, worker } = createBot(deps.settings, { ...deps, platforms: false, senders: [new ConsoleSender(process.stdout, exportsDir)] });
await runRepl({ account, handle: (ev) => core.handle(ev), clock: deps.clock, afterReply: async () => void (await worker.drainOnce()), exportsDir, greeting: "已连接。输入“帮助”查看命令，/as <账号> 切换用户，/quit 退出。" });
await deps.db.$disconnect();
