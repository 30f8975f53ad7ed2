import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDingtalkSimulator, type DingtalkSimulator } from "../../simulators/dingtalk/server.js";
import { startWecomSimulator, type WecomSimulator } from "../../simulators/wecom/server.js";

/**
 * The simulators' 通讯录 endpoints answer as the platforms document: the fields a self-built app gets
 * today, paging, and the error codes for an unknown department, missing permission and bad parameters.
 */
let wecom: WecomSimulator;
let dingtalk: DingtalkSimulator;

beforeAll(async () => {
  wecom = await startWecomSimulator({
    directory: {
      departments: [
        { id: 1, name: "贵州省人民政府", parentid: 0 },
        { id: 2, name: "贵州省交通运输厅", parentid: 1 },
        { id: 3, name: "综合处", parentid: 2 },
        { id: 9, name: "保密室", parentid: 1 },
      ],
      members: [{ userid: "WangQiang", name: "王强", department: [2, 9], mobile: "13800000002" }],
      hidden: [9],
    },
  });
  dingtalk = await startDingtalkSimulator({
    contacts: {
      departments: [{ dept_id: 10, name: "贵州省交通运输厅", parent_id: 1 }, { dept_id: 11, name: "综合处", parent_id: 10 }],
      users: Array.from({ length: 3 }, (_, i) => ({ userid: `u${i}`, name: `成员${i}`, dept_id_list: [10], mobile: `1380000000${i}` })),
    },
  });
});
afterAll(async () => {
  await wecom.close();
  await dingtalk.close();
});

async function wecomGet(api: string, query: Record<string, string>): Promise<Record<string, unknown>> {
  const token = (await (await fetch(`${wecom.baseUrl}/cgi-bin/gettoken?corpid=${wecom.corpId}&corpsecret=${wecom.secret}`)).json()) as { access_token: string };
  const qs = new URLSearchParams({ access_token: token.access_token, ...query });
  return (await (await fetch(`${wecom.baseUrl}/cgi-bin/${api}?${qs}`)).json()) as Record<string, unknown>;
}

async function dingtalkPost(path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const t =
    token ??
    ((await (await fetch(`${dingtalk.apiBase}/v1.0/oauth2/accessToken`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ appKey: dingtalk.appKey, appSecret: dingtalk.appSecret }) })).json()) as { accessToken: string }).accessToken;
  const res = await fetch(`${dingtalk.oapiBase}${path}?access_token=${t}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}

describe("the WeCom simulator's 通讯录 (docs 90208, 90201)", () => {
  it("lists only departments in the visible range, and a department's subtree by id", async () => {
    expect(((await wecomGet("department/list", {})).department as { id: number }[]).map((d) => d.id)).toEqual([1, 2, 3]);
    expect(((await wecomGet("department/list", { id: "2" })).department as { id: number }[]).map((d) => d.id)).toEqual([2, 3]);
  });

  it("returns members without mobile to a self-built app created after 2022-06-20", async () => {
    expect(await wecomGet("user/list", { department_id: "2" })).toMatchObject({ errcode: 0, userlist: [{ userid: "WangQiang", name: "王强", department: [2] }] });
    expect(JSON.stringify(await wecomGet("user/list", { department_id: "2" }))).not.toContain("mobile");
  });

  it("answers 60011 outside the visible range and 60003 for an unknown department", async () => {
    expect(await wecomGet("user/list", { department_id: "9" })).toMatchObject({ errcode: 60011 });
    expect(await wecomGet("department/list", { id: "77" })).toMatchObject({ errcode: 60003 });
  });
});

describe("the DingTalk simulator's contacts (topapi/v2)", () => {
  it("lists one level of sub-departments and pages users by cursor", async () => {
    expect(await dingtalkPost("/topapi/v2/department/listsub", { dept_id: 1 })).toMatchObject({ errcode: 0, result: [{ dept_id: 10, name: "贵州省交通运输厅", parent_id: 1 }] });
    const first = await dingtalkPost("/topapi/v2/user/list", { dept_id: 10, cursor: 0, size: 2 });
    expect(first).toMatchObject({ errcode: 0, result: { has_more: true, next_cursor: 2, list: [{ userid: "u0" }, { userid: "u1" }] } });
    expect(JSON.stringify(first)).not.toContain("mobile");
    expect(await dingtalkPost("/topapi/v2/user/list", { dept_id: 10, cursor: 2, size: 2 })).toMatchObject({ result: { has_more: false, list: [{ userid: "u2" }] } });
  });

  it("answers 60003, 400002, a bad token and a missing permission as DingTalk does", async () => {
    expect(await dingtalkPost("/topapi/v2/department/listsub", { dept_id: 404 })).toMatchObject({ errcode: 60003 });
    expect(await dingtalkPost("/topapi/v2/user/list", { dept_id: 10, cursor: 0, size: 101 })).toMatchObject({ errcode: 400002 });
    expect(await dingtalkPost("/topapi/v2/user/list", { dept_id: 10, cursor: 0, size: 10 }, "forged")).toMatchObject({ errcode: 40014 });
    dingtalk.setContacts({ departments: [], users: [], permissions: { departments: false } });
    expect(await dingtalkPost("/topapi/v2/department/listsub", { dept_id: 1 })).toMatchObject({ errcode: 88, sub_code: "60011" });
  });
});
