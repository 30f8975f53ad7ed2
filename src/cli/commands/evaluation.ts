import type { CliCommand } from "./types.js";

/** Evaluation inputs and results (Excel). */
export const evaluationCli: CliCommand[] = [];
