import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings.js";
import { createCore } from "../../src/conversation/create-core.js";
import type { FileReply } from "../../src/messages/reply.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { EVAL_NOW, seedEvaluationProvince } from "./fixture.js";

let db: Db;
let chat: ReturnType<typeof chatWith>;
let clock: FixedClock;
let agencies: Awaited<ReturnType<typeof seedEvaluationProvince>>["agencies"];

beforeAll(async () => {
  const fresh = await freshDb("evaluation-chat");
  db = fresh.db;
  ({ agencies } = await seedEvaluationProvince(db));
  clock = new FixedClock(EVAL_NOW);
  const settings = loadSettings({ NODE_ENV: "test", DATABASE_URL: fresh.url, LOG_LEVEL: "silent" });
  chat = chatWith(createCore({ settings, db, clock, log: createLogger("silent") }), clock);
});
afterAll(async () => db.$disconnect());

async function confirmed(account: string, command: string): Promise<{ question: string; answer: string }> {
  const question = await chat.say(account, command);
  expect(question).toContain("请回复“确认”执行");
  return { question, answer: await chat.say(account, "确认") };
}

describe("考评录入", () => {
  it("records a correction and says what it was before", async () => {
    const answer = await chat.say("mbb_zhang", "考评录入 省统计局 同步小康驻村 85 驻村工作队年终考核");
    expect(answer).toMatch(/已录入2026 年度 省统计局 同步小康驻村：85 分（驻村工作队年终考核）（录入记录 #\d+）/);
    expect(await chat.say("mbb_zhang", "考评录入 2026 省统计局 同步小康驻村 85 驻村工作队年终考核")).toContain("无需重复录入");
    expect(await chat.say("mbb_zhang", "考评录入 省统计局 驻村 86")).toMatch(/原为“85 分（驻村工作队年终考核）”/);
    expect(await chat.say("mbb_zhang", "考评录入 省统计局 驻村 80")).toContain("同步小康驻村：80 分");
  });

  it("takes survey cells, awards and discipline records in their own form", async () => {
    expect(await chat.say("mbb_zhang", "考评录入 省财政厅 公众测评 社会公众 办事效率 3")).toContain("社会公众·办事效率 不满意率 3%");
    expect(await chat.say("mbb_zhang", "考评录入 省财政厅 创新项目 三等奖")).toContain("无需重复录入");
  });

  it("explains a wrong entry with the item's right form", async () => {
    expect(await chat.say("mbb_zhang", "考评录入 省财政厅 思想建设 105")).toContain("应为 0–100 之间的分值");
    expect(await chat.say("mbb_zhang", "考评录入 省财政厅 公众测评 群众 办事效率 3")).toContain("格式：考评录入 <单位> 公众测评 <测评群体> <测评维度> <不满意率%> [说明]");
    expect(await chat.say("mbb_zhang", "考评录入 省财政厅 卫生评比 90")).toContain("无法识别考评项目“卫生评比”");
    expect(await chat.say("mbb_zhang", "考评录入 省财政厅 讲规矩守纪律 C-1 警告")).toContain("记录类型应为通报批评");
  });

  it("is for the office only", async () => {
    expect(await chat.say("fgw_head", "考评录入 省发改委 思想建设 100")).toContain("仅供");
  });
});

describe("考评 and 考评明细", () => {
  it("asks to confirm, warning of missing inputs and targets still open, then stores and lists the results", async () => {
    const { question, answer } = await confirmed("mbb_zhang", "考评 2026");
    expect(question).toContain("对 6 个单位计算考评得分");
    expect(question).toContain("一等奖 1 名、二等奖 3 名、三等奖 1 名，其余无等次；名额为上限");
    expect(question).toContain("尚有 1 项职能绩效目标未办结，将按未完成计");
    expect(answer).toContain("| 排名 | 单位 | 得分 | 不满意度（参考） | 获奖等次 |");
    expect(answer).toContain("| 1 | 省发改委 | 92.00 | 12.00% | 一等奖 |");
    expect(answer).toContain("| 2 | 省教育厅 | 91.70 | 5.00% | 二等奖 |");
    expect(answer).toContain("| 6 | 省统计局 | 69.10 | 25.00% | 无等次 |"); // 63.50 + 驻村 80 → 5.60
    expect(await db.evaluationResult.count()).toBe(6);
  });

  it("requires a year", async () => {
    expect(await chat.say("mbb_zhang", "考评")).toContain("请写明考评年度");
  });

  it("shows the office any agency's explanation, line by line, adding up to the score, with the target lines (§8.2)", async () => {
    const answer = await chat.say("mbb_zhang", "考评明细 省发改委 2026");
    expect(answer).toContain("总分 92.00 分｜排名第 1 名｜获奖等次：一等奖（尚未发布）");
    expect(answer).toContain("公众测评不满意度 12.00%（参考，不计分，§8.3）");
    expect(answer).toMatch(/1\. 思想建设｜权重 9｜100（满分 100）｜\+9\.00 分｜依据：录入记录 #\d+/);
    // §8.2: the target lines, each with its own weight.
    expect(answer).toContain("FGW-01 省发改委重点任务1｜权重 8｜脱贫攻坚目标；已完成｜+8.00 分");
    expect(answer).toContain("FGW-03 省发改委重点任务3｜权重 7｜本级目标；未完成，不得分｜0.00 分");
    expect(answer).toContain("FGW-09 省发改委专项整治任务｜动态目标（黔府办发〔2026〕12号）；已完成，不加分｜0.00 分");
    expect(answer).toContain("职能绩效（50）：42.00 分");
    expect(answer).toContain("以上各行得分合计 92.00 分，即总分。");
  });

  it("adds up 机关建设 from 党建, 管理 and the −0.5 过程管理扣分 in the explanation", async () => {
    const answer = await chat.say("mbb_zhang", "考评明细 省统计局 2026");
    // 驻村 entered as 80 above: 党建 27.20 + 5.60 = 32.80; 32.80 + 4.80 − 0.50 = 37.10.
    expect(answer).toContain("机关建设 37.10 分（党建 32.80，管理 4.80，过程管理扣分 -0.50）");
    expect(answer).toContain("机关建设·过程管理扣分：-0.50 分");
  });

  it("lists every agency's result for the office when no agency is named", async () => {
    const answer = await chat.say("mbb_zhang", "考评明细");
    expect(answer).toContain("2026年度考评结果");
    expect(answer).toContain("4. 省文物局｜86.80 分｜二等奖（未发布）");
    expect(answer).toContain("4. 省财政厅｜86.80 分｜三等奖（未发布）");
  });

  it("keeps results from the agency until they are published", async () => {
    expect(await chat.say("fgw_head", "考评明细")).toContain("省发改委 2026 年度考评结果尚未发布");
  });
});

describe("考评发布", () => {
  it("sends each head its result once, with the idempotency key evaluation:<year>:<agency>:<user>", async () => {
    const { question, answer } = await confirmed("mbb_zhang", "考评发布 2026");
    expect(question).toContain("将向 6 个单位的主要负责人发布 2026 年度考评结果");
    expect(answer).toContain("已通知 6 位主要负责人");
    const head = await db.user.findUniqueOrThrow({ where: { account: "fgw_head" } });
    const sent = await db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `evaluation:2026:${agencies.FGW.id}:${head.id}` } });
    const text = JSON.parse(sent.payload).text as string;
    expect(text).toContain("得分 92.00 分");
    expect(text).toContain("在 6 个单位中排名第 1 名，获评一等奖");
    expect(text).toContain("公众测评不满意度 12.00%（参考，不计分，§8.3）");
    expect(text).toContain("考评申诉 <理由>");
    expect(sent.mandatory).toBe(true);
    expect(await chat.say("mbb_zhang", "考评发布 2026")).toContain("已全部发布");
  });

  it("then lets heads and officers see their own agency's explanation, and only theirs", async () => {
    expect(await chat.say("fgw_head", "考评明细")).toContain("贵州省发展和改革委员会2026年度目标考评明细");
    expect(await chat.say("fgw_officer", "考评明细 2026")).toContain("以上各行得分合计 92.00 分");
    expect(await chat.say("fgw_head", "考评明细 省教育厅")).toContain("只能查看本单位");
    expect(await chat.say("fgw_staff", "考评明细")).toContain("仅供");
  });
});

describe("考评报告", () => {
  async function file(account: string, command: string): Promise<{ reply: FileReply; wb: ExcelJS.Workbook }> {
    await chat.say(account, command);
    const reply = chat.last.find((r) => r.kind === "file") as FileReply;
    expect(reply).toBeDefined();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(reply.base64, "base64") as unknown as ExcelJS.Buffer);
    return { reply, wb };
  }

  it("answers the office with the member units', organisation department's or an agency's workbook", async () => {
    expect((await file("mbb_zhang", "考评报告 2026 成员单位")).reply.fileName).toBe("2026年度目标绩效考评结果（领导小组成员单位）.xlsx");
    const org = await file("mbb_zhang", "考评报告 2026 组织部");
    expect(org.wb.getWorksheet("个人获奖比例")).toBeDefined();
    expect((await file("mbb_zhang", "考评报告 2026 省财政厅")).reply.fileName).toBe("2026年度目标绩效考评结果反馈（省财政厅）.xlsx");
  });

  it("gives a head its own agency's feedback report only", async () => {
    const own = await file("jyt_head", "考评报告 2026 本单位");
    expect(own.reply.fileName).toBe("2026年度目标绩效考评结果反馈（省教育厅）.xlsx");
    expect(await chat.say("jyt_head", "考评报告 2026 成员单位")).toContain("单位只能获取本单位的反馈报告");
    expect(await chat.say("jyt_head", "考评报告 2026 省发改委")).toContain("只能查看本单位");
  });
});

describe("考评申诉 (§5.3e)", () => {
  it("files an appeal against the published result and tells the office", async () => {
    const answer = await chat.say("czt_officer", "考评申诉 二级考评得分录入有误，应为90分，附考评文件");
    expect(answer).toMatch(/申诉已提交（申诉号 (\d+)）/);
    const appeal = await db.appeal.findFirstOrThrow({ where: { subjectType: "evaluation" }, include: { evaluation: true } });
    expect(appeal.evaluation!.agencyId).toBe(agencies.CZT.id);
    expect(await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: `appeal-filed:${appeal.id}:` } } })).toBe(2);
    expect(await chat.say("czt_head", "考评申诉 再次申诉同一结果的理由")).toContain("已有待受理的申诉");
  });

  it("asks for the reason when it is left out", async () => {
    expect(await chat.say("swj_head", "考评申诉")).toContain("请写明对考评结果的申诉理由");
    expect(await chat.say("swj_head", "等次评定未考虑同分情况")).toContain("申诉已提交");
  });

  it("is also reached through 申诉 考评, the shared appeal command", async () => {
    expect(await chat.say("jyt_officer", "申诉 考评")).toContain("请写明对考评结果的申诉理由");
    expect(await chat.say("jyt_officer", "创新项目获奖等次未录入，附获奖文件")).toMatch(/申诉已提交（申诉号 \d+）/);
    const appeal = await db.appeal.findFirstOrThrow({ where: { subjectType: "evaluation", agencyId: agencies.JYT.id } });
    expect(appeal.reason).toContain("创新项目获奖等次未录入");
    expect(await chat.say("mbb_zhang", "申诉列表")).toContain("2026年度考评结果");
    expect(await chat.say("mbb_zhang", `申诉列表 ${appeal.id}`)).toMatch(/申诉事项：2026年度考评结果（[\d.]+ 分，第 \d+ 名）/);
  });

  it("refuses after the appeal window", async () => {
    clock.set(new Date(EVAL_NOW.getTime() + 16 * 86_400_000));
    expect(await chat.say("nyt_head", "考评申诉 对讲规矩守纪律记录有异议")).toContain("申诉期（发布之日起 15 日内）已过");
    clock.set(EVAL_NOW);
  });

  it("once accepted and corrected, blocks publishing the stale result and re-publishes the corrected one under a new key", async () => {
    const appeal = await db.appeal.findFirstOrThrow({ where: { subjectType: "evaluation", agencyId: agencies.CZT.id } });
    await confirmed("mbb_zhang", `受理 ${appeal.id} 同意 经核实二级考评得分应为90分，予以更正`);
    await chat.say("mbb_zhang", "考评录入 省财政厅 二级考评 90 申诉更正");
    expect(await chat.say("mbb_zhang", "考评发布 2026")).toContain("请先重新执行“考评 2026”");
    const { answer } = await confirmed("mbb_zhang", "考评 2026");
    expect(answer).toContain("| 4 | 省财政厅 | 87.10 | 3.00% | 二等奖 |"); // 86.80 + 二级考评 (90 − 80) × 3% = 87.10
    expect(answer).toContain("已发布结果有变化的单位：");
    await confirmed("mbb_zhang", "考评发布 2026");
    const head = await db.user.findUniqueOrThrow({ where: { account: "czt_head" } });
    const corrected = await db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `evaluation:2026:${agencies.CZT.id}:${head.id}:r1` } });
    expect(JSON.parse(corrected.payload).text).toContain("（更正）");
    expect(JSON.parse(corrected.payload).text).toContain("获评二等奖");
  });
});
