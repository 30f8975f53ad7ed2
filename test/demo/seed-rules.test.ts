import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertOnePlusSix } from "../../src/domain/targets/one-plus-six.js";
import { demoProvince } from "../helpers/province.js";

let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("demo-rules");
});
afterAll(async () => p.db.$disconnect());

/** The demo province obeys the rules the bot enforces on a real one. */
describe("demo data follows the project's own rules", () => {
  it("no quarterly milestone falls after its target's deadline (Q4 is due on the deadline, 12-20)", async () => {
    const targets = await p.db.target.findMany({ include: { milestones: true } });
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) {
      for (const m of t.milestones) expect(m.dueOn.getTime(), `${t.code} Q${m.quarter}`).toBeLessThanOrEqual(t.deadline.getTime());
      expect(t.milestones.map((m) => m.expectedProgress).sort((a, b) => a - b)).toEqual([25, 50, 75, 100]);
    }
  });

  it("every target falls inside its cycle, and every agency's functional targets are 1+6+N (§6.2)", async () => {
    const cycle = await p.db.cycle.findFirstOrThrow();
    const agencies = await p.db.agency.findMany({ include: { targets: true } });
    for (const a of agencies) {
      for (const t of a.targets) expect(t.deadline.getTime()).toBeLessThanOrEqual(cycle.endsOn.getTime());
      expect(() => assertOnePlusSix(a.name, a.targets.filter((t) => t.category === "functional").map((t) => t.source!))).not.toThrow();
    }
  });
});
