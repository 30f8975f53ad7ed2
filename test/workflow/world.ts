import { createCore } from "../../src/conversation/create-core.js";
import { loadSettings } from "../../src/config/settings.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { buildXlsx, type Sheets } from "../excel/fixtures.js";

/** Monday 2 March 2026, 10:00 Beijing time: initial targets are usually issued in March (§2.6). */
export const MARCH = new Date("2026-03-02T02:00:00Z");

/**
 * An empty province with one office user (目标办) who talks to the real core through the console
 * channel, as at the start of a cycle before the 目标任务分解表 is imported.
 */
export async function officeWorld(name: string, now = MARCH) {
  const { db, url } = await freshDb(name);
  await db.user.create({ data: { account: "mbb_zhang", name: "张明", role: "office", identities: { create: [{ platform: "console", externalId: "mbb_zhang" }] } } });
  const clock = new FixedClock(now);
  const settings = loadSettings({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent" });
  const core = createCore({ settings, db, clock, log: createLogger("silent") });
  const chat = chatWith(core, clock);
  return {
    db,
    url,
    clock,
    core,
    chat,
    /** Sends a workbook to the bot as a file message, as WeCom or DingTalk deliver one. */
    async sendFile(account: string, sheets: Sheets | Buffer, fileName = "2026年目标任务分解表.xlsx", eventKey?: string) {
      const content = Buffer.isBuffer(sheets) ? sheets : await buildXlsx(sheets);
      return chat.send(account, { type: "file", fileName, fetch: async () => content }, eventKey);
    },
  };
}

/** Lets an imported person talk to the bot in the console channel. */
export async function onConsole(db: Db, ...accounts: string[]): Promise<void> {
  for (const account of accounts) {
    const user = await db.user.findUniqueOrThrow({ where: { account } });
    await db.platformIdentity.create({ data: { platform: "console", externalId: account, userId: user.id } });
  }
}

export function textOf(replies: { kind: string }[]): string {
  return replies.map((r) => ("text" in r ? String(r.text) : "")).join("\n");
}
