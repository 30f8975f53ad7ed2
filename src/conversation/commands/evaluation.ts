import type { Command } from "../command.js";

/** 目标考评 commands (§8): evaluation inputs, 考评, 考评明细, result reports. */
export const evaluationCommands: Command[] = [];
