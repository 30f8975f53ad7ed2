import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWecomSimulator, type WecomSimulator } from "../simulators/wecom/server.js";
import { createBot } from "../src/bot.js";
import { loadSettings } from "../src/config/settings.js";
import { FixedClock } from "../src/infra/clock.js";
import type { Db } from "../src/infra/db.js";
import { createLogger } from "../src/infra/logger.js";
import { enqueue } from "../src/outbox/enqueue.js";
import { freshDb } from "./helpers/db.js";
import { at, makeAgency } from "./jobs/province.js";
import { RecordingSender } from "./outbox/recording-sender.js";

/**
 * The composition root (src/bot.ts): `npm start` mounts each configured platform and its outbox
 * sender; the terminal tools pass `platforms: false` and answer through the console only.
 */
const clock = new FixedClock(at("2026-03-24"));
const log = createLogger("silent");
let sim: WecomSimulator;
let db: Db;
let url: string;

beforeAll(async () => {
  sim = await startWecomSimulator({ now: () => clock.now().getTime() });
  ({ db, url } = await freshDb("bot"));
  await makeAgency(db, "FGW", [["zhao", "staff"]]);
});
afterAll(async () => {
  await db.$disconnect();
  await sim.close();
});

const settings = () => loadSettings({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent", ...sim.env() });

describe("createBot", () => {
  it("mounts a configured platform's callback and gives its sender to the outbox worker, beside the senders passed", async () => {
    const consoleSender = new RecordingSender("console", clock);
    const bot = createBot(settings(), { db, clock, log, senders: [consoleSender] });
    expect(bot.channels.senders.map((s) => s.platform)).toEqual(["wecom"]);
    expect(bot.channels.routes.flatMap((r) => r.stack.map((l) => l.path))).toContain("/wecom/callback");
    const zhao = await db.user.findUniqueOrThrow({ where: { account: "zhao" } });
    await db.$transaction((tx) => enqueue(tx, zhao.id, { kind: "text", text: "通知" }, { key: "bot:1", now: clock.now() }));
    await bot.worker.drainOnce();
    expect(consoleSender.delivered.map((c) => c.key)).toEqual(["bot:1"]);
  });

  it("leaves the platforms out for the terminal tools, which answer through the console", async () => {
    const bot = createBot(settings(), { db, clock, log, platforms: false, senders: [new RecordingSender("console", clock)] });
    expect(bot.channels.routes).toEqual([]);
    expect(bot.channels.senders).toEqual([]);
    const said = await bot.core.handle({ platform: "console", eventKey: "bot-ev-1", senderId: "zhao", conversationId: "console:zhao", receivedAt: clock.now(), body: { type: "text", text: "帮助" } });
    // The core answers the console user: 帮助 lists the commands, 汇报 among them.
    expect(JSON.stringify(said)).toContain("汇报");
  });
});
