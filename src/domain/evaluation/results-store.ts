import type { Tx } from "../../infra/db.js";
import { fromH } from "./hundredths.js";
import type { AgencyResult, ExplanationLine, ProvinceResult, Quota } from "./types.js";
import type { Tier } from "./vocabulary.js";

/**
 * EvaluationResult rows: score, rank, tier, and the whole explanation as JSON (breakdown), so what an
 * agency was told can be shown again line by line even after inputs change.
 */
export interface Breakdown {
  version: 1;
  /** Bumped when a published result changes on re-evaluation; part of the re-publication key. */
  revision: number;
  totalH: number;
  institutionH: number;
  partyH: number;
  managementH: number;
  functionalH: number;
  dissatisfactionH: number | null;
  surveyCap: Tier | null;
  disciplineLevels: number;
  position: number;
  rankTier: Tier;
  gradedTier: Tier;
  tierReasons: string[];
  quota: Quota;
  missing: string[];
  unfinishedTargets: number;
  slots: ProvinceResult["slots"];
  lines: ExplanationLine[];
}

function breakdownOf(r: AgencyResult, slots: ProvinceResult["slots"], revision: number): Breakdown {
  return {
    version: 1,
    revision,
    totalH: r.totalH,
    institutionH: r.institutionH,
    partyH: r.partyH,
    managementH: r.managementH,
    functionalH: r.functionalH,
    dissatisfactionH: r.dissatisfactionH,
    surveyCap: r.surveyCap,
    disciplineLevels: r.disciplineLevels,
    position: r.position,
    rankTier: r.rankTier,
    gradedTier: r.gradedTier,
    tierReasons: r.tierReasons,
    quota: r.quota,
    missing: r.missing,
    unfinishedTargets: r.unfinishedTargets,
    slots,
    lines: r.lines,
  };
}

/** What an agency is told; a published result whose told facts change must be published again. */
function toldFacts(score: number, rank: number, tier: string, quota: Quota): string {
  return JSON.stringify([score, rank, tier, quota]);
}

export interface SaveSummary {
  saved: number;
  /** Published results whose score, rank, tier or quota changed: they await re-publication. */
  republishNeeded: string[];
}

export async function saveResults(tx: Tx, cycleId: number, province: ProvinceResult, now: Date): Promise<SaveSummary> {
  const existing = await tx.evaluationResult.findMany({ where: { cycleId } });
  const republishNeeded: string[] = [];
  for (const r of province.agencies) {
    const old = existing.find((e) => e.agencyId === r.agencyId);
    const score = fromH(r.totalH);
    let revision = old ? parseBreakdown(old.breakdown).revision : 0;
    let publishedAt = old?.publishedAt ?? null;
    if (old && publishedAt) {
      const oldQuota = parseBreakdown(old.breakdown).quota;
      if (toldFacts(old.score, old.rank, old.tier, oldQuota) !== toldFacts(score, r.rank, r.tier, r.quota)) {
        revision += 1;
        publishedAt = null;
        republishNeeded.push(r.shortName);
      }
    }
    const data = { score, rank: r.rank, tier: r.tier, breakdown: JSON.stringify(breakdownOf(r, province.slots, revision)), computedAt: now, publishedAt };
    await tx.evaluationResult.upsert({
      where: { cycleId_agencyId: { cycleId, agencyId: r.agencyId } },
      create: { cycleId, agencyId: r.agencyId, ...data },
      update: data,
    });
  }
  return { saved: province.agencies.length, republishNeeded };
}

export function parseBreakdown(json: string): Breakdown {
  return JSON.parse(json) as Breakdown;
}

export async function loadResults(tx: Tx, cycleId: number) {
  const rows = await tx.evaluationResult.findMany({
    where: { cycleId },
    include: { agency: true, cycle: true },
    orderBy: [{ rank: "asc" }, { agencyId: "asc" }],
  });
  return rows.map((r) => ({ ...r, detail: parseBreakdown(r.breakdown) })).sort((a, b) => a.detail.position - b.detail.position);
}

export type StoredResult = Awaited<ReturnType<typeof loadResults>>[number];

export async function loadResult(tx: Tx, cycleId: number, agencyId: number): Promise<StoredResult | null> {
  const r = await tx.evaluationResult.findUnique({ where: { cycleId_agencyId: { cycleId, agencyId } }, include: { agency: true, cycle: true } });
  return r ? { ...r, detail: parseBreakdown(r.breakdown) } : null;
}
