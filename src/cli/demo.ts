import { runRepl } from "../channels/console/repl.js";
import { ConsoleSender } from "../channels/console/sender.js";
import { OutboxWorker } from "../outbox/worker.js";
import { createCore } from "../conversation/create-core.js";
import { DEMO_ACCOUNTS, seedDemoProvince } from "../demo/seed.js";
import { ROLE_LABEL } from "../domain/vocabulary.js";
import { bootstrap, flag } from "./bootstrap.js";

/** `npm run demo`: a demo province in its own database (data/demo.db), then the console. */
const deps = await bootstrap({ DATABASE_URL: process.env.DEMO_DATABASE_URL ?? "file:./data/demo.db" });
await seedDemoProvince(deps.db, { now: deps.clock.now() });
const core = createCore(deps);
// Notices to other console users (appeal decisions, answers …) are printed as they leave the outbox.
const worker = new OutboxWorker({ db: deps.db, senders: [new ConsoleSender(process.stdout)], clock: deps.clock, log: deps.log });
const account = flag("as") ?? "fgw_zhao";
const people = DEMO_ACCOUNTS.map((p) => `  ${p.account.padEnd(12)} ${p.name}（${ROLE_LABEL[p.role]}）`).join("\n");
await runRepl({
  account,
  handle: (ev) => core.handle(ev),
  clock: deps.clock,
  afterReply: async () => void (await worker.drainOnce()),
  greeting: `演示省份已就绪（数据库 data/demo.db）。演示账号：\n${people}\n\n当前身份：${account}。输入“帮助”查看命令；/as <账号> 切换身份；/quit 退出。`,
});
await deps.db.$disconnect();
