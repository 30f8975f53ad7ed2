import { describe, expect, it } from "vitest";
import { fromBeijingDate } from "../../src/domain/calendar/calendar.js";
import { loadRules } from "../../src/domain/rules.js";
import { DEFAULT_WARNING_RULES, type TargetLike, countLights, milestoneLight, targetLight, warningRulesSchema } from "../../src/domain/care/warnings.js";

const d = fromBeijingDate;

/** A target due 20 Dec with its four quarterly milestones (25/50/75/100%), Q1–Q3 reached. */
function target(over: Partial<TargetLike> = {}): TargetLike {
  return {
    status: "in_progress",
    deadline: d("2026-12-20"),
    progress: 75,
    milestones: [1, 2, 3, 4].map((q) => ({
      quarter: q,
      dueOn: d(["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"][q - 1]),
      expectedProgress: q * 25,
      achievedAt: q < 4 ? d(["2026-03-28", "2026-06-27", "2026-09-27"][q - 1]) : null,
    })),
    ...over,
  };
}

describe("milestone lights", () => {
  const m = { quarter: 2, dueOn: d("2026-06-30"), expectedProgress: 50, achievedAt: null };

  it("is green while the due date is further away than the warning period", () => {
    expect(milestoneLight(m, 10, "2026-06-01").light).toBe("green");
  });

  it("turns yellow inside the warning period when progress is behind", () => {
    const l = milestoneLight(m, 40, "2026-06-15");
    expect(l.light).toBe("yellow");
    expect(l.reason).toBe("第二季度节点6月30日前应达50%，当前40%");
  });

  it("stays green inside the warning period when progress already reaches it", () => {
    expect(milestoneLight(m, 50, "2026-06-29").light).toBe("green");
  });

  it("is yellow on its due date and red the day after when not achieved", () => {
    expect(milestoneLight(m, 40, "2026-06-30").light).toBe("yellow");
    expect(milestoneLight(m, 40, "2026-07-01")).toEqual({ light: "red", reason: "第二季度节点6月30日到期未达成" });
  });

  it("is green once achieved, even after its due date", () => {
    expect(milestoneLight({ ...m, achievedAt: d("2026-06-28") }, 50, "2026-08-01").light).toBe("green");
  });

  it("follows the warning period of the rules", () => {
    const rules = { ...DEFAULT_WARNING_RULES, milestoneWarningDays: 3 };
    expect(milestoneLight(m, 40, "2026-06-26", rules).light).toBe("green");
    expect(milestoneLight(m, 40, "2026-06-27", rules).light).toBe("yellow");
  });
});

describe("target lights", () => {
  it("is green when on track and far from its deadline", () => {
    expect(targetLight(target(), "2026-10-15")).toEqual({ light: "green", reason: "按计划推进" });
  });

  it("turns yellow within the target warning period while below 100%", () => {
    const l = targetLight(target(), "2026-11-20");
    expect(l.light).toBe("yellow");
    expect(l.reason).toBe("距完成时限（12月20日）还有30天，当前75%");
    expect(targetLight(target(), "2026-11-19").light).toBe("green");
  });

  it("turns yellow when a milestone inside its warning period is behind", () => {
    const t = target({ deadline: d("2027-03-31"), progress: 60 });
    t.milestones[3].dueOn = d("2026-12-31");
    expect(targetLight(t, "2026-12-20")).toEqual({ light: "yellow", reason: "第四季度节点12月31日前应达100%，当前60%" });
  });

  it("is red past its deadline, when closed as not completed, or after a missed milestone", () => {
    expect(targetLight(target(), "2026-12-21").light).toBe("red");
    expect(targetLight(target({ status: "not_completed" }), "2026-05-01")).toEqual({ light: "red", reason: "已确认未完成" });
    const missed = target();
    missed.milestones[1].achievedAt = null;
    expect(targetLight(missed, "2026-10-15")).toEqual({ light: "red", reason: "第二季度节点6月30日到期未达成" });
  });

  it("lets the rules forgive a missed milestone once the target is back on track", () => {
    const missed = target();
    missed.milestones[1].achievedAt = null;
    const rules = { ...DEFAULT_WARNING_RULES, missedMilestoneKeepsTargetRed: false };
    expect(targetLight(missed, "2026-10-15", rules).light).toBe("green");
  });

  it("is green when completed, whatever the dates", () => {
    expect(targetLight(target({ status: "completed", progress: 100 }), "2027-01-10")).toEqual({ light: "green", reason: "已完成" });
  });

  it("counts lights over a set of targets", () => {
    expect(countLights([target(), target({ status: "not_completed" }), target({ progress: 100, status: "completed" })], "2026-11-20")).toEqual({ green: 1, yellow: 1, red: 1 });
  });
});

describe("the warnings section of the rules file", () => {
  it("is read from rules/2026.json with its documented defaults", () => {
    expect(loadRules(2026).warnings).toEqual({ milestoneWarningDays: 15, targetWarningDays: 30, missedMilestoneKeepsTargetRed: true });
  });

  it("refuses a negative warning period", () => {
    expect(warningRulesSchema.safeParse({ milestoneWarningDays: -1 }).success).toBe(false);
  });
});
