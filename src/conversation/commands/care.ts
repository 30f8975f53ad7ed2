import type { Command } from "../command.js";

/** Leave and delegation, subscriptions, 看板 (issue 10). */
export const careCommands: Command[] = [];
