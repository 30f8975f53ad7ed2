import { randomBytes } from "node:crypto";
import type { Settings } from "../config/settings.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import { createRegistry } from "./commands/index.js";
import type { ConversationSettings } from "./context.js";
import { ConversationCore } from "./core.js";
import { handleFile } from "./files.js";
import { loadWorkingDays } from "../domain/calendar/working-days.js";
import { nextDeliveryTime, parseQuietHours } from "../domain/calendar/quiet-hours.js";

/**
 * Without LINK_SECRET (allowed outside production) board links are signed with a secret made for this
 * process: never a constant anyone could read in the source, at the price of links that die with it.
 */
const PROCESS_LINK_SECRET = randomBytes(32).toString("hex");

export function conversationSettings(s: Settings): ConversationSettings {
  const window = parseQuietHours(s.QUIET_HOURS);
  const workingDays = loadWorkingDays(s.RULES_DIR);
  return {
    appealWindowDays: s.APPEAL_WINDOW_DAYS,
    dialogTtlMinutes: s.DIALOG_TTL_MINUTES,
    rulesDir: s.RULES_DIR,
    publicBaseUrl: s.PUBLIC_BASE_URL,
    linkSecret: s.LINK_SECRET ?? PROCESS_LINK_SECRET,
    boardLinkTtlHours: s.BOARD_LINK_TTL_HOURS,
    evidenceDir: s.EVIDENCE_DIR,
    deliveryTime: (now) => nextDeliveryTime(now, window, workingDays.isWorkingDay),
  };
}

/** `overrides` lets the demo deliver pushes at once instead of in working hours. */
export function createCore(deps: { settings: Settings; db: Db; clock: Clock; log: Logger }, overrides: Partial<ConversationSettings> = {}): ConversationCore {
  return new ConversationCore(deps.db, createRegistry(), { ...conversationSettings(deps.settings), ...overrides }, deps.clock, deps.log, handleFile);
}
