import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agencyBoard } from "../../src/board/data.js";
import { createCore } from "../../src/conversation/create-core.js";
import type { CardReply, FileReply, MarkdownReply } from "../../src/messages/reply.js";
import { loadRules } from "../../src/domain/rules.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { runNamedJob } from "../../src/jobs/definitions.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { at, jobDeps, makeAgency, makeCycle, makeOffice, makeTarget, testSettings } from "../jobs/province.js";

/**
 * 目标核查 (§2.17) has consequences. 不属实 takes back a self-reported achievement (the 台账 keeps the
 * report and the finding), reopens a target closed as complete, and — when that quarter's 负面清单
 * (§2.23) already went out — adds a supplementary entry pushed to the head. 属实 marks it verified.
 * The Q3 list reaches FGW's head on 9 October (appeal window to 24 October).
 */
let db: Db;
const clock = new FixedClock(at("2026-10-09"));
let chat: ReturnType<typeof chatWith>;
let agencyId: number;
let cycle: { id: number; year: number };
let head: number;
const POINTS = loadRules(2026).negativeList.pointsPerMilestone;

const q3List = () => db.negativeList.findFirstOrThrow({ where: { period: "2026Q3", agencyId }, include: { entries: { orderBy: { seq: "asc" }, include: { target: true } } } });
const target = (code: string) => db.target.findFirstOrThrow({ where: { code }, include: { milestones: true } });

beforeAll(async () => {
  const fresh = await freshDb("verification-consequences");
  db = fresh.db;
  cycle = await makeCycle(db);
  await makeOffice(db, ["mbb1"]);
  await db.user.create({ data: { account: "dsf_wang", name: "王评", role: "assessor", identities: { create: { platform: "console", externalId: "dsf_wang" } } } });
  const a = await makeAgency(db, "FGW", [["fgw_head", "head"], ["fgw_officer", "officer"], ["fgw_staff", "staff"]]);
  agencyId = a.agency.id;
  head = a.users.fgw_head.id;
  // The head has turned optional reminders off: a supplementary entry must reach him all the same.
  await db.user.update({ where: { id: head }, data: { muteOptional: true } });
  const staff = a.users.fgw_staff.id;
  const t = (code: string, spec: Partial<Parameters<typeof makeTarget>[1]>) => makeTarget(db, { cycleId: cycle.id, agencyId, code, ownerIds: [staff], deadline: "2026-12-20", ...spec });
  const fgw01 = await t("FGW-01", { deadline: "2026-09-20", status: "completed", progress: 100, closedAt: at("2026-09-15") });
  const fgw02 = await t("FGW-02", { status: "in_progress", progress: 75, milestones: [{ quarter: 3, dueOn: "2026-09-30", expectedProgress: 75, achievedAt: at("2026-09-25") }] });
  await t("FGW-03", { status: "completed", progress: 100, closedAt: at("2026-10-08") });
  await t("FGW-04", { status: "completed", progress: 100, closedAt: at("2026-10-06") });
  await t("FGW-05", { milestones: [{ quarter: 3, dueOn: "2026-09-30", expectedProgress: 75 }] });
  const fgw06 = await t("FGW-06", { status: "completed", progress: 100, closedAt: at("2026-10-07") });
  await db.progressReport.createMany({
    data: [
      { targetId: fgw01.id, reporterId: staff, progress: 100, note: "已全部完成", channel: "console", createdAt: at("2026-09-15") },
      { targetId: fgw02.id, milestoneId: fgw02.milestones[0].id, reporterId: staff, progress: 75, note: "第三季度验收完成", channel: "console", createdAt: at("2026-09-25") },
      { targetId: fgw06.id, reporterId: staff, progress: 100, note: "已通过验收", channel: "console", createdAt: at("2026-10-07") },
    ],
  });
  chat = chatWith(createCore({ settings: testSettings(fresh.url), db, clock, log: createLogger("silent") }), clock);
  expect((await runNamedJob(jobDeps(db, fresh.url, clock), "negative-list", "2026Q3")).status).toBe("succeeded");
  expect((await q3List()).entries.map((e) => [e.seq, e.target.code])).toEqual([[1, "FGW-05"]]);
  clock.set(at("2026-10-26", "10:00"));
});
afterAll(() => db.$disconnect());

describe("§2.17 核查 不属实 on a milestone", () => {
  it("un-marks the milestone's achievement; the 台账 keeps both the report and the finding", async () => {
    const answer = await chat.say("dsf_wang", "核查 FGW-02 第三季度 实地核查 不属实 现场未见第三季度验收材料");
    expect(answer).toContain("已记录目标 FGW-02 第三季度节点的核查结果");
    expect(answer).toContain("该节点改为未达成");
    const m = (await target("FGW-02")).milestones[0];
    expect(m.achievedAt).toBeNull();
    expect(await db.verification.findFirstOrThrow({ where: { milestoneId: m.id } })).toMatchObject({ result: "not_confirmed", method: "field_check" });
    const ledger = await chat.say("fgw_officer", "台账 FGW-02");
    expect(ledger).toContain("第三季度验收完成");
    expect(ledger).toMatch(/10月26日 10:00｜检查｜王评｜实地核查（第三季度节点）｜不属实｜现场未见第三季度验收材料/);
  });

  it("adds a supplementary entry to the quarter's list that already went out, numbered next, and the total follows", async () => {
    const list = await q3List();
    expect(list.entries.map((e) => [e.seq, e.target.code, e.points, e.verificationId !== null])).toEqual([[1, "FGW-05", POINTS, false], [2, "FGW-02", POINTS, true]]);
    expect(list.entries[1].reason).toBe("FGW-02「FGW-02任务」第三季度节点未按期完成：第3季度任务");
    expect(list.totalPoints).toBe(2 * POINTS);
  });

  it("pushes the entry to the head through the outbox as a mandatory notice, reminders off or not", async () => {
    const rows = await db.outboxMessage.findMany({ where: { userId: head, idempotencyKey: { startsWith: "negative-list-supplement:" } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.mandatory)).toEqual([true, true]);
    const text = (JSON.parse(rows[0].payload) as MarkdownReply).text;
    expect(text).toContain("【负面清单补充】");
    expect(text).toContain("2. FGW-02「FGW-02任务」第三季度节点未按期完成");
    expect(text).toContain("经实地核查，结论不属实：现场未见第三季度验收材料");
    expect(text).toContain("如有异议，请于 11月10日（含）前申诉：申诉 2026Q3-2 <理由>");
    const card = JSON.parse(rows[1].payload) as CardReply;
    expect(card.card.actions.map((a) => a.command)).toEqual(["申诉 2026Q3-2"]);
  });

  it("makes the entry appealable like any entry, its window counted from its own notice", async () => {
    clock.set(at("2026-10-28", "10:00"));
    expect(await chat.say("fgw_head", "申诉 2026Q3-1 第三季度节点已完成")).toContain("申诉期（送达后 15 日内，截至 10月24日）已过");
    expect(await chat.say("fgw_head", "申诉 2026Q3-2 验收材料已于9月25日上传台账")).toMatch(/^申诉已提交/);
    const answer = await chat.say("fgw_head", "负面清单 2026Q3");
    expect(answer).toContain("2. FGW-02「FGW-02任务」第三季度节点未按期完成：第3季度任务｜-0.5 分（核查后补充）");
    expect(answer).toContain("申诉期已于 10月24日 结束。核查后补充的第 2 项可于 11月10日（含）前申诉：申诉 2026Q3-2 <理由>。");
  });

  it("does not add a second entry when the same finding is recorded again (one miss, one entry)", async () => {
    await chat.say("mbb1", "核查 FGW-02 第三季度 抽样核查 不属实 复核仍未见验收材料");
    expect((await q3List()).entries).toHaveLength(2);
  });
});

describe("§2.17 核查 不属实 on a target", () => {
  it("returns a target closed as complete to 执行中 and adds its entry to the list that went out", async () => {
    const answer = await chat.say("mbb1", "核查 FGW-01 专项督查 不属实 实际完成量不足目标的一半");
    expect(answer).toContain("目标改为执行中");
    expect(answer).toContain("已补充列入2026年第三季度负面清单第 3 项，并通知单位主要负责人");
    expect(await target("FGW-01")).toMatchObject({ status: "in_progress", closedAt: null });
    const list = await q3List();
    expect(list.entries.map((e) => [e.seq, e.target.code, e.reason])).toContainEqual([3, "FGW-01", "FGW-01「FGW-01任务」未按期完成（完成时限 9月20日）"]);
    expect(await db.progressReport.count({ where: { target: { code: "FGW-01" } } })).toBe(1);
  });

  it("reopens a target whose quarter's list has not gone out, without an entry", async () => {
    const answer = await chat.say("mbb1", "核查 FGW-03 网上评审 不属实 佐证材料与完成标准不符");
    expect(answer).toContain("目标改为执行中");
    expect(answer).not.toContain("负面清单");
    expect(await target("FGW-03")).toMatchObject({ status: "in_progress", closedAt: null });
    expect(await db.negativeListEntry.count({ where: { target: { code: "FGW-03" } } })).toBe(0);
  });
});

describe("§2.17 核查 属实", () => {
  it("marks the target verified, and 台账 shows verified against self-reported", async () => {
    expect(await chat.say("dsf_wang", "核查 FGW-04 网上评审 属实 验收报告和批复文件齐全")).toContain("目标标记为已核查");
    expect((await target("FGW-04")).verifiedAt).not.toBeNull();
    expect(await chat.say("fgw_officer", "台账 FGW-04")).toContain("完成情况：已完成（已核查");
    expect(await chat.say("fgw_officer", "台账 FGW-06")).toContain("完成情况：已完成（自报，未核查）");
  });

  it("shows verified against self-reported on the board", async () => {
    const board = await agencyBoard(db, cycle, agencyId, clock.now(), loadRules(2026).warnings);
    const state = (code: string) => board!.targets.find((t) => t.code === code)!.state;
    expect(state("FGW-04")).toBe("已完成（已核查）");
    expect(state("FGW-06")).toBe("已完成（自报）");
  });

  it("shows verified against self-reported, and every finding, in the 台账 export", async () => {
    const replies = await chat.send("fgw_officer", { type: "text", text: "导出 台账" });
    const file = replies.find((r): r is FileReply => r.kind === "file")!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, "base64") as never);
    const rows = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow((row, n) => void (n > 2 && out.push((row.values as unknown[]).slice(1))));
      return out;
    };
    const targets = wb.getWorksheet("目标")!;
    const col = (targets.getRow(2).values as unknown[]).slice(1).indexOf("完成核查");
    const byCode = Object.fromEntries(rows("目标").map((r) => [r[0], r[col]]));
    expect([byCode["FGW-04"], byCode["FGW-06"], byCode["FGW-01"]]).toEqual(["已核查", "自报", "核查不属实"]);
    const findings = rows("核查记录").map((r) => [r[0], r[1], r[4], r[5]]);
    expect(findings).toContainEqual(["FGW-02", "第三季度节点", "实地核查", "不属实"]);
    expect(findings).toContainEqual(["FGW-04", "目标", "网上评审", "属实"]);
  });
});

describe("§2.17 核查 不属实 on a milestone reached late (逾期达成)", () => {
  it("takes back the late achievement too: the board shows 未按期达成, not 逾期达成", async () => {
    const staff = (await db.user.findUniqueOrThrow({ where: { account: "fgw_staff" } })).id;
    const fgw07 = await makeTarget(db, { cycleId: cycle.id, agencyId, code: "FGW-07", ownerIds: [staff], deadline: "2026-12-20", status: "in_progress", progress: 60, milestones: [{ quarter: 4, dueOn: "2026-10-20", expectedProgress: 60 }] });
    await db.milestone.update({ where: { id: fgw07.milestones[0].id }, data: { reachedLateAt: at("2026-10-23") } });
    const status = async () => (await agencyBoard(db, cycle, agencyId, clock.now(), loadRules(2026).warnings))!.targets.find((t) => t.code === "FGW-07")!.milestones[0].status;
    expect(await status()).toBe("逾期达成（10月23日）");
    expect(await chat.say("dsf_wang", "核查 FGW-07 第四季度 实地核查 不属实 现场进度不足六成")).toContain("该节点改为未达成");
    expect((await target("FGW-07")).milestones[0].reachedLateAt).toBeNull();
    expect(await status()).toBe("未按期达成");
  });
});
