import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WecomApiClient, WecomApiError } from "../../../src/channels/wecom/api.js";
import { MemoryResponseCodes } from "../../../src/channels/wecom/response-codes.js";
import { WecomSender } from "../../../src/channels/wecom/sender.js";
import type { Card } from "../../../src/messages/reply.js";
import { FixedClock } from "../../../src/infra/clock.js";
import { createLogger } from "../../../src/infra/logger.js";
import { startWecomSimulator, type WecomSimulator } from "../../../simulators/wecom/server.js";

/** The API client and sender on loopback against the simulator: no mocks of the code under test. */

const START = new Date("2026-05-20T02:00:00Z");
let sim: WecomSimulator;
let clock: FixedClock;
let logLines: string[];

function client(opts: { baseUrl?: string; timeoutMs?: number; secret?: string } = {}): WecomApiClient {
  const log = createLogger("debug", { write: (s: string) => void logLines.push(s) });
  return new WecomApiClient({ baseUrl: opts.baseUrl ?? sim.baseUrl, corpId: sim.corpId, secret: opts.secret ?? sim.secret, agentId: sim.agentId, clock, log, timeoutMs: opts.timeoutMs });
}

function sender(api = client()): WecomSender {
  const log = createLogger("debug", { write: (s: string) => void logLines.push(s) });
  return new WecomSender(api, new MemoryResponseCodes(clock), log);
}

const meta = { idempotencyKey: "test:1" };
const text = { kind: "text" as const, text: "请于6月30日前汇报 FGW-03 进度" };
const card: Card = {
  key: "report-FGW-03",
  title: "FGW-03 进度汇报",
  fields: [{ label: "截止", value: "2026-06-30" }],
  actions: [
    { key: "done", label: "已完成", style: "primary", command: "汇报 FGW-03 100%" },
    { key: "later", label: "稍后", command: "取消" },
  ],
};

beforeEach(async () => {
  clock = new FixedClock(START);
  logLines = [];
  // The simulator follows the same clock, so token lifetimes line up.
  sim = await startWecomSimulator({ now: () => clock.now().getTime(), users: ["zhangsan", "lisi"], callbackUrl: "http://127.0.0.1:9/wecom/callback" });
});
afterEach(() => sim.close());

describe("WeCom API client: access token (doc 91039)", () => {
  it("fetches one token for many calls, shared by concurrent callers", async () => {
    const s = sender();
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => s.send("zhangsan", text, meta)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sim.sent("gettoken")).toHaveLength(1);
    expect(sim.sent("message/send")).toHaveLength(5);
  });

  it("refreshes 5 minutes before expires_in runs out", async () => {
    const api = client();
    const first = await api.getAccessToken();
    clock.advance((7200 - 301) * 1000);
    expect(await api.getAccessToken()).toBe(first);
    expect(sim.sent("gettoken")).toHaveLength(1);
    clock.advance(2000);
    await api.getAccessToken();
    expect(sim.sent("gettoken")).toHaveLength(2);
  });

  it("on 42001 (expired) fetches a new token once and retries the call", async () => {
    const s = sender();
    await s.send("zhangsan", text, meta);
    sim.expireTokens();
    expect(await s.send("zhangsan", text, meta)).toMatchObject({ ok: true });
    expect(sim.sent("message/send").map((r) => (r.response as { errcode: number }).errcode)).toEqual([0, 42001, 0]);
    expect(sim.sent("gettoken")).toHaveLength(2);
  });

  it("on 40014 (invalidated early) does the same", async () => {
    const s = sender();
    await s.send("zhangsan", text, meta);
    sim.invalidateTokens();
    expect(await s.send("zhangsan", text, meta)).toMatchObject({ ok: true });
    expect(sim.sent("gettoken")).toHaveLength(2);
  });

  it("retries only once: a token refused twice becomes a retryable failure", async () => {
    const s = sender();
    await s.send("zhangsan", text, meta);
    sim.fault({ api: "message/send", errcode: 40014, times: 2 });
    expect(await s.send("zhangsan", text, meta)).toMatchObject({ ok: false, kind: "retryable", code: 40014 });
    expect(sim.sent("message/send")).toHaveLength(3);
  });

  it("reports a wrong secret as a WecomApiError with an operator hint, without logging the secret", async () => {
    const api = client({ secret: "wrong-secret-value" });
    await expect(api.getAccessToken()).rejects.toMatchObject({ name: "WecomApiError", errcode: 40001 });
    const log = logLines.join("\n");
    expect(log).toContain("WECOM_SECRET");
    expect(log).not.toContain("wrong-secret-value");
  });
});

describe("WeCom sender: rendering and delivery (doc 90236)", () => {
  it("sends text, markdown, cards, card updates and files as WeCom expects them", async () => {
    const s = sender();
    expect(await s.send("zhangsan", text, meta)).toMatchObject({ ok: true, platformMessageId: expect.any(String) });
    expect(await s.send("zhangsan", { kind: "markdown", title: "负面清单", text: "- FGW-03 未完成" }, meta)).toMatchObject({ ok: true });
    expect(await s.send("zhangsan", { kind: "card", card }, meta)).toMatchObject({ ok: true });
    expect(await s.send("zhangsan", { kind: "card-update", cardKey: card.key, status: "已汇报" }, meta)).toMatchObject({ ok: true });
    const file = { kind: "file" as const, fileName: "2026年一季度负面清单.xlsx", base64: Buffer.from("xlsx-bytes-here").toString("base64"), caption: "请查收" };
    expect(await s.send("zhangsan", file, meta)).toMatchObject({ ok: true });

    const screen = sim.screen("zhangsan");
    expect(screen.map((i) => i.msgtype)).toEqual(["text", "markdown", "template_card", "file", "text"]);
    expect(screen[1].content).toBe("### 负面清单\n- FGW-03 未完成");
    expect(screen[2].card).toMatchObject({ card_type: "button_interaction", task_id: "report-FGW-03" });
    expect(sim.cards.get("report-FGW-03")?.replaced.get("zhangsan")).toBe("已汇报");
    const media = sim.media.get(screen[3].mediaId!);
    expect(media).toMatchObject({ fileName: "2026年一季度负面清单.xlsx" });
    expect(media?.data.toString()).toBe("xlsx-bytes-here");
  });

  it("cannot update a card twice with one response_code, and says so as a permanent failure", async () => {
    const s = sender();
    await s.send("zhangsan", { kind: "card", card }, meta);
    await s.send("zhangsan", { kind: "card-update", cardKey: card.key, status: "已汇报" }, meta);
    expect(await s.send("zhangsan", { kind: "card-update", cardKey: card.key, status: "again" }, meta)).toMatchObject({ ok: false, kind: "permanent", code: "no_response_code" });
  });

  it("downloads media with its file name", async () => {
    const id = sim.putMedia(Buffer.from("evidence"), "现场照片.jpg", "image/jpeg");
    const f = await client().getMedia(id);
    expect(f).toMatchObject({ fileName: "现场照片.jpg", contentType: "image/jpeg" });
    expect(f.data.toString()).toBe("evidence");
    await expect(client().getMedia("nope")).rejects.toMatchObject({ errcode: 40007 });
  });
});

describe("WeCom sender: typed failures for the outbox (doc 90313)", () => {
  it.each([
    [{ errcode: 45009 }, "rate_limited", 45009],
    [{ errcode: 45033 }, "rate_limited", 45033],
    [{ status: 429 }, "rate_limited", 429],
    [{ status: 500 }, "retryable", 500],
    [{ status: 503 }, "retryable", 503],
    [{ errcode: -1 }, "retryable", -1],
    [{ errcode: 60020 }, "permanent", 60020],
    [{ errcode: 40003 }, "permanent", 40003],
    [{ status: 404 }, "permanent", 404],
  ])("maps %j to %s", async (fault, kind, code) => {
    const s = sender();
    sim.fault({ api: "message/send", ...fault });
    expect(await s.send("zhangsan", text, meta)).toMatchObject({ ok: false, kind, code });
  });

  it("maps all-invalid recipients (81013) to permanent", async () => {
    expect(await sender().send("wangwu", text, meta)).toMatchObject({ ok: false, kind: "permanent", code: 81013 });
  });

  it("maps timeouts and refused connections to retryable", async () => {
    sim.fault({ api: "message/send", delayMs: 500 });
    const slow = sender(client({ timeoutMs: 100 }));
    expect(await slow.send("zhangsan", text, meta)).toMatchObject({ ok: false, kind: "retryable" });
    const closed = sender(client({ baseUrl: "http://127.0.0.1:9" }));
    expect(await closed.send("zhangsan", text, meta)).toMatchObject({ ok: false, kind: "retryable" });
  });

  it("maps a card WeCom cannot carry to permanent without calling the API", async () => {
    const bad: Card = { ...card, actions: [] };
    expect(await sender().send("zhangsan", { kind: "card", card: bad }, meta)).toMatchObject({ ok: false, kind: "permanent", code: "render" });
    expect(sim.sent("message/send")).toHaveLength(0);
  });

  it("never writes the access token or the secret to the log", async () => {
    const s = sender();
    sim.fault({ api: "message/send", status: 500 });
    await s.send("zhangsan", text, meta);
    const token = sim.sent("message/send")[0].query.access_token;
    const log = logLines.join("\n");
    expect(log).toContain("wecom send failed");
    expect(log).not.toContain(token);
    expect(log).not.toContain(sim.secret);
  });

  it("exposes WecomApiError for callers that use the client directly", async () => {
    sim.fault({ api: "message/send", errcode: 45009 });
    await expect(client().sendMessage("zhangsan", { msgtype: "text", text: { content: "x" } })).rejects.toBeInstanceOf(WecomApiError);
  });
});
