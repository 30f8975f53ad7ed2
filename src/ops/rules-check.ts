import { existsSync } from "node:fs";
import path from "node:path";
import { beijingDate } from "../domain/calendar/calendar.js";
import type { Logger } from "../infra/logger.js";

/**
 * Says at start where this year's rules file is (RULES_DIR is read relative to the working
 * directory, also when the compiled build runs from dist/), or warns that it is missing: the
 * reminders, negative lists and evaluation of the year need it.
 */
export function logRulesFile(rulesDir: string, now: Date, log: Logger): void {
  const year = Number(beijingDate(now).slice(0, 4));
  const file = path.resolve(rulesDir, `${year}.json`);
  if (existsSync(file)) log.info({ msg: "rules ready", year, file });
  else log.warn({ msg: `rules file for ${year} is missing; copy the previous year's file in RULES_DIR to ${year}.json and adjust it (rules/README.md)`, file });
}
