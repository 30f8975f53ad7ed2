import type { Command } from "../command.js";

/** 审核 / 下达 / 导出 commands (制定→审核→下达 workflow, Excel exports). */
export const workflowCommands: Command[] = [];
