import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore } from "../../src/conversation/create-core.js";
import type { CardReply, Reply } from "../../src/messages/reply.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { runNamedJob } from "../../src/jobs/definitions.js";
import { OutboxWorker } from "../../src/outbox/worker.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { RecordingSender } from "../outbox/recording-sender.js";
import { at, jobDeps, makeAgency, makeCycle, makeOffice, makeTarget, testSettings } from "./province.js";

/**
 * Appeals (§5.3e) and 绩效沟通 (§2.22) as people live them: the negative list arrives through the
 * outbox, the agency appeals inside the window (by command and by the card), the office decides, and
 * every notice in between reaches its reader through the outbox worker.
 */
let db: Db;
const clock = new FixedClock(at("2026-04-05"));
const sender = new RecordingSender("console", clock);
let chat: ReturnType<typeof chatWith>;
let worker: OutboxWorker;

beforeAll(async () => {
  const fresh = await freshDb("appeals-outbox");
  db = fresh.db;
  const cycle = await makeCycle(db);
  await makeOffice(db, ["mbb1"]);
  const a = await makeAgency(db, "FGW", [["fgw_head", "head"], ["fgw_officer", "officer"], ["fgw_staff", "staff"]]);
  await makeAgency(db, "JYT", [["jyt_officer", "officer"]]);
  for (const code of ["FGW-01", "FGW-02", "FGW-03"]) {
    await makeTarget(db, { cycleId: cycle.id, agencyId: a.agency.id, code, ownerIds: [a.users.fgw_staff.id], deadline: "2026-12-20", milestones: [{ quarter: 1, dueOn: "2026-03-31", expectedProgress: 25 }] });
  }
  const log = createLogger("silent");
  chat = chatWith(createCore({ settings: testSettings(fresh.url), db, clock, log }), clock);
  worker = new OutboxWorker({ db, senders: [sender], clock, log });
  expect((await runNamedJob(jobDeps(db, fresh.url, clock), "negative-list")).status).toBe("succeeded");
  expect((await db.negativeListEntry.findMany({ orderBy: { seq: "asc" }, include: { target: true } })).map((e) => [e.seq, e.target.code])).toEqual([[1, "FGW-01"], [2, "FGW-02"], [3, "FGW-03"]]);
});
afterAll(() => db.$disconnect());

/** Runs the worker as the clock stands and returns what it delivered to one account. */
async function deliveredTo(account: string): Promise<Reply[]> {
  await worker.drainOnce();
  return sender.delivered.filter((c) => c.recipient === account).map((c) => c.reply);
}
const texts = (rs: Reply[]) => rs.map((r) => (r.kind === "text" ? r.text : r.kind === "markdown" ? r.text : ""));

describe("appeals through the outbox", () => {
  it("delivers the quarter's list to the head only once the send window opens", async () => {
    clock.set(at("2026-04-06", "10:00"));
    expect(await deliveredTo("fgw_head")).toEqual([]);
    clock.set(at("2026-04-07", "08:31"));
    const got = await deliveredTo("fgw_head");
    expect(got.map((r) => r.kind)).toEqual(["markdown", "card"]);
    expect(texts(got)[0]).toContain("请于 4月22日（含）前申诉");
  });

  it("accepts an appeal inside the window and tells the office", async () => {
    clock.set(at("2026-04-10", "10:00"));
    expect(await chat.say("fgw_officer", "申诉 2026Q1-1 该节点已于3月28日完成，佐证材料已上传台账")).toBe("申诉已提交（申诉号 1），目标办受理后将通知您。查看处理记录：申诉列表 1");
    // First the quarter's summary, then the appeal.
    expect(texts(await deliveredTo("mbb1"))).toEqual([expect.stringMatching(/^【负面清单】2026年第一季度负面清单已生成/), expect.stringMatching(/^【目标申诉】FGW 对2026年第一季度负面清单第 1 项（FGW-01）提出申诉（申诉号 1）/)]);
  });

  it("takes an appeal from the card the head received, up to the last minute of the window", async () => {
    const card = sender.delivered.find((c) => c.recipient === "fgw_head" && c.reply.kind === "card")!.reply as CardReply;
    clock.set(at("2026-04-22", "23:59"));
    expect(await chat.click("fgw_head", card.card.key, "entry-2")).toContain("请写明对“2026年第一季度负面清单第 2 项”的申诉理由");
    expect(await chat.say("fgw_head", "该目标因上级文件调整顺延，已报备")).toContain("申诉已提交（申诉号 2）");
  });

  it("refuses an appeal once the window has closed", async () => {
    clock.set(at("2026-04-23", "00:01"));
    const reply = await chat.say("fgw_head", "申诉 2026Q1-3 该节点已于3月30日完成");
    expect(reply).toBe("2026年第一季度负面清单第 3 项的申诉期（送达后 15 日内，截至 4月22日）已过，不能再申诉。如有疑问，请通过“沟通”联系目标办。");
    expect(await db.appeal.count()).toBe(2);
  });

  it("notifies the filer and the head of the decision, and restores the points", async () => {
    clock.set(at("2026-04-23", "10:00"));
    expect(await chat.say("mbb1", "受理 1 同意 经核查该节点已按期完成，撤销该条目")).toContain("请回复“确认”执行");
    expect(await chat.say("mbb1", "确认")).toBe("已同意申诉 1，2026年第一季度负面清单第 1 项已撤销，恢复 0.5 分，已通知申诉人及单位主要负责人。");
    await chat.say("mbb1", "受理 2 驳回 文件调整未经审批，维持原结论");
    await chat.say("mbb1", "确认");
    expect(texts(await deliveredTo("fgw_officer"))).toEqual([expect.stringMatching(/^【申诉答复】您单位的申诉（申诉号 1）已获同意/)]);
    expect(texts(await deliveredTo("fgw_head")).slice(2)).toEqual([expect.stringContaining("申诉号 1）已获同意"), expect.stringContaining("申诉号 2）已被驳回")]);
    expect((await db.negativeList.findFirstOrThrow({ orderBy: { id: "asc" } })).totalPoints).toBe(-1);
  });

  it("shows the agency its appeals and each one's full record, and hides them from other agencies", async () => {
    expect(await chat.say("fgw_head", "申诉列表")).toMatch(/本单位申诉（2 件）[\s\S]*1\. FGW｜负面清单 2026Q1-1（-0\.5 分）｜fgw_officer 4月10日｜已同意/);
    const history = await chat.say("fgw_officer", "申诉列表 1");
    expect(history).toContain("申诉 1｜FGW｜已同意");
    expect(history).toMatch(/4月10日 10:00 fgw_officer 提出申诉：该节点已于3月28日完成/);
    expect(history).toMatch(/4月23日 10:00 mbb1 同意：经核查该节点已按期完成/);
    expect(await chat.say("jyt_officer", "申诉列表 1")).toContain("未找到申诉号 1");
  });
});

describe("绩效沟通 through the outbox", () => {
  it("brings the question to the office and the answer back to the asker", async () => {
    clock.set(at("2026-05-06", "10:00"));
    expect(await chat.say("fgw_staff", "沟通 第二季度节点因上级文件调整，能否顺延至7月10日？")).toBe("问题已送达目标办（沟通号 1），答复后将第一时间转告您。");
    expect(texts(await deliveredTo("mbb1")).at(-1)).toMatch(/^【绩效沟通】FGW fgw_staff 提问（沟通号 1）：\n第二季度节点因上级文件调整/);
    expect(await chat.say("mbb1", "回复 1 可以，请在台账中上传上级文件作为佐证")).toBe("已答复沟通 1，并通知 fgw_staff。");
    expect(texts(await deliveredTo("fgw_staff"))).toEqual(["【绩效沟通答复】您的问题（沟通号 1）：第二季度节点因上级文件调整，能否顺延至7月10日？\n目标办答复：可以，请在台账中上传上级文件作为佐证"]);
  });

  it("asks for the question when none is given, then sends it on", async () => {
    expect(await chat.say("fgw_officer", "沟通")).toBe("请输入您要咨询的问题：");
    expect(await chat.say("fgw_officer", "二级考评的材料报送截止时间是什么时候？")).toContain("沟通号 2");
    expect(texts(await deliveredTo("mbb1")).at(-1)).toContain("二级考评的材料报送截止时间");
  });
});
