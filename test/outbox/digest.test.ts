import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { deliveryPolicy, digestReply, REMINDER_DIGEST } from "../../src/jobs/reminder-digest.js";
import { enqueue } from "../../src/outbox/enqueue.js";
import { planUnits, type Row, SEND_EACH } from "../../src/outbox/policy.js";
import { OutboxWorker } from "../../src/outbox/worker.js";
import { freshDb } from "../helpers/db.js";
import { RecordingSender, retryable } from "./recording-sender.js";

/**
 * Calm reminders (issue 10): several optional reminders for one person go out as one digest. The job
 * marks its rows with a digest group; the worker merges them only under the policy it is given.
 */
const T0 = new Date("2026-03-24T01:00:00Z");
let db: Db;
let zhao: number;
let sun: number;

beforeAll(async () => {
  ({ db } = await freshDb("outbox-digest"));
  const mk = (account: string, name: string) => db.user.create({ data: { account, name, role: "staff", identities: { create: { platform: "console", externalId: account } } } });
  zhao = (await mk("zhao", "赵磊")).id;
  sun = (await mk("sun", "孙婷")).id;
});
afterAll(() => db.$disconnect());

async function queue(userId: number, key: string, text: string, mandatory = false, card = false, digestGroup: string | null = REMINDER_DIGEST) {
  const reply = card
    ? { kind: "card" as const, card: { key: `report-${key.replace(/\W/g, "")}`, title: "汇报进度", actions: [{ key: "submit", label: "提交", command: "汇报 X-01 {progress}" }] } }
    : { kind: "text" as const, text };
  await db.$transaction((tx) => enqueue(tx, userId, reply, { key, mandatory, digestGroup: digestGroup ?? undefined, now: T0 }));
}

describe("reminder digests", () => {
  it("merges one person's optional reminders, skips their cards, and keeps mandatory notices apart", async () => {
    await queue(zhao, "reminder:milestone:1:ahead-3:2026-03-24:1", "FGW-01 第一季度节点 3 天后到期");
    await queue(zhao, "reminder:milestone:1:ahead-3:2026-03-24:1:card", "", false, true);
    await queue(zhao, "reminder:target:2:ahead-7:2026-03-24:1", "FGW-03 完成时限 7 天后到期");
    await queue(zhao, "reminder:target:2:ahead-7:2026-03-24:1:card", "", false, true);
    await queue(zhao, "reminder:milestone:9:escalate-officer:2026-03-24:1", "督办：FGW-05 逾期", true);
    await queue(sun, "reminder:milestone:4:due:2026-03-24:2", "FGW-02 第一季度节点今日到期");
    await queue(sun, "reminder:milestone:4:due:2026-03-24:2:card", "", false, true);
    const clock = new FixedClock(T0);
    const sender = new RecordingSender("console", clock);
    await new OutboxWorker({ db, senders: [sender], clock, log: createLogger("silent"), policy: deliveryPolicy }).drainOnce();

    const toZhao = sender.calls.filter((c) => c.recipient === "zhao");
    expect(toZhao).toHaveLength(2);
    const digest = toZhao.find((c) => c.reply.kind === "markdown")!;
    expect(digest.reply.kind === "markdown" && digest.reply.text).toContain("今日提醒汇总（共 2 条）");
    expect(digest.reply.kind === "markdown" && digest.reply.text).toContain("FGW-01 第一季度节点 3 天后到期");
    expect(digest.reply.kind === "markdown" && digest.reply.text).toContain("FGW-03 完成时限 7 天后到期");
    expect(toZhao.some((c) => c.reply.kind === "text" && c.reply.text.startsWith("督办"))).toBe(true);
    const rows = await db.outboxMessage.findMany({ where: { userId: zhao }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["sent", "skipped", "sent", "skipped", "sent"]);

    // One reminder alone is not a digest: it keeps its card.
    const toSun = sender.calls.filter((c) => c.recipient === "sun").map((c) => c.reply.kind);
    expect(toSun).toEqual(["text", "card"]);
  });

  it("retries a failed digest as a whole, without losing its rows", async () => {
    await db.outboxMessage.deleteMany();
    await queue(zhao, "reminder:a:due:2026-03-25:1", "第一项");
    await queue(zhao, "reminder:b:due:2026-03-25:1", "第二项");
    const clock = new FixedClock(T0);
    const sender = new RecordingSender("console", clock).then(retryable());
    const worker = new OutboxWorker({ db, senders: [sender], clock, log: createLogger("silent"), random: () => 1, policy: deliveryPolicy });
    expect(await worker.drainOnce()).toMatchObject({ sent: 0, retrying: 2 });
    clock.advance(3_600_000);
    expect(await worker.drainOnce()).toMatchObject({ sent: 2 });
    expect(sender.calls).toHaveLength(2);
    expect(new Set(sender.calls.map((c) => c.key)).size).toBe(1);
  });

  it("tells how to report in the digest, since the cards stay unsent", async () => {
    const d = digestReply([{ kind: "text", text: "甲" }, { kind: "markdown", title: "t", text: "**乙**" }]);
    expect(d).toMatchObject({ kind: "markdown", title: "提醒汇总（2 条）" });
    expect((d as { text: string }).text).toContain("**1.** 甲\n\n**2.** **乙**");
    expect((d as { text: string }).text).toContain("退订 提醒");
    expect((d as { text: string }).text).toContain("汇报进度：汇报 <目标编号> <进度> <说明>");
  });

  it("merges nothing without a policy for the group, nor rows the job left without a group", async () => {
    await db.outboxMessage.deleteMany();
    await queue(zhao, "reminder:c:due:2026-03-26:1", "第一项");
    await queue(zhao, "reminder:d:due:2026-03-26:1", "第二项");
    await queue(zhao, "notice:1", "通知一", false, false, null);
    await queue(zhao, "notice:2", "通知二", false, false, null);
    const rows = await db.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(planUnits(rows, SEND_EACH).map((u) => u.rows.length)).toEqual([1, 1, 1, 1]);
    const units = planUnits(rows, deliveryPolicy);
    expect(units.map((u) => u.rows.map((r: Row) => r.idempotencyKey))).toEqual([["reminder:c:due:2026-03-26:1", "reminder:d:due:2026-03-26:1"], ["notice:1"], ["notice:2"]]);
  });
});
