import { rmSync } from "node:fs";
import { runRepl } from "../channels/console/repl.js";
import { ConsoleSender } from "../channels/console/sender.js";
import { OutboxWorker } from "../outbox/worker.js";
import { createCore } from "../conversation/create-core.js";
import { listenLocal, serveBoard } from "../demo/board-server.js";
import { DEMO_ACCOUNTS, seedDemoProvince } from "../demo/seed.js";
import { ROLE_LABEL } from "../domain/vocabulary.js";
import { bootstrap, flag } from "./bootstrap.js";
import { deliveryPolicy } from "../jobs/reminder-digest.js";

/**
 * `npm run demo [-- --reset] [--as <账号>] [--port 3100] [--exports data/exports]`: a demo province in
 * its own database (data/demo.db), its board served on 127.0.0.1, then the console. Pushes caused in
 * the console are delivered at once (a real install holds them for working hours, QUIET_HOURS).
 */
const url = process.env.DEMO_DATABASE_URL ?? "file:./data/demo.db";
const dbFile = url.startsWith("file:") ? url.slice("file:".length) : null;
if (process.argv.includes("--reset")) {
  if (!dbFile) {
    console.error("--reset 只用于 SQLite 演示库；PostgreSQL 演示库请自行清空后再运行。");
    process.exit(64);
  }
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${dbFile}${suffix}`, { force: true });
}
const exportsDir = flag("exports") ?? "data/exports";
const { server, baseUrl } = await listenLocal(Number(flag("port") ?? process.env.DEMO_PORT ?? 3100));
const deps = await bootstrap({ DATABASE_URL: url, PUBLIC_BASE_URL: baseUrl });
await seedDemoProvince(deps.db, { now: deps.clock.now() });
serveBoard(server, deps);
const core = createCore(deps, { deliveryTime: (now) => now });
const worker = new OutboxWorker({ db: deps.db, senders: [new ConsoleSender(process.stdout, exportsDir)], clock: deps.clock, log: deps.log, policy: deliveryPolicy });
const account = flag("as") ?? "fgw_zhao";
const people = DEMO_ACCOUNTS.map((p) => `  ${p.account.padEnd(12)} ${p.name}（${ROLE_LABEL[p.role]}）`).join("\n");
await runRepl({
  account,
  handle: (ev) => core.handle(ev),
  clock: deps.clock,
  // Notices to other demo users (appeal decisions, answers …) are printed as soon as they are queued.
  afterReply: async () => void (await worker.drainOnce()),
  exportsDir,
  greeting: [
    `演示省份已就绪（数据库 ${dbFile ?? url}${process.argv.includes("--reset") ? "，已重新生成" : ""}）。演示账号：`,
    people,
    "",
    `看板服务：${baseUrl}（“看板”命令给出的链接可在本机浏览器中打开，演示结束即停止）`,
    `导出的 Excel 文件保存在 ${exportsDir}/；其他用户收到的通知即时显示为“〔推送 → 账号〕”。`,
    `当前身份：${account}。输入“帮助”查看命令；/as <账号> 切换身份；/quit 退出。`,
  ].join("\n"),
});
await worker.idle();
server.close();
await deps.db.$disconnect();
