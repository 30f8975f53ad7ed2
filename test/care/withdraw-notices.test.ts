import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings.js";
import { createCore } from "../../src/conversation/create-core.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { runNamedJob } from "../../src/jobs/definitions.js";
import type { JobDeps } from "../../src/jobs/deps.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { at, jobDeps, makeAgency, makeCycle, makeTarget } from "../jobs/province.js";

/**
 * A cancelled 请假/出差 (销假) or a changed owner withdraws the notices still waiting in the outbox and
 * tells the people who were told. 24 March 2026 (Tuesday), 08:00: reminders for targets due on
 * 31 March are queued for 08:30 (QUIET_HOURS) and nothing has gone out yet.
 */
let db: Db;
let deps: JobDeps;
let chat: ReturnType<typeof chatWith>;
const clock = new FixedClock(at("2026-03-24", "08:00"));
let cycleId: number;
let fgw: Awaited<ReturnType<typeof makeAgency>>;

beforeAll(async () => {
  const fresh = await freshDb("withdraw-notices");
  db = fresh.db;
  deps = jobDeps(db, fresh.url, clock);
  cycleId = (await makeCycle(db)).id;
  fgw = await makeAgency(db, "FGW", [["head", "head"], ["officer", "officer"], ["zhao", "staff"], ["sun", "staff"]]);
  const settings = loadSettings({ NODE_ENV: "test", DATABASE_URL: fresh.url, LOG_LEVEL: "silent" });
  chat = chatWith(createCore({ settings, db, clock, log: createLogger("silent") }), clock);
});
afterAll(() => db.$disconnect());
beforeEach(async () => {
  await db.outboxMessage.deleteMany();
  await db.cardInstance.deleteMany();
  await db.jobRun.deleteMany();
  await db.absence.deleteMany();
  await db.target.deleteMany();
  clock.set(at("2026-03-24", "08:00"));
});

const rowsTo = (account: string) => db.outboxMessage.findMany({ where: { recipient: account }, orderBy: { id: "asc" } });
const textOf = (payload: string) => JSON.parse(payload).text as string;

describe("销假 withdraws what still waits for the stand-in", () => {
  it("withdraws the delegate's pending reminders and tells the delegate who was told", async () => {
    const t = await makeTarget(db, { cycleId, agencyId: fgw.agency.id, code: "FGW-01", ownerIds: [fgw.users.zhao.id], deadline: "2026-03-31" });
    expect(await chat.say("zhao", "请假 3月24日 至 3月27日 sun")).toContain("代理人sun");
    // The 代理通知 reached 孙婷 before the leave was cancelled.
    await db.outboxMessage.updateMany({ where: { idempotencyKey: { startsWith: "absence-delegate:" } }, data: { status: "sent", sentAt: clock.now() } });
    await runNamedJob(deps, "reminders");
    const queued = (await rowsTo("sun")).filter((r) => r.idempotencyKey.startsWith(`reminder:target:${t.id}:`));
    // 孙婷 may not report on 赵磊's target: the text only, no report card.
    expect(queued).toHaveLength(1);
    expect(textOf(queued[0].payload)).toContain("（zhao请假期间，由您代为接收）");

    const answer = await chat.say("zhao", "销假");
    expect(answer).toContain("已取消您登记的3月24日至3月27日请假");
    expect(answer).toContain("已撤回转给代理人sun的 1 条尚未发出的提醒");
    const after = await db.outboxMessage.findMany({ where: { id: { in: queued.map((r) => r.id) } } });
    expect(after.map((r) => r.status)).toEqual(["withdrawn"]);
    const told = (await rowsTo("sun")).filter((r) => r.idempotencyKey.startsWith("absence-ended:"));
    expect(told).toHaveLength(1);
    expect(textOf(told[0].payload)).toBe("【代理取消】zhao已销假（原登记3月24日至3月27日请假），其目标提醒恢复发给本人，您无需再代为接收。尚未发出的 1 条代收提醒已撤回。");
  });

  it("tells nobody when nothing had reached the delegate yet", async () => {
    await makeTarget(db, { cycleId, agencyId: fgw.agency.id, code: "FGW-01", ownerIds: [fgw.users.zhao.id], deadline: "2026-03-31" });
    await chat.say("zhao", "请假 3月24日 至 3月27日 sun");
    await runNamedJob(deps, "reminders");
    await chat.say("zhao", "销假");
    const toSun = await rowsTo("sun");
    expect(toSun.every((r) => r.status === "withdrawn")).toBe(true);
    expect(toSun.some((r) => r.idempotencyKey.startsWith("absence-delegate:"))).toBe(true);
    expect(toSun.some((r) => r.idempotencyKey.startsWith("absence-ended:"))).toBe(false);
  });
});

describe("a changed owner withdraws what still waits for the former owner", () => {
  it("withdraws the former owner's pending reminders on that target and tells them", async () => {
    const t = await makeTarget(db, { cycleId, agencyId: fgw.agency.id, code: "FGW-02", ownerIds: [fgw.users.zhao.id], deadline: "2026-03-31" });
    const other = await makeTarget(db, { cycleId, agencyId: fgw.agency.id, code: "FGW-03", ownerIds: [fgw.users.zhao.id], deadline: "2026-03-31" });
    await runNamedJob(deps, "reminders");
    const answer = await chat.say("officer", "指定责任人 FGW-02 sun");
    expect(answer).toContain("目标 FGW-02 的责任人已设为：sun");
    expect(answer).toContain("已撤回发给zhao的 2 条尚未发出的提醒，并通知其本人");
    const zhao = await rowsTo("zhao");
    expect(zhao.filter((r) => r.idempotencyKey.startsWith(`reminder:target:${t.id}:`)).map((r) => r.status)).toEqual(["withdrawn", "withdrawn"]);
    // Reminders on the target zhao still owns are untouched.
    expect(zhao.filter((r) => r.idempotencyKey.startsWith(`reminder:target:${other.id}:`)).map((r) => r.status)).toEqual(["pending", "pending"]);
    const told = zhao.filter((r) => r.idempotencyKey.startsWith("owner-removed:"));
    expect(told).toHaveLength(1);
    expect(textOf(told[0].payload)).toBe("【责任人变更】本单位目标办已将目标 FGW-02「FGW-02任务」的责任人改为sun，您不再负责该目标。此前尚未发出的 2 条相关提醒已撤回。");
  });

  it("keeps an owner who stays and tells nobody who was not removed", async () => {
    await makeTarget(db, { cycleId, agencyId: fgw.agency.id, code: "FGW-04", ownerIds: [fgw.users.zhao.id], deadline: "2026-03-31" });
    await runNamedJob(deps, "reminders");
    const answer = await chat.say("officer", "指定责任人 FGW-04 zhao、sun");
    expect(answer).not.toContain("撤回");
    expect((await rowsTo("zhao")).every((r) => r.status === "pending")).toBe(true);
    expect((await rowsTo("zhao")).some((r) => r.idempotencyKey.startsWith("owner-removed:"))).toBe(false);
  });
});
