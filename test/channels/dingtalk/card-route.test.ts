import axios from "axios";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDingtalkChannel } from "../../../src/channels/dingtalk/channel.js";
import type { InboundEvent } from "../../../src/conversation/event.js";
import type { Card, Reply } from "../../../src/messages/reply.js";
import { FixedClock } from "../../../src/infra/clock.js";
import { startDingtalkSimulator, type DingtalkSimulator } from "../../../simulators/dingtalk/server.js";
import { capturedLogger, recordingHandle, settingsFor, startBot, type TestBot } from "./harness.js";

const clock = new FixedClock(new Date("2026-03-10T02:00:00Z"));
const CARD_SECRET = "card-route-secret-0001";
let sim: DingtalkSimulator;
let bot: TestBot;
let answer: (ev: InboundEvent) => Reply[] | Promise<Reply[]> = () => [];
const stub = recordingHandle((ev) => answer(ev));
const log = capturedLogger().log;
let n = 0;

const reportCard = (key: string): Card => ({
  key,
  title: "汇报进度：FGW-03",
  selects: [{ key: "progress", label: "本次进度", options: [{ id: "50", label: "50%" }, { id: "60", label: "60%" }] }],
  actions: [{ key: "submit", label: "提交进度", command: "汇报 FGW-03 {progress}" }],
});

/** Delivers a card the way the bot does (register the route, then createAndDeliver). */
async function deliverCard(staffId = "zhangsan"): Promise<string> {
  const key = `report-${++n}`;
  const { sender } = createDingtalkChannel(settingsFor(sim), { clock, log, cards: { templateId: "tpl.schema", callbackRouteKey: "jxmb-card" } });
  expect(await sender.send(staffId, { kind: "card", card: reportCard(key) }, { idempotencyKey: key })).toMatchObject({ ok: true });
  return key;
}

beforeAll(async () => {
  sim = await startDingtalkSimulator({ clock });
  bot = await startBot(sim, { settings: settingsFor(sim), clock, log, handle: stub.handle, cards: { templateId: "tpl.schema" }, cardApiSecret: CARD_SECRET, cardDeadlineMs: 300 });
  const { api } = createDingtalkChannel(settingsFor(sim), { clock, log });
  await api.registerCardCallback({ callbackRouteKey: "jxmb-card", callbackUrl: `${bot.url}/dingtalk/card`, apiSecret: CARD_SECRET });
});
afterAll(async () => {
  await bot.close();
  await sim.close();
});
beforeEach(() => {
  answer = () => [];
  stub.events.length = 0;
});
afterEach(() => sim.clearFaults());

describe("POST /dingtalk/card", () => {
  it("hands the click to the core as an action and updates the card in the 2-second answer", async () => {
    const key = await deliverCard();
    answer = (ev) => [
      { kind: "card-update", cardKey: (ev.body as { cardKey: string }).cardKey, status: "已提交：提交进度" },
      { kind: "text", text: "已记录 FGW-03 进度 60%" },
    ];
    const res = await sim.clickCard("zhangsan", key, "submit", { progress: "60" });
    await bot.tasks.drain();

    expect(res.status).toBe(200);
    expect(res.record.durationMs).toBeLessThan(2000);
    expect(stub.events).toEqual([
      expect.objectContaining({ platform: "dingtalk", senderId: "zhangsan", conversationId: "dingtalk:oto:zhangsan", body: { type: "action", cardKey: key, actionKey: "submit", values: { progress: "60" } } }),
    ]);
    expect(res.body).toEqual({
      cardData: { cardParamMap: { status: "已提交：提交进度", submitted: "true" } },
      userPrivateData: { cardParamMap: { status: "已提交：提交进度", submitted: "true" } },
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
    });
    expect(sim.cards.get(key)!.privateData.zhangsan).toMatchObject({ submitted: "true" });
    expect(sim.inbox("zhangsan").map((m) => m.param.content)).toEqual(["已记录 FGW-03 进度 60%"]);
  });

  it("gives a re-sent callback the same event key", async () => {
    const key = await deliverCard();
    const first = await sim.clickCard("zhangsan", key, "submit", { progress: "50" });
    await sim.replay(first.record);
    expect(stub.events).toHaveLength(2);
    expect(stub.events[1].eventKey).toBe(stub.events[0].eventKey);
  });

  it("answers empty within the deadline when the core is slow, then updates the card through the API", async () => {
    const key = await deliverCard();
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    answer = async (ev) => {
      await finished;
      return [{ kind: "card-update", cardKey: (ev.body as { cardKey: string }).cardKey, status: "已提交" }];
    };
    const res = await sim.clickCard("zhangsan", key, "submit", { progress: "50" });
    expect(res.timedOut).toBe(false);
    expect(res.body).toEqual({});
    expect(sim.cards.get(key)!.publicData.submitted).toBe("false");
    finish();
    await bot.tasks.drain();
    expect(sim.cards.get(key)!.publicData).toMatchObject({ submitted: "true", status: "已提交" });
  });

  it("answers 5xx when the core fails in time, and only logs a failure that comes after the answer", async () => {
    const key = await deliverCard();
    answer = () => {
      throw new Error("database is locked");
    };
    expect((await sim.clickCard("zhangsan", key, "submit")).status).toBe(500);

    let fail!: () => void;
    const failing = new Promise<void>((r) => (fail = r));
    answer = async () => {
      await failing;
      throw new Error("database is locked");
    };
    const late = await sim.clickCard("zhangsan", key, "submit");
    expect([late.status, late.body]).toEqual([200, {}]);
    fail();
    await bot.tasks.drain();
    expect(sim.cards.get(key)!.publicData.submitted).toBe("false");
  });

  it("rejects a forged or stale callback with 401", async () => {
    const key = await deliverCard();
    expect((await sim.clickCard("zhangsan", key, "submit", {}, { badSign: true })).status).toBe(401);
    expect((await sim.clickCard("zhangsan", key, "submit", {}, { skewMs: 2 * 60 * 60 * 1000 })).status).toBe(401);
    expect(stub.events).toHaveLength(0);
  });

  it("answers 400 for a callback whose content is not JSON", async () => {
    const key = await deliverCard();
    const first = await sim.clickCard("zhangsan", key, "submit");
    const broken = { ...first.record, rawBody: JSON.stringify({ ...first.record.payload, content: "{oops", value: "{oops" }) };
    expect((await sim.replay(broken)).status).toBe(400);
  });

  it("ignores callback types other than actionCallback", async () => {
    const key = await deliverCard();
    const first = await sim.clickCard("zhangsan", key, "submit");
    stub.events.length = 0;
    const other = { ...first.record, rawBody: JSON.stringify({ ...first.record.payload, type: "pullData" }) };
    const res = await sim.replay(other);
    expect([res.status, res.body]).toEqual([200, {}]);
    expect(stub.events).toHaveLength(0);
  });

  it("is registered through the card callback API with our URL and secret", async () => {
    const reg = await axios.post(
      `${sim.apiBase}/v1.0/card/callbacks/register`,
      { callbackRouteKey: "jxmb-card", callbackUrl: `${bot.url}/dingtalk/card`, apiSecret: CARD_SECRET },
      { headers: { "x-acs-dingtalk-access-token": await createDingtalkChannel(settingsFor(sim), { clock, log }).api.accessToken() }, validateStatus: () => true },
    );
    // Already registered by beforeAll: re-registering needs forceUpdate, which the client sends.
    expect(reg.data.code).toBe("param.invalid");
    expect(sim.requests.some((r) => r.route === "registerCallback" && (r.body as { forceUpdate?: boolean }).forceUpdate === true)).toBe(true);
  });
});
