import { loadSettings, type Settings } from "../../src/config/settings.js";
import { fromBeijingDate } from "../../src/domain/calendar/calendar.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { createJobDeps, type JobDeps } from "../../src/jobs/deps.js";

/** Beijing wall-clock time on a date, e.g. at("2026-03-24", "09:00"). */
export function at(day: string, time = "09:00"): Date {
  const [h, m] = time.split(":").map(Number);
  return new Date(fromBeijingDate(day).getTime() + (h * 60 + m) * 60_000);
}

export function testSettings(url: string, env: Record<string, string> = {}): Settings {
  return loadSettings({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent", SCHEDULER_ENABLED: "false", ...env });
}

export function jobDeps(db: Db, url: string, clock: FixedClock, env: Record<string, string> = {}): JobDeps {
  return createJobDeps({ db, settings: testSettings(url, env), clock, log: createLogger(process.env.TEST_LOG_LEVEL ?? "silent") });
}

export async function makeCycle(db: Db, year = 2026) {
  return db.cycle.create({ data: { year, startsOn: fromBeijingDate(`${year}-01-01`), endsOn: fromBeijingDate(`${year}-12-31`) } });
}

/** An agency and its people, each bound to a console identity named after the account. */
export async function makeAgency(db: Db, code: string, people: [account: string, role: Role][]) {
  const agency = await db.agency.create({ data: { code, name: `测试单位${code}`, shortName: code, managementType: "direct" } });
  const users: Record<string, { id: number; account: string; name: string; role: string }> = {};
  for (const [account, role] of people) {
    users[account] = await db.user.create({
      data: { account, name: account, role, agencyId: agency.id, identities: { create: { platform: "console", externalId: account } } },
    });
  }
  return { agency, users };
}

export async function makeOffice(db: Db, accounts: string[]) {
  return Promise.all(accounts.map((account) => db.user.create({ data: { account, name: account, role: "office", identities: { create: { platform: "console", externalId: account } } } })));
}

export interface TargetSpec {
  cycleId: number;
  agencyId: number;
  code: string;
  ownerIds: number[];
  deadline: string;
  status?: string;
  progress?: number;
  /** initial (§2.6) | dynamic (§2.7) */
  managementType?: string;
  closedAt?: Date;
  milestones?: { quarter: number; dueOn: string; expectedProgress: number; achievedAt?: Date }[];
}

export async function makeTarget(db: Db, t: TargetSpec) {
  return db.target.create({
    data: {
      code: t.code,
      cycleId: t.cycleId,
      agencyId: t.agencyId,
      category: "functional",
      source: "local",
      title: `${t.code}任务`,
      deadline: fromBeijingDate(t.deadline),
      status: t.status ?? "issued",
      progress: t.progress ?? 0,
      managementType: t.managementType ?? "initial",
      documentNo: t.managementType === "dynamic" ? "黔府办发〔2026〕12号" : null,
      closedAt: t.closedAt ?? null,
      issuedAt: fromBeijingDate("2026-01-05"),
      owners: { create: t.ownerIds.map((userId) => ({ userId })) },
      milestones: {
        create: (t.milestones ?? []).map((m) => ({ quarter: m.quarter, dueOn: fromBeijingDate(m.dueOn), description: `第${m.quarter}季度任务`, expectedProgress: m.expectedProgress, achievedAt: m.achievedAt ?? null })),
      },
    },
    include: { milestones: true },
  });
}

export const QUARTER_ENDS = ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"];
