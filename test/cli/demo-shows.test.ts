import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/infra/db.js";

/**
 * `npm run demo` shows what README promises: the 看板 link opens, 导出 writes the Excel file and says
 * where, a push caused in the console appears at once, and --reset starts the province afresh.
 * The demo runs as its own process on a scratch database; the conversation is typed line by line.
 */
const dir = path.resolve("test/.tmp/demo-shows");
const dbFile = path.join(dir, "demo.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startDemo(args: string[] = []) {
  const child = spawn("npx", ["tsx", "src/cli/demo.ts", "--port", "0", "--exports", path.join(dir, "exports"), ...args], {
    env: { ...process.env, DEMO_DATABASE_URL: `file:${dbFile}` },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) {
      const m = out.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return {
    /** Resolves when the output so far matches. */
    waitFor: (pattern: RegExp) => new Promise<RegExpMatchArray>((resolve) => (out.match(pattern) ? resolve(out.match(pattern)!) : waiters.push({ pattern, resolve }))),
    type: (line: string) => child.stdin.write(`${line}\n`),
    quit: async () => {
      child.stdin.end("/quit\n");
      return exited;
    },
    get output() {
      return out;
    },
  };
}

describe("npm run demo shows everything it promises", () => {
  it("serves the board its 看板 link points to, saves 导出 files, prints pushes at once", { timeout: 120_000 }, async () => {
    const demo = startDemo(["--reset", "--as", "fgw_head"]);
    await demo.waitFor(/看板服务：(http:\/\/127\.0\.0\.1:\d+)/);

    demo.type("沟通 第四季度节点如何调整？");
    await demo.waitFor(/〔推送 → mbb_zhang｜[^〕]+〕\n【绩效沟通】/);

    demo.type("/as mbb_zhang");
    demo.type("导出 统计");
    const saved = await demo.waitFor(/〔文件已保存：([^。〕]+\.xlsx)/);
    expect(existsSync(saved[1])).toBe(true);
    expect(readFileSync(saved[1]).subarray(0, 2).toString()).toBe("PK");

    demo.type("看板");
    const link = await demo.waitFor(/\((http:\/\/127\.0\.0\.1:\d+\/board\?t=[^)]+)\)/);
    const page = await fetch(link[1]);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("全省");
    expect(html).not.toContain("链接无效");
    expect(await demo.quit()).toBe(0);
  });

  it("--reset starts the demo province afresh", { timeout: 120_000 }, async () => {
    const db = await createDb(`file:${dbFile}`);
    await db.progressReport.deleteMany({});
    const emptied = await db.progressReport.count();
    await db.$disconnect();
    expect(emptied).toBe(0);

    const demo = startDemo(["--reset"]);
    await demo.waitFor(/已重新生成/);
    expect(await demo.quit()).toBe(0);
    const again = await createDb(`file:${dbFile}`);
    expect(await again.progressReport.count()).toBeGreaterThan(0);
    await again.$disconnect();
  });
});
