import type { Command } from "../command.js";
import { endLeave, leave, trip } from "./care/absence.js";
import { board } from "./care/board.js";
import { proxyReport } from "./care/proxy-report.js";
import { subscribe, unsubscribe } from "./care/subscription.js";
import { remindUnreported, unreported } from "./care/unreported.js";

/** Leave and delegation, 代报, 未报 roll-ups, subscriptions and the 看板 link (issue 10). */
export const careCommands: Command[] = [leave, trip, endLeave, proxyReport, unreported, remindUnreported, unsubscribe, subscribe, board];
