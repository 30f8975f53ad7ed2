import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBeijingDate } from "../../src/domain/calendar/calendar.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { planReminders } from "../../src/jobs/reminders.js";
import { freshDb } from "../helpers/db.js";
import { at, jobDeps, makeCycle } from "./province.js";

/**
 * Reminders are planned over every live target of the province at once. Prisma 7 cannot split a
 * relation read that carries its own ORDER BY into chunks, so more targets than the database takes
 * bound parameters (999 on SQLite) must not depend on one.
 */
let db: Db;
let url: string;

beforeAll(async () => {
  ({ db, url } = await freshDb("reminders-scale"));
  const cycle = await makeCycle(db);
  const n = 1_200;
  const codes = Array.from({ length: n }, (_, i) => `S${i + 1}`);
  await db.agency.createMany({ data: codes.map((c) => ({ code: c, name: `测试单位${c}`, shortName: c, managementType: "direct" })) });
  const agencies = new Map((await db.agency.findMany()).map((a) => [a.code, a.id]));
  await db.user.createMany({ data: codes.map((c) => ({ account: `owner_${c}`, name: `责任人${c}`, role: "staff", agencyId: agencies.get(c)! })) });
  await db.user.createMany({ data: codes.map((c) => ({ account: `officer_${c}`, name: `目标办${c}`, role: "officer", agencyId: agencies.get(c)! })) });
  const owners = new Map((await db.user.findMany({ where: { role: "staff" } })).map((u) => [u.agencyId, u.id]));
  await db.target.createMany({
    data: codes.map((c) => ({ code: `${c}-1`, cycleId: cycle.id, agencyId: agencies.get(c)!, category: "functional", source: "local", title: `目标${c}`, deadline: fromBeijingDate("2026-12-31"), status: "in_progress", progress: 10 })),
  });
  const targets = await db.target.findMany({ select: { id: true, agencyId: true } });
  const due = fromBeijingDate("2026-09-30");
  await db.milestone.createMany({ data: targets.map((t) => ({ targetId: t.id, quarter: 3, dueOn: due, description: "第三季度节点", expectedProgress: 75 })) });
  await db.targetOwner.createMany({ data: targets.map((t) => ({ targetId: t.id, userId: owners.get(t.agencyId)! })) });
});
afterAll(async () => {
  await db?.$disconnect();
});

describe("reminders for a province with more agencies, owners and live targets than SQLite takes bound parameters", () => {
  it("plans one milestone reminder per target for its owner the working day before the due day", async () => {
    const clock = new FixedClock(at("2026-09-29"));
    const plan = await planReminders(db, jobDeps(db, url, clock), "2026-09-29", clock.now());
    const texts = plan.filter((p) => p.reply.kind !== "card");
    expect(new Set(texts.map((p) => p.targetId)).size).toBe(1_200);
    expect(new Set(texts.map((p) => p.userId)).size).toBe(1_200);
    expect(texts.every((p) => p.kind === texts[0].kind)).toBe(true);
  });
});
