import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { beijingDate } from "../../src/domain/calendar/calendar.js";
import { LIGHT_EMOJI, targetLight } from "../../src/domain/care/warnings.js";
import { demoProvince } from "../helpers/province.js";

let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("lights");
  // One more target done, so the replies show all three colours and the counts move.
  await p.chat.say("fgw_zhao", "汇报 FGW-05 100 迎峰度冬保供方案全部落实");
  await p.chat.say("fgw_zhao", "确认");
});
afterAll(async () => p.db.$disconnect());

async function expectedLights(agencyCode: string, owner?: string) {
  const targets = await p.db.target.findMany({
    where: { agency: { code: agencyCode }, ...(owner ? { owners: { some: { user: { account: owner } } } } : {}) },
    include: { milestones: true },
    orderBy: { code: "asc" },
  });
  const today = beijingDate(p.clock.now());
  return new Map(targets.map((t) => [t.code, LIGHT_EMOJI[targetLight(t, today).light]]));
}

const lightOf = (answer: string, code: string) => new RegExp(`(🟢|🟡|🔴) ${code} `).exec(answer)?.[1];

describe("traffic lights in replies", () => {
  it("我的目标 shows each target's light, why it warns, and the legend", async () => {
    const answer = await p.chat.say("fgw_zhao", "我的目标");
    const expected = await expectedLights("FGW", "fgw_zhao");
    for (const [code, light] of expected) expect(lightOf(answer, code)).toBe(light);
    expect(new Set(expected.values())).toEqual(new Set(["🟢", "🟡", "🔴"]));
    expect(answer).toMatch(/🟡 FGW-01 .*｜预警：距完成时限（12月20日）还有30天，当前75%/);
    expect(answer).toContain("🟢 正常　🟡 预警（临近时限且进度落后）　🔴 逾期或未完成");
  });

  it("目标 shows the light of the target and of each milestone", async () => {
    const answer = await p.chat.say("fgw_zhao", "目标 FGW-01");
    expect(answer).toContain("状态：🟡 执行中（正常推进）");
    expect(answer).toContain("预警：距完成时限（12月20日）还有30天，当前75%");
    expect(answer).toMatch(/- 🟢 第一季度（3月31日 前达到 25%）/);
  });

  it("查询 shows lights and how many on-track targets warn", async () => {
    const answer = await p.chat.say("mbb_zhang", "查询 发改委");
    for (const [code, light] of await expectedLights("FGW")) expect(lightOf(answer, code)).toBe(light);
    expect(answer).toContain("已下达 10 项：正常推进 4（其中预警 4），逾期 4，已完成 2。");
  });

  it("统计 adds a 预警 column at the end that counts yellow on-track targets", async () => {
    const answer = await p.chat.say("mbb_zhang", "统计");
    expect(answer).toContain("| 单位 | 已下达 | 正常推进 | 逾期 | 已完成 | 预警 |");
    expect(answer).toContain("| 省发改委 | 10 | 4 | 4 | 2 | 4 |");
    expect(answer).toContain("| 省教育厅 | 10 | 5 | 4 | 1 | 5 |");
    expect(answer).toContain("| 合计 | 40 | 19 | 16 | 5 | 19 |");
    expect(answer).toContain("预警🟡：正常推进中临近时限且进度落后的目标");
  });
});
