import type { Db } from "../infra/db.js";
import type { Actor } from "../domain/people/actor.js";
import { fromBeijingDate, quarterRange } from "../domain/calendar/calendar.js";
import { recordProgress } from "../domain/ledger/progress-reports.js";
import { computeNegativeLists, storeNegativeLists } from "../domain/negative-list/negative-list.js";
import { assertOnePlusSix } from "../domain/targets/one-plus-six.js";
import { loadRules } from "../domain/rules.js";
import { getVisibleTarget, permitReport } from "../domain/targets/targets.js";
import type { Role } from "../domain/vocabulary.js";

/**
 * A demo province for `npm run demo` and scenario tests: four agencies of both management types,
 * users of every role, a 2026 cycle whose functional targets follow 1+6+N, quarterly milestones, a
 * year of reports up to the given date, and the negative lists of the quarters already closed.
 */
interface AgencySeed {
  code: string;
  name: string;
  shortName: string;
  managementType: "direct" | "entrusted";
  people: [string, string, Role][];
  themes: string[];
}

const AGENCIES: AgencySeed[] = [
  {
    code: "FGW",
    name: "贵州省发展和改革委员会",
    shortName: "省发改委",
    managementType: "direct",
    people: [["fgw_head", "陈志远", "head"], ["fgw_officer", "刘晓燕", "officer"], ["fgw_zhao", "赵磊", "staff"], ["fgw_sun", "孙婷", "staff"]],
    themes: ["重大项目投资调度", "营商环境评价", "数字经济发展规划", "能源保供方案", "价格监测预警", "区域协调发展评估"],
  },
  {
    code: "JYT",
    name: "贵州省教育厅",
    shortName: "省教育厅",
    managementType: "direct",
    people: [["jyt_head", "吴建华", "head"], ["jyt_officer", "杨帆", "officer"], ["jyt_he", "何静", "staff"]],
    themes: ["义务教育优质均衡", "职业教育产教融合", "高校毕业生就业", "教师队伍建设", "学前教育普惠", "校园安全整治"],
  },
  {
    code: "NYT",
    name: "贵州省农业农村厅",
    shortName: "省农业农村厅",
    managementType: "direct",
    people: [["nyt_head", "罗国强", "head"], ["nyt_officer", "潘丽", "officer"], ["nyt_tian", "田勇", "staff"]],
    themes: ["粮食生产稳面积", "高标准农田建设", "农村人居环境整治", "特色产业提质", "农产品质量安全", "农业社会化服务"],
  },
  {
    code: "SWJ",
    name: "贵州省文物局",
    shortName: "省文物局",
    managementType: "entrusted",
    people: [["swj_head", "龙海", "head"], ["swj_officer", "蒙雪", "officer"], ["swj_yang", "杨柳", "staff"]],
    themes: ["文物安全巡查", "可移动文物普查", "博物馆免费开放", "考古项目推进", "文物保护修缮", "非遗数字化"],
  },
];

const PROVINCE_PEOPLE: [string, string, Role][] = [
  ["mbb_zhang", "张明", "office"],
  ["mbb_li", "李华", "office"],
  ["dsf_wang", "王评", "assessor"],
];

/** Every demo target is due before the year's last working days, as provinces usually set it. */
const DEADLINE = "2026-12-20";

/** How far each target of an agency got in each quarter (percent reached before the quarter end). */
const PACE = [
  [25, 50, 75],
  [30, 55, 80],
  [25, 45, 75], // misses Q2
  [20, 50, 70], // misses Q1 and Q3
  [25, 50, 75],
  [40, 60, 100], // done early
  [25, 50, 60], // misses Q3
  [25, 50, 75],
  [25, 50, 80],
  [30, 50, 70], // misses Q3
];

export async function seedDemoProvince(db: Db, opts: { now: Date; platformIdentities?: ("console" | "wecom" | "dingtalk")[] }): Promise<void> {
  const platforms = opts.platformIdentities ?? ["console"];
  if (await db.agency.count()) return;
  const rules = loadRules(2026);
  await db.$transaction(
    async (tx) => {
      const cycle = await tx.cycle.create({ data: { year: 2026, startsOn: fromBeijingDate("2026-01-01"), endsOn: fromBeijingDate("2026-12-31") } });
      const addUser = async (account: string, name: string, role: Role, agencyId: number | null) =>
        tx.user.create({ data: { account, name, role, agencyId, identities: { create: platforms.map((p) => ({ platform: p, externalId: account })) } } });
      for (const [account, name, role] of PROVINCE_PEOPLE) await addUser(account, name, role, null);

      for (const a of AGENCIES) {
        const agency = await tx.agency.create({ data: { code: a.code, name: a.name, shortName: a.shortName, managementType: a.managementType } });
        const users = [];
        for (const [account, name, role] of a.people) users.push(await addUser(account, name, role, agency.id));
        const staff = users.filter((u) => u.role === "staff");
        // 1 脱贫攻坚 + 6 本级 + 1 上级 (§6.2), then two 机关建设 items (§6.1).
        const functional = [
          { source: "poverty", title: `${a.shortName}定点帮扶巩固拓展脱贫攻坚成果` },
          ...a.themes.map((t) => ({ source: "local", title: t })),
          { source: "superior", title: `落实国家部委年度重点任务（${a.shortName}）` },
        ];
        assertOnePlusSix(a.name, functional.map((f) => f.source));
        const all = [
          ...functional.map((f) => ({ ...f, category: "functional", item: null as string | null })),
          { category: "institution", item: "organisation", source: null, title: "基层党组织标准化规范化建设" },
          { category: "institution", item: "integrity", source: null, title: "党风廉政建设责任制落实" },
        ];
        for (const [i, t] of all.entries()) {
          const dynamic = i === 7;
          await tx.target.create({
            data: {
              code: `${a.code}-${String(i + 1).padStart(2, "0")}`,
              cycleId: cycle.id,
              agencyId: agency.id,
              category: t.category,
              item: t.item,
              source: t.source,
              managementType: dynamic ? "dynamic" : "initial",
              documentNo: dynamic ? "黔府办发〔2026〕12号" : null,
              title: t.title,
              description: `按年度工作要点完成“${t.title}”各项任务，形成可核查的成果材料。`,
              weight: t.category === "functional" ? Math.round((50 / functional.length) * 100) / 100 : 4,
              deadline: fromBeijingDate(DEADLINE),
              status: "issued",
              issuedAt: fromBeijingDate("2026-03-10"),
              owners: { create: [{ userId: staff[i % staff.length].id }] },
              indicators: {
                create: [
                  { level: 1, name: t.title, requirement: "按期完成", standard: "年度任务全部完成" },
                  { level: 2, name: "阶段成果", requirement: "每季度形成阶段成果", standard: "季度节点全部达成", targetValue: 4, unit: "个" },
                ],
              },
              milestones: {
                create: [1, 2, 3, 4].map((q) => ({
                  quarter: q,
                  // A milestone never falls after its target's deadline: Q4's is the deadline itself.
                  dueOn: fromBeijingDate(q === 4 ? DEADLINE : quarterRange({ year: 2026, quarter: q as 1 | 2 | 3 }).last),
                  description: q === 4 ? "完成全年任务并形成总结" : `完成第${"一二三"[q - 1]}季度阶段任务`,
                  expectedProgress: q * 25,
                })),
              },
            },
          });
        }
        await seedReports(tx as unknown as Db, a, AGENCIES.indexOf(a), cycle.id, opts.now);
      }
      // Negative lists of the quarters already closed (§2.23), as the quarterly job would have made them.
      for (const quarter of [1, 2, 3] as const) {
        const q = { year: 2026, quarter };
        const dueBy = fromBeijingDate(quarterRange(q).last);
        if (dueBy >= opts.now) continue;
        const lists = await computeNegativeLists(tx, q, rules);
        const notifiedAt = new Date(dueBy.getTime() + 5 * 86_400_000);
        const stored = await storeNegativeLists(tx, cycle.id, q, lists, notifiedAt);
        await tx.negativeList.updateMany({ where: { id: { in: stored.map((s) => s.id) } }, data: { notifiedAt } });
      }
    },
    { timeout: 60_000 },
  );
}

async function seedReports(tx: Db, a: AgencySeed, offset: number, cycleId: number, now: Date) {
  const targets = await tx.target.findMany({ where: { cycleId, agency: { code: a.code } }, include: { owners: { include: { user: true } } }, orderBy: { code: "asc" } });
  for (const [i, t] of targets.entries()) {
    const pace = PACE[(i + offset) % PACE.length];
    const owner = t.owners[0].user;
    const actor: Actor = { id: owner.id, account: owner.account, name: owner.name, role: owner.role as Role, agencyId: owner.agencyId };
    for (const [qi, pct] of pace.entries()) {
      const at = new Date(fromBeijingDate(quarterRange({ year: 2026, quarter: (qi + 1) as 1 | 2 | 3 }).last).getTime() - 3 * 86_400_000 + 10 * 3600_000);
      if (at >= now) break;
      const detail = await getVisibleTarget(tx, actor, cycleId, t.code);
      if (detail.status === "completed") break;
      await recordProgress(tx, actor, permitReport(actor, detail), { progress: pct, note: `第${"一二三"[qi]}季度：${t.title}按计划推进，阶段材料已归档。`, channel: "console" }, at);
    }
  }
}

/** Demo accounts grouped by role, for the console's greeting. */
export const DEMO_ACCOUNTS = [...PROVINCE_PEOPLE, ...AGENCIES.flatMap((a) => a.people)].map(([account, name, role]) => ({ account, name, role }));
