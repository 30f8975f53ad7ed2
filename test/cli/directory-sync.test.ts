import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDingtalkSimulator, type DingtalkSimulator, type SimUser } from "../../simulators/dingtalk/server.js";
import { startWecomSimulator, type WecomSimulator } from "../../simulators/wecom/server.js";
import type { Db } from "../../src/infra/db.js";
import { freshDb } from "../helpers/db.js";

/**
 * `npm run cli -- directory sync wecom|dingtalk [--dry-run]` as an operator runs it, against the two
 * platform simulators over real HTTP: members are matched to imported people by mobile where the
 * platform returns it, else by name inside the agency named like their department.
 */
let db: Db;
let dbUrl: string;
let wecom: WecomSimulator;
let dingtalk: DingtalkSimulator;

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl,
    LOG_LEVEL: "silent",
    ...wecom.env(),
    DINGTALK_APP_KEY: dingtalk.appKey,
    DINGTALK_APP_SECRET: dingtalk.appSecret,
    DINGTALK_ROBOT_CODE: dingtalk.robotCode,
    DINGTALK_API_BASE: dingtalk.apiBase,
    DINGTALK_OAPI_BASE: dingtalk.oapiBase,
  };
  // Asynchronous: the simulators answer from this same process while the CLI runs.
  return new Promise((resolve) => {
    const child = spawn("npx", ["tsx", "src/cli/main.ts", ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const bindings = async (platform: string) =>
  (await db.platformIdentity.findMany({ where: { platform }, include: { user: true }, orderBy: { externalId: "asc" } })).map((i) => `${i.externalId}→${i.user.account}`);

beforeAll(async () => {
  ({ db, url: dbUrl } = await freshDb("directory-sync"));
  const jtt = await db.agency.create({ data: { code: "JTT", name: "贵州省交通运输厅", shortName: "省交通运输厅", managementType: "direct" } });
  const wjw = await db.agency.create({ data: { code: "WJW", name: "贵州省卫生健康委员会", shortName: "省卫生健康委", managementType: "direct" } });
  const person = (account: string, name: string, role: string, agencyId: number | null, mobile: string | null = null) => ({ account, name, role, agencyId, mobile });
  await db.user.createMany({
    data: [
      person("jtt_wang", "王强", "staff", jtt.id),
      person("jtt_li", "李娜", "staff", jtt.id),
      person("jtt_li2", "李娜", "officer", jtt.id),
      person("wjw_zhou", "周涛", "staff", wjw.id),
      person("wjw_wu", "吴琳", "staff", wjw.id),
      person("mbb_wang", "王明", "office", null, "13800000001"),
    ],
  });
  const wu = await db.user.findUniqueOrThrow({ where: { account: "wjw_wu" } });
  await db.platformIdentity.create({ data: { platform: "wecom", externalId: "WuLin", userId: wu.id } });
  // A former 王强 of the same agency, disabled: keeps his DingTalk account and is never matched.
  const old = await db.user.create({ data: { account: "jtt_old", name: "王强", role: "staff", agencyId: jtt.id, active: false } });
  await db.platformIdentity.create({ data: { platform: "dingtalk", externalId: "dt-old", userId: old.id } });

  wecom = await startWecomSimulator({
    directory: {
      departments: [
        { id: 1, name: "贵州省人民政府", parentid: 0 },
        { id: 2, name: "贵州省交通运输厅", parentid: 1 },
        { id: 3, name: "省卫生健康委", parentid: 1 },
        { id: 5, name: "办公厅", parentid: 1 },
      ],
      members: [
        { userid: "WangQiang", name: "王强", department: [2] },
        { userid: "LiNa", name: "李娜", department: [2] },
        { userid: "ZhouTao", name: "周涛", department: [3, 5] },
        { userid: "WuLin", name: "吴琳", department: [3] },
        { userid: "WuLin2", name: "吴琳", department: [3] },
        { userid: "WangMing", name: "王明", department: [5], mobile: "13800000001" },
      ],
    },
  });
  const fillers: SimUser[] = Array.from({ length: 101 }, (_, i) => ({ userid: `dt-temp-${i}`, name: `外聘${i}`, dept_id_list: [30] }));
  dingtalk = await startDingtalkSimulator({
    contacts: {
      departments: [
        { dept_id: 10, name: "贵州省交通运输厅", parent_id: 1 },
        { dept_id: 11, name: "科技处", parent_id: 10 },
        { dept_id: 20, name: "省卫生健康委", parent_id: 1 },
        { dept_id: 30, name: "外聘人员", parent_id: 11 },
      ],
      users: [
        { userid: "dt-wang", name: "王强", dept_id_list: [10] },
        { userid: "dt-old", name: "王强", dept_id_list: [10] },
        { userid: "dt-li", name: "李娜", dept_id_list: [10] },
        { userid: "dt-mbb", name: "王明", dept_id_list: [1], mobile: "+86 13800000001" },
        { userid: "dt-zhou", name: "周涛", dept_id_list: [11], mobile: "13800000009" },
        { userid: "dt-wu1", name: "吴琳", dept_id_list: [20] },
        { userid: "dt-wu2", name: "吴琳", dept_id_list: [20] },
        ...fillers,
      ],
      permissions: { departments: true, members: true, mobile: true },
    },
  });
}, 60_000);
afterAll(async () => {
  await db.$disconnect();
  await wecom.close();
  await dingtalk.close();
});

describe("directory sync wecom", { timeout: 240_000 }, () => {
  it("previews with --dry-run and writes nothing", async () => {
    const before = await bindings("wecom");
    const run = await cli(["directory", "sync", "wecom", "--dry-run"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("【预演，未写入】企业微信通讯录：部门 4 个，成员 6 人。");
    expect(run.stdout).toContain("将绑定 2 人：");
    expect(await bindings("wecom")).toEqual(before);
    expect(wecom.sent("department/list")).toHaveLength(1);
    expect(wecom.sent("user/list").map((r) => r.query.department_id)).toEqual(["1", "2", "3", "5"]);
  });

  it("binds what is unambiguous, says mobile was not returned, and lists the rest in Chinese", async () => {
    const run = await cli(["directory", "sync", "wecom"]);
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain("说明：企业微信未返回成员手机号（2022年6月20日后创建的自建应用不再返回），本次按“部门名称 = 单位全称或简称”内的姓名匹配。");
    expect(out).toContain("已绑定 2 人：\n  - 王强（企业微信 WangQiang，部门 贵州省交通运输厅） → 王强（账号 jtt_wang）\n  - 周涛（企业微信 ZhouTao，部门 省卫生健康委、办公厅） → 周涛（账号 wjw_zhou）");
    expect(out).toContain("此前已绑定，未改动 1 人：\n  - WuLin → 吴琳（账号 wjw_wu）");
    expect(out).toContain("对应人员已绑定其他账号，未改动 1 人：\n  - 吴琳（企业微信 WuLin2，部门 省卫生健康委）：吴琳（wjw_wu）已绑定企业微信账号 WuLin，未改动");
    expect(out).toContain("有歧义，未绑定 1 人：\n  - 李娜（企业微信 LiNa，部门 贵州省交通运输厅）：贵州省交通运输厅有 2 名同名人员（jtt_li、jtt_li2）");
    expect(out).toContain("未匹配 1 人：\n  - 王明（企业微信 WangMing，部门 办公厅）：所在部门（办公厅）与系统中单位的全称、简称都不相同");
    expect(out).toContain("系统中尚未绑定企业微信账号的人员 3 人：李娜（jtt_li，省交通运输厅）、李娜（jtt_li2，省交通运输厅）、王明（mbb_wang，省级）。");
    expect(out).toContain("请在目标任务分解表“人员”表的“企业微信账号”列填写后导入，或执行 npm run cli -- user bind <账号> wecom <企业微信账号>");
    expect(await bindings("wecom")).toEqual(["WangQiang→jtt_wang", "WuLin→wjw_wu", "ZhouTao→wjw_zhou"]);
  });

  it("changes nothing when run again", async () => {
    const run = await cli(["directory", "sync", "wecom"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("此前已绑定，未改动 3 人：");
    expect(run.stdout).toContain("本次没有新的绑定，未作任何修改。");
    expect(await bindings("wecom")).toEqual(["WangQiang→jtt_wang", "WuLin→wjw_wu", "ZhouTao→wjw_zhou"]);
  });

  it("explains WeCom's 60011 when a department is outside the app's visible range", async () => {
    // An app whose visible range holds no department is refused the list itself.
    wecom.fault({ api: "department/list", errcode: 60011, errmsg: "no privilege to access/modify contact/party/agent" });
    const run = await cli(["directory", "sync", "wecom"]);
    expect(run.status).toBe(69);
    expect(run.stderr).toContain("企业微信拒绝读取通讯录（60011：应用无权查看该部门或成员）。请管理员在管理后台 → 应用管理 → 本应用 → 可见范围 中加入各单位所在的部门。");
  });
});

describe("directory sync dingtalk", { timeout: 240_000 }, () => {
  it("matches by mobile where DingTalk returns it, by name otherwise, and never binds a person two members claim", async () => {
    const dry = await cli(["directory", "sync", "dingtalk", "--dry-run"]);
    expect(dry.status).toBe(0);
    expect(await bindings("dingtalk")).toEqual(["dt-old→jtt_old"]);
    const run = await cli(["directory", "sync", "dingtalk"]);
    expect(run.status).toBe(0);
    const out = run.stdout;
    // 108 members over two pages of the 外聘人员 department (at most 100 a page) and three levels of departments.
    expect(out).toContain("钉钉通讯录：部门 4 个，成员 108 人。");
    expect(out).not.toContain("未返回成员手机号");
    expect(out).toContain("已绑定 2 人：\n  - 王明（钉钉 dt-mbb，部门 无） → 王明（账号 mbb_wang）\n  - 王强（钉钉 dt-wang，部门 贵州省交通运输厅） → 王强（账号 jtt_wang）");
    expect(out).toContain("此前已绑定，未改动 1 人：\n  - dt-old → 王强（账号 jtt_old）");
    expect(out).toContain("  - 吴琳（钉钉 dt-wu1，部门 省卫生健康委）：与 吴琳（dt-wu2） 同时对应 吴琳（wjw_wu）");
    expect(out).toContain("  - 李娜（钉钉 dt-li，部门 贵州省交通运输厅）：贵州省交通运输厅有 2 名同名人员（jtt_li、jtt_li2）");
    expect(out).toContain("  - 周涛（钉钉 dt-zhou，部门 科技处）：所在部门（科技处）与系统中单位的全称、简称都不相同");
    expect(await bindings("dingtalk")).toEqual(["dt-mbb→mbb_wang", "dt-old→jtt_old", "dt-wang→jtt_wang"]);
    const again = await cli(["directory", "sync", "dingtalk"]);
    expect(again.stdout).toContain("本次没有新的绑定，未作任何修改。");
    expect(await bindings("dingtalk")).toEqual(["dt-mbb→mbb_wang", "dt-old→jtt_old", "dt-wang→jtt_wang"]);
  });

  it("says which permission to grant when DingTalk refuses the member list", async () => {
    dingtalk.setContacts({ departments: [], users: [], permissions: { members: false } });
    const run = await cli(["directory", "sync", "dingtalk"]);
    expect(run.status).toBe(69);
    expect(run.stderr).toContain("请在开发者后台 → 本应用 → 权限管理 中开通“通讯录部门信息读权限”和“通讯录部门成员读权限”");
  });

  it("refuses a wrong form with the usage", async () => {
    const run = await cli(["directory", "sync", "feishu"]);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain("用法：npm run cli -- directory sync wecom|dingtalk [--dry-run]");
  });
});
