import { createCipheriv } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { decrypt as wxDecrypt, encrypt as wxEncrypt, getSignature } from "@wecom/crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SimProtocolError, startWecomSimulator, type WecomSimulator } from "../../../simulators/wecom/server.js";

/** The simulator must refuse what WeCom refuses, or the bot's tests prove nothing. */

let sim: WecomSimulator;
let clock: number;

async function call(method: "GET" | "POST", api: string, query: Record<string, string>, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.baseUrl}/cgi-bin/${api}?${new URLSearchParams(query)}`, {
    method,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  return (await res.json()) as Record<string, unknown>;
}

async function token(): Promise<string> {
  const r = await call("GET", "gettoken", { corpid: sim.corpId, corpsecret: sim.secret });
  return r.access_token as string;
}

const send = async (body: Record<string, unknown>, t?: string) => call("POST", "message/send", { access_token: t ?? (await token()) }, { agentid: sim.agentId, ...body });

const buttonCard = (taskId: string) => ({
  touser: "zhangsan",
  msgtype: "template_card",
  template_card: { card_type: "button_interaction", main_title: { title: "汇报" }, task_id: taskId, button_list: [{ text: "提交", key: "submit" }] },
});

beforeEach(async () => {
  clock = Date.UTC(2026, 4, 20, 2);
  sim = await startWecomSimulator({ now: () => clock, users: ["zhangsan", "lisi"], callbackUrl: "http://127.0.0.1:9/unused" });
});
afterEach(() => sim.close());

describe("WeCom simulator: gettoken (doc 91039)", () => {
  it("checks corpid and secret", async () => {
    expect((await call("GET", "gettoken", { corpid: "nope", corpsecret: sim.secret })).errcode).toBe(40013);
    expect((await call("GET", "gettoken", { corpid: sim.corpId, corpsecret: "nope" })).errcode).toBe(40001);
  });

  it("hands out the same token while it is valid, and a new one once it expired", async () => {
    const a = await call("GET", "gettoken", { corpid: sim.corpId, corpsecret: sim.secret });
    expect(a).toMatchObject({ errcode: 0, expires_in: 7200 });
    clock += 1000_000;
    const b = await call("GET", "gettoken", { corpid: sim.corpId, corpsecret: sim.secret });
    expect(b.access_token).toBe(a.access_token);
    expect(b.expires_in).toBe(7200 - 1000);
    clock += 7200_000;
    expect((await send({ touser: "zhangsan", msgtype: "text", text: { content: "x" } }, a.access_token as string)).errcode).toBe(42001);
    expect(await token()).not.toBe(a.access_token);
  });

  it("answers 41001 / 40014 / 42001 for missing, invalidated and force-expired tokens", async () => {
    const t = await token();
    expect((await call("POST", "message/send", {}, {})).errcode).toBe(41001);
    sim.expireTokens();
    expect((await send({ touser: "zhangsan", msgtype: "text", text: { content: "x" } }, t)).errcode).toBe(42001);
    const t2 = await token();
    sim.invalidateTokens();
    expect((await send({ touser: "zhangsan", msgtype: "text", text: { content: "x" } }, t2)).errcode).toBe(40014);
  });
});

describe("WeCom simulator: message/send validation (doc 90236)", () => {
  it("accepts a valid text and shows it on the member's screen", async () => {
    const r = await send({ touser: "ZhangSan", msgtype: "text", text: { content: "你好" } });
    expect(r).toMatchObject({ errcode: 0, msgid: expect.any(String) });
    expect(sim.screen("zhangsan")).toEqual([expect.objectContaining({ via: "api", msgtype: "text", content: "你好" })]);
  });

  it.each([
    [{ agentid: undefined, touser: "zhangsan", msgtype: "text", text: { content: "x" } }, 40056],
    [{ agentid: "1000002", touser: "zhangsan", msgtype: "text", text: { content: "x" } }, 40056],
    [{ agentid: 1, touser: "zhangsan", msgtype: "text", text: { content: "x" } }, 301002],
    [{ touser: "zhangsan", msgtype: "sms", text: { content: "x" } }, 40008],
    [{ msgtype: "text", text: { content: "x" } }, 82001],
    [{ touser: ["zhangsan"], msgtype: "text", text: { content: "x" } }, 40058],
    [{ touser: "zhangsan", msgtype: "text", text: { content: "" } }, 44004],
    [{ touser: "zhangsan", msgtype: "markdown", markdown: { content: "字".repeat(700) } }, 45002],
    [{ touser: "zhangsan", msgtype: "file", file: { media_id: "nope" } }, 40007],
    [{ touser: "wangwu", msgtype: "text", text: { content: "x" } }, 81013],
  ])("refuses %j with errcode %i", async (body, errcode) => {
    const b = { ...body } as Record<string, unknown>;
    const r = await call("POST", "message/send", { access_token: await token() }, { agentid: sim.agentId, ...b, ...("agentid" in body ? { agentid: body.agentid } : {}) });
    expect(r.errcode).toBe(errcode);
  });

  it("truncates text beyond 2048 bytes silently, and records that it did", async () => {
    await send({ touser: "zhangsan", msgtype: "text", text: { content: "字".repeat(700) } });
    expect(sim.screen("zhangsan")[0]).toMatchObject({ truncated: true });
  });

  it("lists unknown recipients lower-cased but delivers to the rest", async () => {
    const r = await send({ touser: "zhangsan|WangWu", msgtype: "text", text: { content: "x" } });
    expect(r).toMatchObject({ errcode: 0, invaliduser: "wangwu" });
  });

  it("checks template cards per card_type and keeps task_id unique per app", async () => {
    expect(await send(buttonCard("t1"))).toMatchObject({ errcode: 0, response_code: expect.any(String) });
    expect((await send(buttonCard("t1"))).errcode).toBe(42014);
    expect((await send(buttonCard("bad:id"))).errcode).toBe(42014);
    expect((await send(buttonCard("x".repeat(129)))).errcode).toBe(42014);
    const noKey = buttonCard("t2");
    (noKey.template_card.button_list[0] as Record<string, unknown>).key = undefined;
    expect((await send(noKey)).errcode).toBe(42017);
    const noTitle = buttonCard("t3") as { template_card: Record<string, unknown> };
    noTitle.template_card.main_title = {};
    expect((await send(noTitle)).errcode).toBe(40058);
    const multiple = {
      touser: "zhangsan",
      msgtype: "template_card",
      template_card: { card_type: "multiple_interaction", main_title: { title: "t" }, task_id: "t4", select_list: [{ question_key: "p", option_list: [{ id: "1", text: "1" }] }] },
    };
    expect((await send(multiple)).errcode).toBe(40058); // no submit_button
    const notice = { touser: "zhangsan", msgtype: "template_card", template_card: { card_type: "text_notice", main_title: { title: "t" } } };
    expect((await send(notice)).errcode).toBe(40058); // no card_action
  });

  it("refuses interactive cards when the app has no callback URL", async () => {
    const bare = await startWecomSimulator();
    try {
      const t = (await (await fetch(`${bare.baseUrl}/cgi-bin/gettoken?corpid=${bare.corpId}&corpsecret=${bare.secret}`)).json()) as { access_token: string };
      const r = await fetch(`${bare.baseUrl}/cgi-bin/message/send?access_token=${t.access_token}`, { method: "POST", body: JSON.stringify({ agentid: bare.agentId, ...buttonCard("t1") }) });
      expect(((await r.json()) as { errcode: number }).errcode).toBe(40058);
    } finally {
      await bare.close();
    }
  });

  it("silently drops the 31st push to one member within a minute (doc 90312)", async () => {
    const t = await token();
    for (let i = 0; i < 31; i++) expect((await send({ touser: "lisi", msgtype: "text", text: { content: `n${i}` } }, t)).errcode).toBe(0);
    expect(sim.screen("lisi")).toHaveLength(30);
    expect(sim.dropped).toHaveLength(1);
    clock += 61_000;
    await send({ touser: "lisi", msgtype: "text", text: { content: "later" } }, t);
    expect(sim.screen("lisi")).toHaveLength(31);
  });
});

describe("WeCom simulator: update_template_card (doc 94888)", () => {
  it("uses each response_code once and greys out the member's button", async () => {
    const t = await token();
    const { response_code } = (await send(buttonCard("t1"), t)) as { response_code: string };
    const update = (body: Record<string, unknown>) => call("POST", "message/update_template_card", { access_token: t }, { agentid: sim.agentId, ...body });
    expect((await update({ userids: "zhangsan", response_code, button: { replace_name: "已提交" } })).errcode).toBe(40058);
    expect((await update({ userids: ["zhangsan"], response_code, button: { replace_name: "已提交" } })).errcode).toBe(0);
    expect(sim.cards.get("t1")?.replaced.get("zhangsan")).toBe("已提交");
    expect((await update({ userids: ["zhangsan"], response_code, button: { replace_name: "again" } })).errcode).toBe(40058);
    expect((await update({ userids: ["zhangsan"], response_code: "unknown", button: { replace_name: "x" } })).errcode).toBe(40058);
  });

  it("expires response codes after 72 hours", async () => {
    const t = await token();
    const { response_code } = (await send(buttonCard("t1"), t)) as { response_code: string };
    clock += 73 * 3600_000;
    const t2 = await token();
    const r = await call("POST", "message/update_template_card", { access_token: t2 }, { agentid: sim.agentId, userids: ["zhangsan"], response_code, button: { replace_name: "x" } });
    expect(r).toMatchObject({ errcode: 40058, errmsg: "response_code expired" });
  });
});

describe("WeCom simulator: media and faults", () => {
  it("uploads multipart media and serves it back with its file name", async () => {
    const t = await token();
    const form = new FormData();
    form.append("media", new Blob([Buffer.from("佐证材料内容")]), "佐证.txt");
    const up = (await (await fetch(`${sim.baseUrl}/cgi-bin/media/upload?access_token=${t}&type=file`, { method: "POST", body: form })).json()) as { media_id: string; errcode: number };
    expect(up.errcode).toBe(0);
    const res = await fetch(`${sim.baseUrl}/cgi-bin/media/get?access_token=${t}&media_id=${up.media_id}`);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe("佐证材料内容");
    expect(res.headers.get("content-disposition")).toContain(encodeURIComponent("佐证.txt"));
    expect((await call("GET", "media/get", { access_token: t, media_id: "nope" })).errcode).toBe(40007);
    const tiny = new FormData();
    tiny.append("media", new Blob([Buffer.from("abc")]), "a.txt");
    const r = (await (await fetch(`${sim.baseUrl}/cgi-bin/media/upload?access_token=${t}&type=file`, { method: "POST", body: tiny })).json()) as { errcode: number };
    expect(r.errcode).toBe(40006);
  });

  it("injects HTTP errors, errcodes and delays for the next N calls, and records everything", async () => {
    const t = await token();
    sim.fault({ status: 500, times: 2 });
    sim.fault({ errcode: 45009 });
    const text = { touser: "zhangsan", msgtype: "text", text: { content: "x" } };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${sim.baseUrl}/cgi-bin/message/send?access_token=${t}`, { method: "POST", body: JSON.stringify({ agentid: sim.agentId, ...text }) });
      statuses.push(res.status === 200 ? ((await res.json()) as { errcode: number }).errcode : res.status);
    }
    expect(statuses).toEqual([500, 500, 45009, 0]);
    sim.fault({ delayMs: 150 });
    const started = Date.now();
    expect((await send(text, t)).errcode).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(sim.sent("message/send").map((r) => r.fault)).toEqual([true, true, true, false, false]);
    expect(sim.sent("message/send")[3].body).toMatchObject({ touser: "zhangsan", msgtype: "text" });
  });
});

describe("WeCom simulator: the simulated member's callbacks (doc 90238)", () => {
  const official = { token: "QDG6eK", encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", corpId: "wx5823bf96d3bd56c7" };

  it("seals callbacks with the official algorithm (checked against the official sample key)", async () => {
    const s = await startWecomSimulator({ ...official, now: () => 1409659813_000 });
    try {
      const sealed = s.seal("hello");
      expect(sealed.timestamp).toBe("1409659813");
      expect(getSignature(official.token, sealed.timestamp, sealed.nonce, sealed.encrypt)).toBe(sealed.signature);
      expect(wxDecrypt(official.encodingAesKey, sealed.encrypt)).toMatchObject({ message: "hello", id: official.corpId });
      expect(s.seal("x", { badSignature: true }).signature).not.toBe(getSignature(official.token, sealed.timestamp, sealed.nonce, s.seal("x").encrypt));
    } finally {
      await s.close();
    }
  });

  it("re-sends a callback that is not answered 200, three attempts in all", async () => {
    let hits = 0;
    const bot = createServer((_req, res) => {
      hits += 1;
      res.statusCode = hits < 3 ? 503 : 200;
      res.end("");
    });
    await new Promise<void>((r) => bot.listen(0, "127.0.0.1", r));
    sim.setCallbackUrl(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/wecom/callback`);
    try {
      const r = await sim.sendText("zhangsan", "hi");
      expect(r.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
      expect(r.reply).toBeUndefined();
    } finally {
      bot.close();
    }
  });

  it("flags passive replies that are signed wrongly, sealed for another corp or addressed to someone else", async () => {
    let answer = "";
    const bot = createServer((_req, res) => res.end(answer));
    await new Promise<void>((r) => bot.listen(0, "127.0.0.1", r));
    sim.setCallbackUrl(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/wecom/callback`);
    const reply = (inner: string, corp = sim.corpId, badSig = false) => {
      const enc = wxEncrypt(sim.encodingAesKey, inner, corp);
      const sig = badSig ? "0".repeat(40) : getSignature(sim.token, "1", "2", enc);
      return `<xml><Encrypt><![CDATA[${enc}]]></Encrypt><MsgSignature><![CDATA[${sig}]]></MsgSignature><TimeStamp>1</TimeStamp><Nonce><![CDATA[2]]></Nonce></xml>`;
    };
    const text = (to: string) => `<xml><ToUserName><![CDATA[${to}]]></ToUserName><FromUserName><![CDATA[${sim.corpId}]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ok]]></Content></xml>`;
    try {
      answer = reply(text("zhangsan"));
      expect((await sim.sendText("zhangsan", "hi")).reply).toEqual({ msgType: "text", content: "ok" });
      answer = reply(text("zhangsan"), sim.corpId, true);
      await expect(sim.sendText("zhangsan", "hi")).rejects.toThrow(SimProtocolError);
      answer = reply(text("zhangsan"), "ww-other");
      await expect(sim.sendText("zhangsan", "hi")).rejects.toThrow(/receive id/);
      answer = reply(text("lisi"));
      await expect(sim.sendText("zhangsan", "hi")).rejects.toThrow(/addressed to lisi/);
      // Padded to 16 bytes only (what node's default PKCS#7 would produce): WeCom's block is 32.
      const key = Buffer.from(`${sim.encodingAesKey}=`, "base64");
      const c = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
      const sixteen = Buffer.concat([c.update(Buffer.alloc(40)), c.final()]).toString("base64");
      answer = `<xml><Encrypt><![CDATA[${sixteen}]]></Encrypt><MsgSignature><![CDATA[${getSignature(sim.token, "1", "2", sixteen)}]]></MsgSignature><TimeStamp>1</TimeStamp><Nonce><![CDATA[2]]></Nonce></xml>`;
      await expect(sim.sendText("zhangsan", "hi")).rejects.toThrow(/multiple of 32/);
    } finally {
      bot.close();
    }
  });

  it("refuses clicks a real client could not make", async () => {
    await send(buttonCard("t1"));
    await expect(sim.clickCard("zhangsan", "nope", "submit")).rejects.toThrow(/no card/);
    await expect(sim.clickCard("lisi", "t1", "submit")).rejects.toThrow(/not sent to lisi/);
    await expect(sim.clickCard("zhangsan", "t1", "other")).rejects.toThrow(/no key other/);
  });
});
