import type { Tx } from "../../infra/db.js";
import { beijingDate } from "../calendar/calendar.js";
import { decodeInputText } from "./input-text.js";
import type { NewInput } from "./input-values.js";
import type { AgencyInputs, NegativeEntry, SourceRef } from "./types.js";
import {
  AWARDS,
  DISCIPLINE_WITHDRAWN,
  HEADCOUNT_ITEM,
  LEGACY_DECLINED,
  SCORED_ITEMS,
  SURVEY_DIMENSIONS,
  SURVEY_GROUPS,
  type Award,
  type ScoredItem,
  type SurveyDimension,
  type SurveyGroup,
} from "./vocabulary.js";

/**
 * Evaluation inputs in the database: EvaluationInput is append-only and the latest record (highest
 * id) per (cycle, agency, item, key) counts, so a correction is a new record and the history stays.
 */

/** Targets that were issued (Fig. 1): drafts never issued are not assessed. */
const ISSUED = ["issued", "in_progress", "completed", "not_completed"];

export async function loadAgencyInputs(tx: Tx, cycleId: number): Promise<AgencyInputs[]> {
  const agencies = await tx.agency.findMany({ orderBy: { id: "asc" } });
  const rows = await tx.evaluationInput.findMany({ where: { cycleId }, orderBy: { id: "asc" }, include: { enteredBy: { select: { name: true } } } });
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) latest.set(`${r.agencyId}|${r.item}|${r.key}`, r);

  const targets = await tx.target.findMany({
    where: { cycleId, category: "functional", status: { in: ISSUED } },
    select: { id: true, agencyId: true, code: true, title: true, status: true, weight: true, source: true, managementType: true, documentNo: true },
    orderBy: { code: "asc" },
  });
  const verified = await verifiedProgress(tx, cycleId);
  const entries = await tx.negativeListEntry.findMany({
    where: { status: "active", list: { cycleId } },
    include: { list: { select: { period: true, agencyId: true } }, target: { select: { code: true, category: true } } },
    orderBy: [{ list: { period: "asc" } }, { id: "asc" }],
  });

  const byAgency = new Map<number, AgencyInputs>(
    agencies.map((a) => [
      a.id,
      {
        agencyId: a.id,
        code: a.code,
        name: a.name,
        shortName: a.shortName,
        managementType: a.managementType,
        adminLevel: a.adminLevel,
        scores: {},
        survey: [],
        discipline: [],
        functionalTargets: [],
        negativeEntries: [],
      },
    ]),
  );
  for (const r of latest.values()) {
    const a = byAgency.get(r.agencyId);
    if (!a) continue;
    const t = decodeInputText(r.text);
    const ref = sourceRef(r);
    if ((SCORED_ITEMS as readonly string[]).includes(r.item) && r.value !== null) {
      a.scores[r.item as ScoredItem] = { value: r.value, note: t.note, ref };
    } else if (r.item === "innovation" && t.code === LEGACY_DECLINED) {
      a.innovation = { award: "declined", note: t.note, ref };
    } else if (r.item === "innovation" && (AWARDS as readonly string[]).includes(t.code ?? "")) {
      a.innovation = { award: t.code as Award, note: t.note, ref };
    } else if (r.item === "public_survey" && r.value !== null) {
      const [group, dimension] = r.key.split(":");
      if ((SURVEY_GROUPS as readonly string[]).includes(group) && (SURVEY_DIMENSIONS as readonly string[]).includes(dimension)) {
        a.survey.push({ group: group as SurveyGroup, dimension: dimension as SurveyDimension, rate: r.value, ref });
      }
    } else if (r.item === "discipline" && t.code && t.code !== DISCIPLINE_WITHDRAWN) {
      a.discipline.push({ recordNo: r.key, kind: t.code, note: t.note, ref });
    } else if (r.item === HEADCOUNT_ITEM && r.value !== null) {
      a.headcount = { value: r.value, ref };
    }
  }
  for (const t of targets) {
    const { id, agencyId, ...rest } = t;
    byAgency.get(agencyId)?.functionalTargets.push({ ...rest, verifiedProgress: verified.get(id) ?? null });
  }
  for (const e of entries) {
    const entry: NegativeEntry = {
      id: e.id,
      period: e.list.period,
      targetCode: e.target.code,
      category: e.target.category === "institution" ? "institution" : "functional",
      points: e.points,
      reason: e.reason,
    };
    byAgency.get(e.list.agencyId)?.negativeEntries.push(entry);
  }
  for (const a of byAgency.values()) a.discipline.sort((x, y) => x.recordNo.localeCompare(y.recordNo));
  return [...byAgency.values()];
}

/**
 * Per target, the progress a 核查 confirmed (§2.17): when the latest target-level finding is 属实, the
 * progress of the latest 台账 report made before it; a 不属实 latest finding confirms nothing.
 */
async function verifiedProgress(tx: Tx, cycleId: number): Promise<Map<number, number>> {
  const findings = await tx.verification.findMany({
    where: { milestoneId: null, target: { cycleId, category: "functional" } },
    select: { targetId: true, result: true, createdAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const latest = new Map<number, (typeof findings)[number]>();
  for (const f of findings) latest.set(f.targetId, f);
  const out = new Map<number, number>();
  for (const f of latest.values()) {
    if (f.result !== "confirmed") continue;
    const report = await tx.progressReport.findFirst({
      where: { targetId: f.targetId, createdAt: { lte: f.createdAt } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { progress: true },
    });
    if (report) out.set(f.targetId, report.progress);
  }
  return out;
}

function sourceRef(r: { id: number; source: string; createdAt: Date; enteredBy: { name: string } | null }): SourceRef {
  const how = r.source.startsWith("import:") ? `Excel 导入 ${r.source.slice("import:".length)}` : "对话录入";
  return { text: `录入记录 #${r.id}（${how}${r.enteredBy ? `，${r.enteredBy.name}` : ""}，${beijingDate(r.createdAt)}）` };
}

export interface RecordMeta {
  cycleId: number;
  agencyId: number;
  /** "chat" or "import:<file name>" */
  source: string;
  enteredById: number | null;
  now: Date;
}

/**
 * Appends an input unless it equals the one that counts now (re-importing the same file changes
 * nothing). Returns the previous record, if any, for "原为 …" in replies.
 */
export async function recordInput(tx: Tx, input: NewInput, meta: RecordMeta) {
  const previous = await tx.evaluationInput.findFirst({
    where: { cycleId: meta.cycleId, agencyId: meta.agencyId, item: input.item, key: input.key },
    orderBy: { id: "desc" },
  });
  if (previous && previous.value === input.value && previous.text === input.text) return { record: previous, previous, changed: false };
  const record = await tx.evaluationInput.create({
    data: {
      cycleId: meta.cycleId,
      agencyId: meta.agencyId,
      item: input.item,
      key: input.key,
      value: input.value,
      text: input.text,
      source: meta.source,
      enteredById: meta.enteredById,
      createdAt: meta.now,
    },
  });
  return { record, previous, changed: true };
}
