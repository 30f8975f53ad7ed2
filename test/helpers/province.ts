import { createBot } from "../../src/bot.js";
import { loadSettings } from "../../src/config/settings.js";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { FixedClock } from "../../src/infra/clock.js";
import { createLogger } from "../../src/infra/logger.js";
import { chatWith } from "./chat.js";
import { freshDb } from "./db.js";

/** Friday 20 Nov 2026, 10:00 Beijing time: Q1–Q3 closed, their negative lists sent. */
export const DEMO_NOW = new Date("2026-11-20T02:00:00Z");

/** The demo province in a fresh SQLite file, with the real core and a transcript-style chat. */
export async function demoProvince(name: string, env: Record<string, string> = {}) {
  const { db, url } = await freshDb(name);
  const clock = new FixedClock(DEMO_NOW);
  await seedDemoProvince(db, { now: clock.now() });
  const settings = loadSettings({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent", ...env });
  const { core } = createBot(settings, { db, clock, log: createLogger("silent") });
  return { db, clock, core, chat: chatWith(core, clock) };
}
