import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** `npm run demo` as README describes it: a demo province in its own database, then the console. */
describe("npm run demo", () => {
  it("seeds the demo province and holds a scripted conversation", { timeout: 120_000 }, () => {
    const db = path.resolve("test/.tmp/demo-cli.db");
    const run = spawnSync("npx", ["tsx", "src/cli/demo.ts"], {
      input: "我的目标\n汇报 FGW-01 95\n年度总结材料已报送\n/as fgw_head\n负面清单 2026Q2\n/quit\n",
      env: { ...process.env, DEMO_DATABASE_URL: `file:${db}` },
      encoding: "utf8",
      timeout: 110_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("演示省份已就绪");
    expect(run.stdout).toContain("我负责的目标");
    expect(run.stdout).toContain("请简要说明目标 FGW-01 本期进展");
    expect(run.stdout).toContain("已记入台账：FGW-01");
    expect(run.stdout).toContain("2026年第二季度负面清单");
  });
});
