import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoProvince } from "../helpers/province.js";

let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("roles");
});
afterAll(async () => p.db.$disconnect());

/**
 * The role matrix (DESIGN.md §1): for each role, a command it may use answers, and one it may not is
 * refused with the reason. `allowed` is decided by the text of the answer, never by a shortcut.
 */
const MATRIX: [account: string, command: string, allowed: boolean][] = [
  ["fgw_zhao", "我的目标", true],
  ["fgw_zhao", "目标 FGW-01", true],
  ["fgw_zhao", "目标 FGW-02", true], // same agency: visible, not reportable
  ["fgw_zhao", "目标 JYT-01", false],
  ["fgw_zhao", "台账 FGW-02", true],
  ["fgw_zhao", "台账 NYT-01", false],
  ["fgw_zhao", "统计", false],
  ["fgw_zhao", "查询 教育厅", false],
  ["fgw_zhao", "申诉列表", false],
  ["fgw_zhao", "负面清单", false],
  ["fgw_officer", "我的目标", true],
  ["fgw_officer", "负面清单", true],
  ["fgw_officer", "逾期", true],
  ["fgw_officer", "目标 SWJ-02", false],
  ["fgw_officer", "统计", false],
  ["fgw_officer", "受理 1 同意 理由充分", false],
  ["fgw_head", "我的目标", true],
  ["fgw_head", "负面清单", true],
  ["fgw_head", "目标 FGW-04", true],
  ["fgw_head", "台账 JYT-04", false],
  ["fgw_head", "回复 1 答复", false],
  ["mbb_zhang", "统计", true],
  ["mbb_zhang", "查询 文物局", true],
  ["mbb_zhang", "目标 JYT-04", true],
  ["mbb_zhang", "台账 SWJ-02", true],
  ["mbb_zhang", "申诉列表", true],
  ["mbb_zhang", "汇报 FGW-01 50 目标办不应汇报", false],
  ["mbb_zhang", "沟通 目标办不向自己提问", false],
  ["dsf_wang", "统计", true],
  ["dsf_wang", "目标 NYT-03", true],
  ["dsf_wang", "汇报 NYT-03 50 第三方不汇报", false],
  ["dsf_wang", "受理 1 同意 第三方不受理", false],
];

const REFUSED = /仅供|无权|只能查看本单位|不能汇报|您的角色不能/;

describe("who may do what", () => {
  it.each(MATRIX)("%s: %s → allowed=%s", async (account, command, allowed) => {
    const answer = await p.chat.say(account, command);
    if (allowed) expect(answer).not.toMatch(REFUSED);
    else expect(answer).toMatch(REFUSED);
  });

  it("staff see only the targets they own in 我的目标", async () => {
    const answer = await p.chat.say("fgw_zhao", "我的目标");
    const codes = [...answer.matchAll(/FGW-\d\d/g)].map((m) => m[0]);
    const owned = await p.db.target.findMany({ where: { owners: { some: { user: { account: "fgw_zhao" } } } }, select: { code: true } });
    expect(new Set(codes)).toEqual(new Set(owned.map((t) => t.code)));
  });

  it("heads see their whole agency in 我的目标", async () => {
    const answer = await p.chat.say("fgw_head", "我的目标");
    expect(answer).toContain("本单位目标（10 项）");
  });
});

describe("帮助 and commands not understood", () => {
  it("lists by group only the command names the role may use", async () => {
    const staff = await p.chat.say("fgw_zhao", "帮助");
    expect(staff).toContain("目标与汇报：我的目标、目标、汇报、佐证、台账");
    expect(staff).not.toContain("统计");
    expect(staff).not.toContain("代报");
    const office = await p.chat.say("mbb_zhang", "帮助");
    expect(office).toContain("负面清单与申诉：负面清单、申诉列表、受理");
    expect(office).not.toContain("我的目标");
  });

  it("帮助 <命令> gives the form this role may use: a unit officer may register leave for others, staff only for themselves", async () => {
    expect(await p.chat.say("fgw_officer", "帮助 请假")).toContain("单位目标办为他人登记");
    const staff = await p.chat.say("fgw_zhao", "帮助 请假");
    expect(staff).toContain("用法：请假 <开始日期> 至 <结束日期> [代理人]");
    expect(staff).not.toContain("为他人");
    expect(await p.chat.say("fgw_head", "帮助 导出")).toContain("用法：导出 台账 | 负面清单 <季度>");
    expect(await p.chat.say("mbb_zhang", "帮助 导出")).toContain("用法：导出 台账 [单位] | 负面清单 <季度> | 统计 | 模板");
  });

  it("explains one command with an example", async () => {
    const answer = await p.chat.say("fgw_zhao", "帮助 汇报");
    expect(answer).toContain("示例：汇报 FGW-03 60");
    expect(answer).toContain("也可输入：上报");
  });

  it("answers an alias like the command", async () => {
    expect(await p.chat.say("fgw_zhao", "上报 FGW-01 92 通过别名汇报")).toContain("已记入台账：FGW-01");
  });

  it("suggests the nearest command for a near miss", async () => {
    const answer = await p.chat.say("fgw_zhao", "汇保 FGW-01 50 错别字");
    expect(answer).toContain("您是不是要输入“汇报”");
    expect(answer).toContain("用法：汇报 <目标编号>");
  });

  it("does not suggest a command the role may not use", async () => {
    expect(await p.chat.say("fgw_zhao", "统记")).not.toContain("您是不是要输入");
  });

  it("says plainly when nothing matches", async () => {
    const answer = await p.chat.say("fgw_zhao", "今天天气怎么样");
    expect(answer).toContain("未识别的命令“今天天气怎么样”");
    expect(answer).toContain("· 我的目标");
    expect(answer).toContain("回复“帮助”查看您可以使用的全部命令");
  });

  it("tells an unregistered person how to get access", async () => {
    expect(await p.chat.say("stranger", "帮助")).toContain("尚未在目标绩效管理系统中登记");
  });

  it("refuses a deactivated account", async () => {
    await p.db.user.update({ where: { account: "swj_yang" }, data: { active: false } });
    expect(await p.chat.say("swj_yang", "我的目标")).toContain("账号已停用");
  });

  it("shows the right form when an argument is missing", async () => {
    expect(await p.chat.say("fgw_zhao", "目标")).toContain("正确格式：目标 <目标编号>");
    expect(await p.chat.say("fgw_zhao", "台账")).toContain("正确格式：台账 <目标编号>");
  });
});
