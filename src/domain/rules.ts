import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { evaluationRulesSchema } from "./evaluation/rules-schema.js";
import { rollupRulesSchema } from "./care/rollup.js";
import { warningRulesSchema } from "./care/warnings.js";

/**
 * The yearly rules file (rules/<year>.json) holds every number the standard leaves open, with the
 * defaults documented in rules/README.md. Sections are added by the features that use them.
 */
const negativeListRules = z.object({
  /** Points for each quarterly milestone not completed by its due date (§2.23: 未完成目标记负分). */
  pointsPerMilestone: z.number().max(0).default(-0.5),
});

/** 汇报 (§7.3 台账): checks before a report reaches the ledger and the head. */
export const reportingRulesSchema = z.object({
  /**
   * A report lower than the previous one by more than this many percentage points is recorded only
   * after the reporter confirms it: a typo (5 for 85) must not reach the lists unasked.
   */
  confirmDropAbovePoints: z.number().int().min(0).max(100).default(20),
});
export type ReportingRules = z.infer<typeof reportingRulesSchema>;
export const DEFAULT_REPORTING_RULES: ReportingRules = reportingRulesSchema.parse({});

/** 改进措施 (§7.2): when owners who have not answered after a miss are reminded. */
export const improvementRulesSchema = z.object({
  /** Working days after the request before the first reminder, and between reminders. */
  remindAfterWorkingDays: z.number().int().min(1).max(30).default(3),
});
export type ImprovementRules = z.infer<typeof improvementRulesSchema>;
export const DEFAULT_IMPROVEMENT_RULES: ImprovementRules = improvementRulesSchema.parse({});

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2026-10-01")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "is not a calendar date");

/**
 * Working-day calendar: weekends plus the year's public holidays and make-up working days (调休上班),
 * as announced each November by the 国务院办公厅 notice. Reminders land only on working days.
 */
const calendarRules = z
  .object({
    /** Where the dates come from, e.g. the notice's title and date, for whoever checks the file. */
    source: z.string().default(""),
    /** Holiday periods, first and last day inclusive; listed in the file of the year they fall in. */
    holidays: z.array(z.object({ name: z.string().min(1), from: isoDay, to: isoDay })).default([]),
    /** 调休上班: weekend days that are working days. */
    workdays: z.array(z.object({ date: isoDay, name: z.string().default("") })).default([]),
  })
  .superRefine((c, ctx) => {
    const holidayDays = new Set<string>();
    c.holidays.forEach((h, i) => {
      if (h.from > h.to) ctx.addIssue({ code: "custom", path: ["holidays", i], message: `${h.name}: from ${h.from} is after to ${h.to}` });
      // Bounded: a holiday period longer than a month is a typo, and must not hang the start.
      for (let d = h.from, n = 0; d <= h.to && n < 31; d = nextIsoDay(d), n++) holidayDays.add(d);
    });
    c.workdays.forEach((w, i) => {
      const dow = new Date(`${w.date}T00:00:00Z`).getUTCDay();
      // A make-up working day on a weekday would change nothing: most likely a typo in the date.
      if (dow !== 0 && dow !== 6) ctx.addIssue({ code: "custom", path: ["workdays", i], message: `${w.date} is a weekday; 调休上班 days are Saturdays or Sundays` });
      if (holidayDays.has(w.date)) ctx.addIssue({ code: "custom", path: ["workdays", i], message: `${w.date} is also listed as a holiday` });
    });
  });

function nextIsoDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export type CalendarRules = z.infer<typeof calendarRules>;

export const rulesSchema = z
  .object({
    year: z.number().int(),
    negativeList: negativeListRules.default({ pointsPerMilestone: -0.5 }),
    calendar: calendarRules.default({ source: "", holidays: [], workdays: [] }),
    /** 目标考评 (§6, §8, §2.19): weights, open numbers and tier rules; see src/domain/evaluation/rules-schema.ts. */
    evaluation: evaluationRulesSchema.prefault({}),
    /** 预警 traffic lights (§7.4): warning periods; see src/domain/care/warnings.ts. */
    warnings: warningRulesSchema.prefault({}),
    /** 未报 roll-ups: when they go out and what is owed; see src/domain/care/rollup.ts. */
    rollup: rollupRulesSchema.prefault({}),
    /** 汇报 checks; see reportingRulesSchema above. */
    reporting: reportingRulesSchema.prefault({}),
    /** 改进措施 requests and reminders (§7.2); see improvementRulesSchema above. */
    improvement: improvementRulesSchema.prefault({}),
  })
  .passthrough();

export type YearRules = z.infer<typeof rulesSchema>;

const cache = new Map<string, YearRules>();

export function loadRules(year: number, dir = "rules"): YearRules {
  const file = path.resolve(dir, `${year}.json`);
  const hit = cache.get(file);
  if (hit) return hit;
  if (!existsSync(file)) throw new Error(`rules file ${file} is missing: copy rules/2026.json to ${year}.json and adjust it`);
  const parsed = rulesSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    throw new Error(`rules file ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  cache.set(file, parsed.data);
  return parsed.data;
}
