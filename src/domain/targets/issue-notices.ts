import { beijingDate, chineseDate } from "../calendar/calendar.js";
import { CATEGORY_LABEL, INSTITUTION_ITEM_LABEL, SOURCE_LABEL, type Category, type InstitutionItem, type Source } from "../vocabulary.js";
import type { IssuedTarget } from "./workflow.js";

/**
 * The notices of 下达 (Fig. 1): each agency's target office gets the agency's issued targets, each owner
 * the targets they are responsible for. One message per person and issue, so a batch of twelve targets
 * is one notice, not twelve; its outbox key names the targets so it is never queued twice.
 */
export interface IssueNotice {
  userId: number;
  /** Outbox idempotency key: `issued:<targetIds>:<userId>` — a target is issued only once. */
  key: string;
  text: string;
}

/** WeCom text messages stop at 2048 bytes; longer lists point to 我的目标 instead. */
const MAX_LINES = 12;

function kind(t: IssuedTarget): string {
  const part = t.category === "functional" ? SOURCE_LABEL[t.source as Source] : INSTITUTION_ITEM_LABEL[t.item as InstitutionItem];
  return `${CATEGORY_LABEL[t.category as Category]}·${part ?? ""}${t.managementType === "dynamic" ? `·动态目标（${t.documentNo}）` : ""}`;
}

const day = (d: Date) => chineseDate(beijingDate(d));

function lines(targets: IssuedTarget[], render: (t: IssuedTarget) => string): string[] {
  const shown = targets.slice(0, MAX_LINES).map(render);
  return targets.length > MAX_LINES ? [...shown, `……另有 ${targets.length - MAX_LINES} 项，请发送“我的目标”查看全部。`] : shown;
}

function owners(t: IssuedTarget): string {
  return t.owners.map((o) => o.user.name).join("、") || "未指定";
}

function milestones(t: IssuedTarget): string {
  return t.milestones.map((m) => `${day(m.dueOn)}前${m.expectedProgress}%`).join("，");
}

export function issueKey(targets: { id: number }[], userId: number): string {
  return `issued:${targets.map((t) => t.id).join(",")}:${userId}`;
}

/** Notices for one agency's issued targets: its officers, then owners who are not officers. */
export function issueNotices(year: number, targets: IssuedTarget[], officers: { id: number }[]): IssueNotice[] {
  if (targets.length === 0) return [];
  const agency = targets[0].agency;
  const functional = targets.filter((t) => t.category === "functional").length;
  const notices: IssueNotice[] = officers.map((o) => ({
    userId: o.id,
    key: issueKey(targets, o.id),
    text: [
      `【目标下达】省直机关目标绩效管理领导小组办公室已下达${agency.name}${year}年度绩效目标 ${targets.length} 项（职能绩效目标 ${functional} 项、机关建设目标 ${targets.length - functional} 项）：`,
      ...lines(targets, (t) => `· ${t.code} ${t.title}｜${kind(t)}｜完成时限 ${day(t.deadline)}｜责任人 ${owners(t)}`),
      "请组织责任人按季度节点推进，及时汇报进度并建立台账（§7.3）。查看详情：目标 <编号>。",
    ].join("\n"),
  }));
  const officerIds = new Set(officers.map((o) => o.id));
  const byOwner = new Map<number, IssuedTarget[]>();
  for (const t of targets) {
    for (const o of t.owners) {
      if (officerIds.has(o.userId) || !o.user.active) continue;
      byOwner.set(o.userId, [...(byOwner.get(o.userId) ?? []), t]);
    }
  }
  for (const [userId, mine] of byOwner) {
    notices.push({
      userId,
      key: issueKey(mine, userId),
      text: [
        `【目标下达】您负责的${year}年度绩效目标已下达（${mine.length} 项）：`,
        ...lines(mine, (t) => `· ${t.code} ${t.title}｜完成时限 ${day(t.deadline)}${t.milestones.length ? `｜季度节点：${milestones(t)}` : ""}`),
        "请按季度节点推进并及时汇报：汇报 <目标编号> <进度> <说明>。",
      ].join("\n"),
    });
  }
  return notices;
}

/** The notice of one 动态目标 (§2.7) to the agency's officers. */
export function dynamicNotice(t: IssuedTarget, userId: number): IssueNotice {
  return {
    userId,
    key: issueKey([t], userId),
    text: [
      `【动态目标下达】依据${t.documentNo}，向${t.agency.name}下达动态目标（§2.7）：`,
      `· ${t.code} ${t.title}｜完成时限 ${day(t.deadline)}`,
      "请明确责任人、按期完成，并及时汇报进度。查看详情：目标 " + t.code + "。",
    ].join("\n"),
  };
}
