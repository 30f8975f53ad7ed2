import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startWecomSimulator, type WecomSimulator } from "../../../simulators/wecom/server.js";
import { createWecomSender } from "../../../src/channels/wecom/index.js";
import type { WecomSender } from "../../../src/channels/wecom/sender.js";
import { loadSettings } from "../../../src/config/settings.js";
import type { Card } from "../../../src/messages/reply.js";
import { FixedClock } from "../../../src/infra/clock.js";
import { createDb, type Db } from "../../../src/infra/db.js";
import { createLogger } from "../../../src/infra/logger.js";
import { freshDb } from "../../helpers/db.js";

/**
 * response_code (doc 94888): each works once and for 72 hours. Kept in the database, so the instance
 * that handles a card update finds the code another instance got when it sent the card.
 */
const log = createLogger("silent");
const meta = { idempotencyKey: "test:1" };
const card: Card = { key: "report-FGW-03", title: "FGW-03 进度汇报", actions: [{ key: "done", label: "已完成", command: "汇报 FGW-03 100%" }] };
const update = (status: string) => ({ kind: "card-update" as const, cardKey: card.key, status });

let db: Db;
let other: Db;
let clock: FixedClock;
let sim: WecomSimulator;
let instances: [WecomSender, WecomSender];

beforeAll(async () => {
  const fresh = await freshDb("wecom-response-codes");
  db = fresh.db;
  other = await createDb(fresh.url);
});
afterAll(async () => {
  await other.$disconnect();
  await db.$disconnect();
});
beforeEach(async () => {
  await db.wecomResponseCode.deleteMany();
  clock = new FixedClock(new Date("2026-05-20T02:00:00Z"));
  sim = await startWecomSimulator({ now: () => clock.now().getTime(), users: ["zhangsan"], callbackUrl: "http://127.0.0.1:9/wecom/callback" });
  const settings = loadSettings({ ...sim.env(), LOG_LEVEL: "silent" });
  instances = [createWecomSender({ settings, clock, log, db }), createWecomSender({ settings, clock, log, db: other })];
});
afterEach(() => sim.close());

describe("WeCom response codes shared by instances", () => {
  it("lets another instance update the card sent by the first", async () => {
    const [a, b] = instances;
    expect(await a.send("zhangsan", { kind: "card", card }, meta)).toMatchObject({ ok: true });
    expect(await b.send("zhangsan", update("已汇报"), meta)).toEqual({ ok: true });
    expect(sim.cards.get(card.key)?.replaced.get("zhangsan")).toBe("已汇报");
  });

  it("uses a code once, whichever instance asks second", async () => {
    const [a, b] = instances;
    await a.send("zhangsan", { kind: "card", card }, meta);
    const both = await Promise.all([a.send("zhangsan", update("甲"), meta), b.send("zhangsan", update("乙"), meta)]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok)).toEqual([{ ok: false, kind: "permanent", code: "no_response_code", message: expect.any(String) }]);
    expect(await db.wecomResponseCode.count()).toBe(0);
  });

  it("keeps the newest code of a card (a click's callback replaces the send's)", async () => {
    const [a, b] = instances;
    await a.send("zhangsan", { kind: "card", card }, meta);
    await b.responseCodes.put(card.key, "from-click");
    expect(await a.responseCodes.take(card.key)).toBe("from-click");
  });

  it("forgets a code after 72 hours", async () => {
    const [a, b] = instances;
    await a.send("zhangsan", { kind: "card", card }, meta);
    clock.advance(72 * 3600_000);
    expect(await b.send("zhangsan", update("已汇报"), meta)).toMatchObject({ ok: false, code: "no_response_code" });
  });
});
