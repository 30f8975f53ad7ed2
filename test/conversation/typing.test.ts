import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isConfirmation, normalizeCommandText, parseQuarterText } from "../../src/conversation/normalize.js";
import { DEMO_NOW, demoProvince } from "../helpers/province.js";

let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("typing");
});
afterAll(async () => p.db.$disconnect());

/** What a newcomer types on a phone's Chinese keyboard is understood as the command it means. */
describe("commands as people type them", () => {
  it("汇报：FGW-01，60，… with a Chinese colon and commas reports, and the note keeps its own commas", async () => {
    const answer = await p.chat.say("fgw_zhao", "汇报：FGW-01，60，已完成初稿，正在征求意见");
    expect(answer).toContain("已记入台账：FGW-01");
    const last = await p.db.progressReport.findFirstOrThrow({ where: { target: { code: "FGW-01" } }, orderBy: { id: "desc" } });
    expect(last.progress).toBe(60);
    expect(last.note).toBe("已完成初稿，正在征求意见");
  });

  it("full-width letters and digits, and a code without its dash (FGW01), name the same target", async () => {
    expect(await p.chat.say("fgw_zhao", "目标 ＦＧＷ－０１")).toContain("FGW-01");
    expect(await p.chat.say("fgw_zhao", "目标 FGW01")).toContain("FGW-01");
    expect(await p.chat.say("fgw_zhao", "目标 fgw01")).toContain("FGW-01");
  });

  it.each(["好的", "对", "可以", "好的。"])("“%s” confirms a 100%% report like “确认”", async (yes) => {
    const asked = await p.chat.say("fgw_zhao", "汇报 FGW-01 100 已全部完成");
    expect(asked).toContain("确认");
    expect(await p.chat.say("fgw_zhao", yes)).toContain("已记入台账：FGW-01");
    await p.db.target.update({ where: { cycleId_code: { cycleId: (await p.db.cycle.findFirstOrThrow()).id, code: "FGW-01" } }, data: { status: "in_progress", progress: 60 } });
  });

  it.each(["2026Q3", "Q3", "三季度", "第三季度", "2026年第三季度", "2026 Q3"])("负面清单 %s is the third quarter of 2026", async (quarter) => {
    const answer = await p.chat.say("fgw_head", `负面清单 ${quarter}`);
    expect(answer).toContain("2026年第三季度");
  });

  it("负面清单 2026Q3 <单位> shows the office that agency's list, without the appeal buttons", async () => {
    const answer = await p.chat.say("mbb_zhang", "负面清单 2026Q3 发改委");
    expect(answer).toContain("2026年第三季度");
    expect(answer).toContain("发展和改革委员会");
    expect(p.chat.last.some((r) => r.kind === "card")).toBe(false);
  });

  it("a unit user cannot name another agency after the quarter", async () => {
    expect(await p.chat.say("fgw_head", "负面清单 2026Q3 教育厅")).toContain("无法识别季度");
  });
});

describe("normalisation rules", () => {
  const isCommand = (w: string) => ["汇报", "目标", "负面清单"].some((c) => w.startsWith(c));
  it("reads colons and commas after the command and its coded arguments as spaces, up to the free text", () => {
    expect(normalizeCommandText("汇报：FGW-09，60，已完成，待审", isCommand)).toBe("汇报 FGW-09 60 已完成，待审");
    expect(normalizeCommandText("/汇报 ＦＧＷ－０９　６０ 已完成", isCommand)).toBe("汇报 FGW-09 60 已完成");
  });
  it("keeps a link whole", () => {
    expect(normalizeCommandText("佐证 FGW-05 https://oa.gz.gov.cn/a,b 方案", (w) => w === "佐证")).toBe("佐证 FGW-05 https://oa.gz.gov.cn/a,b 方案");
    expect(normalizeCommandText("汇报:FGW-09，60，已完成", isCommand)).toBe("汇报 FGW-09 60 已完成");
  });
  it("leaves a free-text answer in a dialog as typed", () => {
    expect(normalizeCommandText("进度正常，继续推进", isCommand)).toBe("进度正常，继续推进");
  });
  it("accepts the usual ways of saying yes, and nothing else", () => {
    for (const yes of ["确认", "好的", "对", "可以", "OK", "是的！"]) expect(isConfirmation(yes)).toBe(true);
    for (const no of ["不", "取消", "好的不过再等等"]) expect(isConfirmation(no)).toBe(false);
  });
  it("reads quarters with and without a year", () => {
    expect(parseQuarterText("Q1", DEMO_NOW)).toEqual({ year: 2026, quarter: 1 });
    expect(parseQuarterText("四季度", DEMO_NOW)).toEqual({ year: 2026, quarter: 4 });
    expect(parseQuarterText("2025年Q2", DEMO_NOW)).toEqual({ year: 2025, quarter: 2 });
    expect(parseQuarterText("Q5", DEMO_NOW)).toBeNull();
  });
});
