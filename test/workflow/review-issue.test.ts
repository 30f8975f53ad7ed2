import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clone, provinceFile, setCell, targetRow } from "../excel/fixtures.js";
import { MARCH, officeWorld, onConsole, textOf } from "./world.js";

/** Fig. 1 目标制定: imported drafts are reviewed (审核) and issued (下达) by the office, agency by agency. */
let w: Awaited<ReturnType<typeof officeWorld>>;
beforeAll(async () => {
  w = await officeWorld("review-issue");
  expect(textOf(await w.sendFile("mbb_zhang", provinceFile()))).toContain("导入完成");
});
afterAll(async () => w.db.$disconnect());

const statuses = async (prefix: string) => new Set((await w.db.target.findMany({ where: { code: { startsWith: prefix } } })).map((t) => t.status));

describe("审核", () => {
  it("without arguments shows each agency's drafts and its 1+6+N state", async () => {
    const answer = await w.chat.say("mbb_zhang", "审核");
    expect(answer).toContain("2026年度目标制定情况");
    expect(answer).toContain("| 省交通运输厅 | 11 | 0 | 0 | 符合 |");
    expect(answer).toContain("| 省供销社 | 11 | 0 | 0 | 符合 |");
  });

  it("reviews one agency's drafts and records who reviewed them", async () => {
    expect(await w.chat.say("mbb_zhang", "审核 省交通运输厅")).toBe("已审核 2026 年度目标：省交通运输厅 11 项。\n下一步：下达 <单位|全部>。");
    const office = await w.db.user.findUniqueOrThrow({ where: { account: "mbb_zhang" } });
    const targets = await w.db.target.findMany({ where: { code: { startsWith: "JTT-" } } });
    expect(targets.every((t) => t.status === "reviewed" && t.reviewedById === office.id && t.reviewedAt?.getTime() === MARCH.getTime())).toBe(true);
    expect(await statuses("WJW-")).toEqual(new Set(["draft"]));
  });

  it("refuses an agency whose set breaks 1+6+N, with the reason", async () => {
    await w.db.target.updateMany({ where: { code: "GXS-07" }, data: { source: "superior" } });
    expect(await w.chat.say("mbb_zhang", "审核 省供销社")).toBe(
      "贵州省供销合作社联合社的目标不能审核：职能绩效目标不符合“1+6+N”要求（§6.2）：本级目标至少 6 项（现有 5 项）。",
    );
    expect(await statuses("GXS-")).toEqual(new Set(["draft"]));
  });

  it("reviews every agency it can and lists the others with their reasons", async () => {
    const answer = await w.chat.say("mbb_zhang", "审核 全部");
    expect(answer).toBe(
      "已审核 2026 年度目标：省卫生健康委 11 项。\n以下单位未审核：\n· 省供销社：职能绩效目标不符合“1+6+N”要求（§6.2）：本级目标至少 6 项（现有 5 项）\n下一步：下达 <单位|全部>。",
    );
  });

  it("is for the office only", async () => {
    await onConsole(w.db, "jtt_officer");
    expect(await w.chat.say("jtt_officer", "审核 全部")).toContain("“审核”仅供目标办（领导小组办公室/目标部）使用");
  });
});

describe("re-importing after review", () => {
  it("sends a changed target back to 制定, so 下达 waits for its review", async () => {
    await w.db.target.updateMany({ where: { code: "GXS-07" }, data: { source: "local" } });
    const file = clone(provinceFile());
    setCell(file, "目标", targetRow(file, "JTT-02"), "目标要求", "按年度工作要点完成，年底前通过交通运输部验收");
    expect(textOf(await w.sendFile("mbb_zhang", file))).toContain("目标：新增 0 项，更新 1 项，无变化 32 项");
    expect(await w.chat.say("mbb_zhang", "下达 省交通运输厅")).toBe("贵州省交通运输厅的目标不能下达：尚有 1 项目标未审核（JTT-02），请先审核后一并下达。");
    expect(await w.chat.say("mbb_zhang", "审核 省交通运输厅")).toContain("省交通运输厅 1 项");
  });
});

describe("下达", () => {
  it("asks for confirmation and says which agencies will be left out", async () => {
    expect(await w.chat.say("mbb_zhang", "审核 省供销社")).toContain("省供销社 11 项");
    await w.db.target.updateMany({ where: { code: "GXS-07" }, data: { source: "superior" } });
    const question = await w.chat.say("mbb_zhang", "下达 全部");
    expect(question).toBe(
      [
        "将下达 2026 年度目标：省交通运输厅 11 项、省卫生健康委 11 项，共 22 项，并通知各单位目标办和责任人。",
        "以下单位暂不下达：",
        "· 省供销社：职能绩效目标不符合“1+6+N”要求（§6.2）：本级目标至少 6 项（现有 5 项）",
        "请回复“确认”执行，或回复“取消”。",
      ].join("\n"),
    );
    expect(await w.db.outboxMessage.count()).toBe(0);
  });

  it("issues on 确认 and notifies each officer and owner once, with their targets", async () => {
    const answer = await w.chat.say("mbb_zhang", "确认");
    expect(answer).toContain("已下达 2026 年度目标：省交通运输厅 11 项、省卫生健康委 11 项，已通知单位目标办和责任人共 6 人次。");
    expect(answer).toContain("· 省供销社：职能绩效目标不符合“1+6+N”要求");
    expect(await statuses("JTT-")).toEqual(new Set(["issued"]));
    expect(await statuses("GXS-")).toEqual(new Set(["reviewed"]));

    const outbox = await w.db.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(outbox.map((o) => o.recipient).sort()).toEqual(["wx_jtt_li", "wx_jtt_officer", "wx_jtt_wang", "wx_wjw_officer", "wx_wjw_wu", "wx_wjw_zhou"]);
    expect(new Set(outbox.map((o) => `${o.platform}:${o.status}`))).toEqual(new Set(["wecom:pending"]));

    const jtt = await w.db.target.findMany({ where: { code: { startsWith: "JTT-" } }, orderBy: { id: "asc" } });
    const officer = await w.db.user.findUniqueOrThrow({ where: { account: "jtt_officer" } });
    const toOfficer = outbox.find((o) => o.userId === officer.id)!;
    expect(toOfficer.idempotencyKey).toBe(`issued:${jtt.map((t) => t.id).join(",")}:${officer.id}`);
    const officerText = JSON.parse(toOfficer.payload).text as string;
    expect(officerText).toContain("【目标下达】省直机关目标绩效管理领导小组办公室已下达贵州省交通运输厅2026年度绩效目标 11 项（职能绩效目标 9 项、机关建设目标 2 项）：");
    expect(officerText).toContain("· JTT-09 基层党组织标准化规范化建设｜机关建设目标·组织建设｜完成时限 12月20日｜责任人 王敏");

    const li = await w.db.user.findUniqueOrThrow({ where: { account: "jtt_li" } });
    const toLi = outbox.find((o) => o.userId === li.id)!;
    const liTargets = jtt.filter((t) => ["JTT-03", "JTT-05", "JTT-07", "JTT-08"].includes(t.code));
    expect(toLi.idempotencyKey).toBe(`issued:${liTargets.map((t) => t.id).join(",")}:${li.id}`);
    const liText = JSON.parse(toLi.payload).text as string;
    expect(liText.split("\n")[0]).toBe("【目标下达】您负责的2026年度绩效目标已下达（4 项）：");
    expect(liText).toContain("· JTT-03 高速公路建设投资｜完成时限 12月20日｜季度节点：3月31日前25%，6月30日前50%，9月30日前75%，12月20日前100%");
    expect(liText).not.toContain("JTT-02");
  });

  it("records who issued and when, and does nothing the second time", async () => {
    const office = await w.db.user.findUniqueOrThrow({ where: { account: "mbb_zhang" } });
    const t = await w.db.target.findFirstOrThrow({ where: { code: "WJW-05" } });
    expect([t.issuedById, t.issuedAt?.getTime()]).toEqual([office.id, MARCH.getTime()]);
    expect(await w.chat.say("mbb_zhang", "下达 省交通运输厅")).toBe("贵州省交通运输厅的目标不能下达：没有已审核待下达的目标。");
    expect(await w.db.outboxMessage.count()).toBe(6);
  });

  it("refuses to issue one agency whose set breaks 1+6+N, before asking to confirm", async () => {
    expect(await w.chat.say("mbb_zhang", "下达 省供销社")).toBe(
      "贵州省供销合作社联合社的目标不能下达：职能绩效目标不符合“1+6+N”要求（§6.2）：本级目标至少 6 项（现有 5 项）。",
    );
    expect(await w.chat.say("mbb_zhang", "确认")).toContain("未识别的命令");
    expect(await statuses("GXS-")).toEqual(new Set(["reviewed"]));
  });

  it("lets owners see and report on their issued targets", async () => {
    await onConsole(w.db, "jtt_li");
    const mine = await w.chat.say("jtt_li", "我的目标");
    expect(mine).toContain("2026年度我负责的目标（4 项）");
    expect(mine).toContain("JTT-03 高速公路建设投资");
  });

  it("needs a scope", async () => {
    expect(await w.chat.say("mbb_zhang", "下达")).toBe(
      "请写明下达范围：单位名称（或简称、代码），或“全部”。发送“审核”可查看各单位目标状态。\n正确格式：下达 <单位|全部>",
    );
  });
});
