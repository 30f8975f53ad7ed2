import type { Tx } from "../../infra/db.js";
import { fromBeijingDate } from "../calendar/calendar.js";
import type { Directory } from "./directory.js";
import type { StoredTarget, TargetDiff } from "./diff.js";
import type { CycleWindow, IndicatorDraft, MilestoneDraft, TargetDraft } from "./types.js";

/**
 * Writes a checked import. Runs only when the whole file is valid, inside the caller's transaction, and
 * touches only what differs, so the same file imported twice writes nothing the second time. New rows
 * are written in batches: a province-wide file of several hundred targets must fit in one chat event.
 */
export interface PlannedTarget {
  draft: TargetDraft;
  stored?: StoredTarget;
  diff: TargetDiff;
}

export interface ApplyCounts {
  cycleCreated: boolean;
  agenciesCreated: number;
  agenciesUpdated: number;
  usersCreated: number;
  usersUpdated: number;
}

export async function applyImport(tx: Tx, cycle: CycleWindow, dir: Directory, targets: PlannedTarget[], sha256: string): Promise<ApplyCounts> {
  const counts: ApplyCounts = { cycleCreated: false, agenciesCreated: 0, agenciesUpdated: 0, usersCreated: 0, usersUpdated: 0 };
  let cycleId = cycle.id;
  if (cycleId === null) {
    cycleId = (await tx.cycle.create({ data: { year: cycle.year, startsOn: fromBeijingDate(cycle.first), endsOn: fromBeijingDate(cycle.last) } })).id;
    counts.cycleCreated = true;
  }
  await applyAgencies(tx, dir, counts);
  await applyUsers(tx, dir, counts);
  const agencyId = (code: string) => dir.agencies.get(code)!.id!;
  const userId = (account: string) => dir.users.get(account)!.id!;

  const changed = targets.filter((t) => t.diff.action !== "unchanged");
  const fields = (d: TargetDraft) => ({
    agencyId: agencyId(d.agencyCode),
    category: d.category,
    item: d.item,
    source: d.source,
    managementType: d.managementType,
    documentNo: d.documentNo,
    title: d.title,
    description: d.description,
    weight: d.weight,
    deadline: fromBeijingDate(d.deadline),
    importBatch: sha256,
  });
  const fresh = changed.filter((t) => !t.stored);
  const created = await tx.target.createManyAndReturn({
    data: fresh.map((t) => ({ code: t.draft.code, cycleId: cycleId!, status: "draft", ...fields(t.draft) })),
    select: { id: true, code: true },
  });
  const ids = new Map(created.map((t) => [t.code, t.id]));
  for (const { draft, stored } of changed.filter((t) => t.stored)) {
    ids.set(draft.code, stored!.id);
    // A changed target goes back to 制定 (draft): what was reviewed is no longer what is stored (Fig. 1).
    await tx.target.update({ where: { id: stored!.id }, data: { ...fields(draft), status: "draft", reviewedAt: null, reviewedById: null } });
  }
  const idOf = (t: PlannedTarget) => ids.get(t.draft.code)!;

  const ownersChanged = changed.filter((t) => t.diff.ownersChanged);
  await tx.targetOwner.deleteMany({ where: { targetId: { in: ownersChanged.filter((t) => t.stored).map(idOf) } } });
  await tx.targetOwner.createMany({ data: ownersChanged.flatMap((t) => t.draft.owners.map((a) => ({ targetId: idOf(t), userId: userId(a) }))) });

  const indicatorsChanged = changed.filter((t) => t.diff.indicatorsChanged && t.draft.indicators);
  await tx.indicator.deleteMany({ where: { targetId: { in: indicatorsChanged.filter((t) => t.stored).map(idOf) } } });
  await createIndicators(tx, indicatorsChanged.map((t) => ({ targetId: idOf(t), list: t.draft.indicators! })));

  const milestonesChanged = changed.filter((t) => t.diff.milestonesChanged && t.draft.milestones);
  for (const t of milestonesChanged.filter((x) => x.stored)) await syncMilestones(tx, idOf(t), t.draft.milestones!);
  await tx.milestone.createMany({ data: milestonesChanged.filter((t) => !t.stored).flatMap((t) => t.draft.milestones!.map((m) => ({ targetId: idOf(t), ...milestoneData(m) }))) });
  return counts;
}

async function applyAgencies(tx: Tx, dir: Directory, counts: ApplyCounts): Promise<void> {
  for (const a of dir.agencies.values()) {
    if (a.row === undefined || !a.changed) continue;
    const data = { name: a.name, shortName: a.shortName, managementType: a.managementType, adminLevel: a.adminLevel };
    if (a.id === null) {
      a.id = (await tx.agency.create({ data: { code: a.code, ...data } })).id;
      counts.agenciesCreated += 1;
    } else {
      await tx.agency.update({ where: { id: a.id }, data });
      counts.agenciesUpdated += 1;
    }
  }
}

async function applyUsers(tx: Tx, dir: Directory, counts: ApplyCounts): Promise<void> {
  const changed = [...dir.users.values()].filter((u) => u.row !== undefined && u.changed);
  const data = (u: (typeof changed)[number]) => ({ name: u.name, role: u.role, mobile: u.mobile, agencyId: u.agencyCode ? dir.agencies.get(u.agencyCode)!.id! : null });
  const fresh = changed.filter((u) => u.id === null);
  const created = await tx.user.createManyAndReturn({ data: fresh.map((u) => ({ account: u.account, ...data(u) })), select: { id: true, account: true } });
  for (const c of created) dir.users.get(c.account)!.id = c.id;
  counts.usersCreated = fresh.length;
  for (const u of changed.filter((x) => !fresh.includes(x))) {
    await tx.user.update({ where: { id: u.id! }, data: data(u) });
    // One account per platform: a new WeCom/DingTalk id replaces the old one.
    for (const i of u.identities ?? []) await tx.platformIdentity.deleteMany({ where: { userId: u.id!, platform: i.platform } });
    counts.usersUpdated += 1;
  }
  await tx.platformIdentity.createMany({ data: changed.flatMap((u) => (u.identities ?? []).map((i) => ({ ...i, userId: u.id! }))) });
}

/**
 * Indicators have no stable key of their own, so a changed set is replaced, level by level. Each
 * created row is matched back to its draft by target and content to link the next level's parents;
 * two drafts equal in every field are interchangeable, so either match gives the same tree.
 */
async function createIndicators(tx: Tx, sets: { targetId: number; list: IndicatorDraft[] }[]): Promise<void> {
  const ids = new Map<IndicatorDraft, number>();
  const content = (targetId: number, i: { level: number; name: string; requirement: string; standard: string; deadline: Date | null; targetValue: number | null; unit: string | null }) =>
    JSON.stringify([targetId, i.level, i.name, i.requirement, i.standard, i.deadline?.getTime() ?? null, i.targetValue, i.unit]);
  for (const level of [1, 2, 3] as const) {
    const rows = sets.flatMap(({ targetId, list }) =>
      list
        .filter((i) => i.level === level)
        .map((i) => {
          const parent = i.parentCode ? list.find((p) => p.code === i.parentCode)! : null;
          const data = { targetId, parentId: parent ? ids.get(parent)! : null, level, name: i.name, requirement: i.requirement, standard: i.standard, deadline: i.deadline ? fromBeijingDate(i.deadline) : null, targetValue: i.targetValue, unit: i.unit };
          return { draft: i, data };
        }),
    );
    if (rows.length === 0) break;
    const created = await tx.indicator.createManyAndReturn({ data: rows.map((r) => r.data) });
    const pool = new Map<string, number[]>();
    for (const c of created) pool.set(content(c.targetId, c), [...(pool.get(content(c.targetId, c)) ?? []), c.id]);
    for (const r of rows) ids.set(r.draft, pool.get(content(r.data.targetId, r.data))!.shift()!);
  }
}

function milestoneData(m: MilestoneDraft) {
  return { quarter: m.quarter, dueOn: fromBeijingDate(m.dueOn), expectedProgress: m.expectedProgress, description: m.description };
}

/** Milestones are kept by quarter (reports and negative-list entries point at them once issued). */
async function syncMilestones(tx: Tx, targetId: number, list: MilestoneDraft[]): Promise<void> {
  await tx.milestone.deleteMany({ where: { targetId, quarter: { notIn: list.map((m) => m.quarter) } } });
  for (const m of list) {
    const data = milestoneData(m);
    await tx.milestone.upsert({ where: { targetId_quarter: { targetId, quarter: m.quarter } }, create: { targetId, ...data }, update: data });
  }
}
