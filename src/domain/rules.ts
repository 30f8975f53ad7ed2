import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The yearly rules file (rules/<year>.json) holds every number the standard leaves open, with the
 * defaults documented in rules/README.md. Sections are added by the features that use them.
 */
const negativeListRules = z.object({
  /** Points for each quarterly milestone not completed by its due date (§2.23: 未完成目标记负分). */
  pointsPerMilestone: z.number().max(0).default(-0.5),
  /** Days after the list is pushed during which entries can be appealed (§5.3e). */
  appealWindowDays: z.number().int().positive().default(15),
});

export const rulesSchema = z
  .object({
    year: z.number().int(),
    negativeList: negativeListRules.default({ pointsPerMilestone: -0.5, appealWindowDays: 15 }),
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
