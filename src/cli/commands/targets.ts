import type { CliCommand } from "./types.js";

/** template / import / export of targets (Excel). */
export const targetsCli: CliCommand[] = [];
