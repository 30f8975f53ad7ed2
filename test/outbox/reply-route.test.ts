import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/infra/clock.js";
import { createDb, type Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { newQueryCount } from "../../src/infra/query-count.js";
import type { Reply } from "../../src/messages/reply.js";
import { ReplyRoute } from "../../src/outbox/replies.js";
import { OutboxWorker } from "../../src/outbox/worker.js";
import { freshDb } from "../helpers/db.js";
import { at, makeAgency } from "../jobs/province.js";
import { RecordingSender } from "./recording-sender.js";

/**
 * The one reply route: replies a receiver could not give in its HTTP answer (cards, files, answers
 * after the platform's deadline) go through the outbox for a bound account and directly, once, for
 * an account bound to nobody. Counted at the driver adapter: the account is read once per delivery.
 */
const count = newQueryCount({ keepSql: true });
const clock = new FixedClock(at("2026-03-24"));
const log = createLogger("silent");
let db: Db;

const card: Reply = {
  kind: "card",
  card: { key: "report-0123456789abcdef", title: "FGW-03 进度汇报", actions: [{ key: "submit", label: "提交", command: "汇报 FGW-03 50" }] },
};
const replies = [
  { reply: { kind: "text", text: "已记入台账。" } as Reply, key: "wecom-reply:ZhaoLei:ev1:0" },
  { reply: card, key: "wecom-reply:ZhaoLei:ev1:1" },
  { reply: { kind: "markdown", title: "我的目标", text: "**FGW-03**" } as Reply, key: "wecom-reply:ZhaoLei:ev1:2" },
];

beforeAll(async () => {
  const fresh = await freshDb("reply-route");
  const { users } = await makeAgency(fresh.db, "FGW", [["zhao", "staff"], ["qian", "staff"]]);
  await fresh.db.platformIdentity.create({ data: { platform: "wecom", externalId: "ZhaoLei", userId: users.zhao.id } });
  await fresh.db.platformIdentity.create({ data: { platform: "wecom", externalId: "QianLi", userId: users.qian.id } });
  await fresh.db.$disconnect();
  db = await createDb(fresh.url, { count });
});
afterAll(() => db.$disconnect());

describe("the reply route", () => {
  it("queues a bound account's replies for its user in order, reading the account once and recording no card again", async () => {
    const sender = new RecordingSender("wecom", clock);
    const route = new ReplyRoute({ db, clock, log });
    count.reset();
    await route.deliverer(sender)("ZhaoLei", replies);
    expect(count.sql.filter((s) => /"PlatformIdentity"|`PlatformIdentity`/.test(s))).toHaveLength(1);
    expect(count.sql.filter((s) => /CardInstance/.test(s))).toEqual([]);
    const queued = await db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "wecom-reply:ZhaoLei:ev1:" } }, orderBy: { id: "asc" } });
    expect(queued.map((r) => [r.idempotencyKey, r.platform, r.recipient, r.status])).toEqual(replies.map((r) => [r.key, "wecom", "ZhaoLei", "pending"]));
    expect(sender.calls).toEqual([]);

    await new OutboxWorker({ db, clock, log, senders: [sender] }).drainOnce();
    expect(sender.delivered.map((c) => [c.recipient, c.key])).toEqual(replies.map((r) => ["ZhaoLei", r.key]));
  });

  it("asks the outbox to send at once once the replies are queued", async () => {
    const sender = new RecordingSender("wecom", clock);
    const route = new ReplyRoute({ db, clock, log });
    const worker = new OutboxWorker({ db, clock, log, senders: [sender] });
    route.onFlush(() => worker.drainOnce());
    await route.deliverer(sender)("QianLi", [{ reply: { kind: "text", text: "答复" }, key: "wecom-reply:QianLi:ev2:0" }]);
    expect(sender.delivered.filter((c) => c.recipient === "QianLi").map((c) => c.key)).toEqual(["wecom-reply:QianLi:ev2:0"]);
  });

  it("sends an unregistered person's replies directly, once, and queues nothing", async () => {
    const sender = new RecordingSender("wecom", clock);
    const route = new ReplyRoute({ db, clock, log });
    const reply: Reply = { kind: "text", text: "您的账号（Stranger）尚未在目标绩效管理系统中登记。" };
    await route.deliverer(sender)("Stranger", [{ reply, key: "wecom-reply:Stranger:ev3:0" }]);
    expect(sender.delivered).toMatchObject([{ recipient: "Stranger", reply, key: "wecom-reply:Stranger:ev3:0" }]);
    expect(await db.outboxMessage.count({ where: { recipient: "Stranger" } })).toBe(0);
  });
});
