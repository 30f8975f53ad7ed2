import { renderReply } from "../channels/console/render.js";
import { ConsoleSender } from "../channels/console/sender.js";
import { createBot } from "../bot.js";
import type { Reply } from "../messages/reply.js";
import { FixedClock } from "../infra/clock.js";
import { createJobDeps, type JobDeps } from "../jobs/deps.js";
import { JOB_NAMES, type JobName, negativeListJob, reminderJob, rollupJob, runNamedJob } from "../jobs/definitions.js";
import { previewNegativeLists } from "../jobs/negative-list-preview.js";
import { planReminders } from "../jobs/reminders.js";
import { planRollups } from "../jobs/rollup-job.js";
import { bootstrap, flag } from "./bootstrap.js";

/**
 * `npm run job -- <reminders|negative-list|rollups|improvements|outbox> [period] [--dry-run] [--at <time>]`: runs a
 * scheduled job now, through the same job-run ledger as the scheduler (a period done is not done
 * again). --dry-run prints what would be queued or sent and writes nothing; --at runs as of another
 * time (ISO 8601, e.g. 2026-03-24T09:00:00+08:00).
 */
const USAGE = `用法：npm run job -- <任务> [期间] [--dry-run] [--at <时间>]
  reminders [2026-03-24]     到期提醒与逾期督办（期间为日期，默认今天）
  negative-list [2026Q1]     季度负面清单生成与推送（期间为季度，默认上一个已结束的季度）
  rollups [2026-03-24]       未报情况汇总（按规则文件的汇总日推送单位目标办和目标办）
  improvements [2026-03-24]  未按期达成事项的原因分析和改进措施：请责任人填写，逾期未填的提醒
  outbox                     发送一次到期的待发消息
  --dry-run                  只显示将要排队或发送的消息，不写入数据库
  --at 2026-03-24T09:00+08:00  按指定时间运行`;

const argv = process.argv.slice(2);
const dryRun = argv.includes("--dry-run");
const at = flag("at", argv);
const positional = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--at");
const [name, period] = positional;

if (!name || !(JOB_NAMES as readonly string[]).includes(name) && name !== "outbox") {
  console.error(name ? `未知任务“${name}”。\n${USAGE}` : USAGE);
  process.exit(name ? 64 : 0);
}
if (at && Number.isNaN(Date.parse(at))) {
  console.error(`--at 的时间“${at}”无法识别，请写成 2026-03-24T09:00:00+08:00。`);
  process.exit(64);
}

const base = await bootstrap();
const deps = createJobDeps({ ...base, clock: at ? new FixedClock(new Date(at)) : base.clock });
try {
  process.exitCode = name === "outbox" ? await outbox(deps) : dryRun ? await preview(deps, name as JobName) : await run(deps, name as JobName);
} catch (err) {
  console.error(err instanceof RangeError ? err.message : err);
  process.exitCode = 1;
} finally {
  await deps.db.$disconnect();
}

async function run(deps: JobDeps, job: JobName): Promise<number> {
  const outcome = await runNamedJob(deps, job, period);
  switch (outcome.status) {
    case "succeeded":
      console.log(`${job} 已完成${outcome.resumed ? "（接续上次中断处）" : ""}：${JSON.stringify(outcome.summary)}\n待发消息由后台发送，或运行 npm run job -- outbox。`);
      return 0;
    case "already-succeeded":
      console.log(`${job} 本期已于 ${outcome.finishedAt?.toISOString() ?? "此前"} 完成，不再重复执行。`);
      return 0;
    case "busy":
      console.error(`${job} 本期正由其他进程执行（${outcome.claimedBy ?? "未知"}），本次不执行。`);
      return 75;
    case "failed":
      console.error(`${job} 执行失败：${outcome.error}\n修复后再次运行将从中断处继续。`);
      return 1;
  }
}

async function preview(deps: JobDeps, job: JobName): Promise<number> {
  const now = deps.clock.now();
  const messages: { key: string; userId: number; reply: Reply }[] = [];
  if (job === "reminders") {
    const day = period ? reminderJob.parsePeriod(period) : reminderJob.defaultPeriod(now);
    if (!deps.workingDays.isWorkingDay(day)) console.log(`${day} 不是工作日：不发送提醒。`);
    messages.push(...(await planReminders(deps.db, deps, day, now)));
  } else if (job === "rollups") {
    const day = period ? rollupJob.parsePeriod(period) : rollupJob.defaultPeriod(now);
    const { windows, plan } = await planRollups(deps.db, deps, day, now);
    if (windows.length === 0) console.log(`${day} 不是汇总日：不发送未报汇总。`);
    messages.push(...plan);
  } else if (job === "improvements") {
    // Recording the requests is the job's first write: there is nothing to show without doing it.
    console.log("improvements 不支持试运行：请直接运行，或在“台账 <编号>”中查看已记录的检查和改进措施。");
    return 0;
  } else {
    const q = period ? negativeListJob.parseQuarter(period) : negativeListJob.defaultQuarter(now);
    messages.push(...(await previewNegativeLists(deps, q)));
  }
  const existing = new Set(
    (await deps.db.outboxMessage.findMany({ where: { idempotencyKey: { in: messages.map((m) => m.key) } }, select: { idempotencyKey: true } })).map((r) => r.idempotencyKey),
  );
  const users = new Map((await deps.db.user.findMany({ where: { id: { in: messages.map((m) => m.userId) } } })).map((u) => [u.id, u]));
  let fresh = 0;
  for (const m of messages) {
    const queued = existing.has(m.key);
    if (!queued) fresh += 1;
    const u = users.get(m.userId);
    console.log(`〔${queued ? "已排队，跳过" : "将排队"} → ${u?.name ?? m.userId}（${u?.account ?? "?"}）｜${m.key}〕\n${renderReply(m.reply, () => 0)}\n`);
  }
  console.log(`试运行：共 ${messages.length} 条，其中 ${fresh} 条将排队。未写入数据库。`);
  return 0;
}

async function outbox(deps: JobDeps): Promise<number> {
  if (dryRun) {
    const now = deps.clock.now();
    const due = await deps.db.outboxMessage.findMany({ where: { status: { in: ["pending", "failed"] }, notBefore: { lte: now } }, orderBy: { id: "asc" } });
    for (const r of due) console.log(`〔将发送 → ${r.platform}:${r.recipient}｜${r.idempotencyKey}｜第 ${r.attempts + 1} 次〕\n${renderReply(JSON.parse(r.payload) as Reply, () => 0)}\n`);
    console.log(`试运行：${due.length} 条消息到期待发。未发送。`);
    return 0;
  }
  const { worker } = createBot(deps.settings, { ...deps, senders: [new ConsoleSender(process.stdout)] });
  const result = await worker.drainOnce();
  console.log(`outbox：已发送 ${result.sent}，待重试 ${result.retrying}，放弃 ${result.dead}，接管 ${result.reclaimed}，限速顺延 ${result.deferred}。`);
  return result.dead > 0 ? 1 : 0;
}
