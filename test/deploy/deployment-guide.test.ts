import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { createDb } from "../../src/infra/db.js";
import { committedMigrations } from "../../src/infra/migrate.js";
import { beijingDate } from "../../src/domain/calendar/calendar.js";

/**
 * README 部署, followed word for word where a test can: every command below is taken verbatim from
 * that section (the test fails if it is edited away), with the data directory /var/lib/jxmb-bot and
 * port 3000 replaced by this test's own. sudo/systemctl lines are played by starting and stopping the
 * process (SIGTERM to its process group, as systemd does). One build per run: this file builds.
 */
const run = promisify(execFile);
const repo = path.resolve(".");
const readme = readFileSync(path.join(repo, "README.md"), "utf8");
const guide = readme.slice(readme.indexOf("## 部署"), readme.indexOf("\n## ", readme.indexOf("## 部署") + 5));
const dataDir = mkdtempSync(path.resolve("test/.tmp/deploy-"));
const env = {
  ...process.env,
  NODE_ENV: "production",
  HOST: "127.0.0.1",
  PORT: "0",
  PUBLIC_BASE_URL: "https://jxmb.example.gov.cn",
  LINK_SECRET: "deployment-guide-link-secret",
  DATABASE_URL: `file:${dataDir}/jxmb.db`,
  EVIDENCE_DIR: `${dataDir}/evidence`,
  BACKUP_DIR: `${dataDir}/backup`,
  METRICS_TOKEN: "deployment-guide-metrics-token",
  SCHEDULER_ENABLED: "false",
  LOG_LEVEL: "info",
};
let server: { proc: ChildProcess; port: number; out: () => string } | undefined;

/** A command line from README 部署, exactly as written there, adapted to this test's directory and port. */
function fromGuide(line: string, port?: number): string {
  expect(guide.split("\n").map((l) => l.trim()), `README 部署 no longer says: ${line}`).toContain(line);
  return line.replaceAll("/var/lib/jxmb-bot", dataDir).replaceAll("127.0.0.1:3000", `127.0.0.1:${port ?? 3000}`);
}

async function shell(line: string, cwd = repo, timeout = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run("bash", ["-c", line], { cwd, env, timeout, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

async function startProd(): Promise<NonNullable<typeof server>> {
  const [cmd, ...args] = fromGuide("npm run start:prod").split(" ");
  const proc = spawn(cmd, args, { cwd: repo, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start:prod did not start:\n${out.slice(-2000)}`)), 60_000);
    proc.stdout!.on("data", () => {
      const m = /"msg":"listening".*?"port":(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`start:prod exited with ${code}:\n${out.slice(-2000)}`));
    });
  });
  return { proc, port, out: () => out };
}

/**
 * `systemctl stop`: SIGTERM to the service's process group (npm and node), then wait until no process
 * of the group is left; resolves with what the bot logged on its way out.
 */
async function stopProd(): Promise<string> {
  const s = server!;
  server = undefined;
  const pgid = s.proc.pid!;
  process.kill(-pgid, "SIGTERM");
  const deadline = Date.now() + 30_000;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) throw new Error(`the service did not stop:\n${s.out().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return s.out();
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  // tsc on a busy two-core machine takes minutes.
  const build = await shell(fromGuide("npm run build"), repo, 580_000);
  expect(build.code, build.stdout + build.stderr).toBe(0);
  expect(existsSync(path.join(repo, "dist/src/main.js"))).toBe(true);
}, 600_000);
afterAll(async () => {
  if (server) await stopProd();
});

describe("README 部署, step by step", () => {
  it("starts the compiled build with plain node on a new database: migrations applied from dist, /healthz 200, JSON log lines, metrics behind the token", async () => {
    server = await startProd();
    const health = await shell(fromGuide("curl -fsS http://127.0.0.1:3000/healthz", server.port));
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout)).toMatchObject({ status: "ok", database: { status: "ok" } });
    const metrics = await shell(fromGuide('curl -fsS -H "Authorization: Bearer $METRICS_TOKEN" http://127.0.0.1:3000/metrics', server.port));
    expect(metrics.code).toBe(0);
    expect(metrics.stdout).toContain("# TYPE jxmb_callbacks_total counter");
    // From dist/, the committed migrations and this year's rules file are found in the project directory.
    const ready = server.out().split("\n").find((l) => l.includes('"msg":"database ready"'))!;
    expect(JSON.parse(ready).migrationsApplied).toEqual(committedMigrations());
    expect(server.out()).toContain(JSON.stringify(path.join(repo, "rules", `${beijingDate(new Date()).slice(0, 4)}.json`)));
    // The province being deployed: the demo year, as if it had run since January (written beside the running server).
    const db = await createDb(env.DATABASE_URL);
    await seedDemoProvince(db, { now: new Date("2026-11-20T02:00:00Z") });
    await db.$disconnect();
    const logLines = server.out().split("\n").filter((l) => l.startsWith("{"));
    expect(logLines.length).toBeGreaterThan(2);
    for (const l of logLines) expect(() => JSON.parse(l)).not.toThrow();
    expect(server.out()).not.toContain(env.LINK_SECRET);
  }, 120_000);

  it("backs up while running, refuses to restore while running, restores once stopped, and starts again", async () => {
    const backupLine = fromGuide('npm run -s cli -- backup "$BACKUP_DIR/jxmb-$(date +%F).db"');
    const backup = await shell(backupLine);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain("已备份数据库到");

    const restoreLine = fromGuide('npm run -s cli -- restore "$BACKUP_DIR/jxmb-$(date +%F).db"');
    const refused = await shell(restoreLine);
    expect(refused.code).toBe(75);
    expect(refused.stderr).toContain("请先停止服务");

    expect(fromGuide("sudo systemctl stop jxmb-bot")).toBeTruthy();
    const log = await stopProd();
    expect(log).toContain('"msg":"shutting down"');
    expect(log).not.toMatch(/"level":(50|60)/);
    const restored = await shell(restoreLine);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/单位 4 个，台账记录 \d+ 条/);

    expect(fromGuide("sudo systemctl start jxmb-bot")).toBeTruthy();
    server = await startProd();
    const health = await shell(fromGuide("curl -fsS http://127.0.0.1:3000/healthz", server.port));
    expect(health.code).toBe(0);
    expect(await stopProd()).toContain('"msg":"shutting down"');
  }, 180_000);

  it("archives the closed year and verifies it, with the tool and with sha256sum", async () => {
    // 考评发布 2026 closes the cycle; the demo province has not published, so the test closes it.
    const db = await createDb(env.DATABASE_URL);
    await db.cycle.update({ where: { year: 2026 }, data: { status: "closed" } });
    await db.$disconnect();
    const archive = await shell(fromGuide("npm run -s cli -- archive 2026 /var/lib/jxmb-bot/archive/2026"));
    expect(archive.code, archive.stderr).toBe(0);
    expect(archive.stdout).toContain("已生成 2026 年度归档");
    const verify = await shell(fromGuide("npm run -s cli -- archive verify /var/lib/jxmb-bot/archive/2026"));
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain("归档校验通过");
    expect(guide).toContain("sha256sum -c SHA256SUMS");
    const sums = await shell("sha256sum -c SHA256SUMS", path.join(dataDir, "archive/2026"));
    expect(sums.code, sums.stdout + sums.stderr).toBe(0);
  }, 120_000);

  it("ships the systemd unit the guide installs, with its restart policy and data directory", () => {
    fromGuide("sudo cp deploy/jxmb-bot.service /etc/systemd/system/");
    const unit = readFileSync(path.join(repo, "deploy/jxmb-bot.service"), "utf8");
    expect(unit).toContain("ExecStart=/usr/bin/node dist/src/main.js");
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toContain("RestartPreventExitStatus=78");
    expect(unit).toContain("StateDirectory=jxmb-bot");
    expect(guide).toContain("DATABASE_URL=file:/var/lib/jxmb-bot/jxmb.db");
  });
});
