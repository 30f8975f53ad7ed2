import { runRepl } from "../channels/console/repl.js";
import { ConsoleSender } from "../channels/console/sender.js";
import { OutboxWorker } from "../outbox/worker.js";
import { createCore } from "../conversation/create-core.js";
import { bootstrap, flag } from "./bootstrap.js";
import { deliveryPolicy } from "../jobs/reminder-digest.js";

/** `npm run chat -- --as <账号> [--exports data/exports]`: talk to the bot in the terminal, on the configured database. */
const account = flag("as");
if (!account) {
  console.error("用法：npm run chat -- --as <账号>（账号即用户的 account，例如 fgw_zhao）");
  process.exit(64);
}
const deps = await bootstrap();
const exportsDir = flag("exports") ?? "data/exports";
const core = createCore(deps);
// Notices to other console users (appeal decisions, answers …) are printed as they leave the outbox.
const worker = new OutboxWorker({ db: deps.db, senders: [new ConsoleSender(process.stdout, exportsDir)], clock: deps.clock, log: deps.log, policy: deliveryPolicy });
await runRepl({ account, handle: (ev) => core.handle(ev), clock: deps.clock, afterReply: async () => void (await worker.drainOnce()), exportsDir, greeting: "已连接。输入“帮助”查看命令，/as <账号> 切换用户，/quit 退出。" });
await deps.db.$disconnect();
