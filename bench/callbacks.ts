import { Agent, request } from "node:http";
import os from "node:os";
import path from "node:path";
import { rmSync } from "node:fs";
import { loadSettings } from "../src/config/settings.js";
import { createCore } from "../src/conversation/create-core.js";
import { seedDemoProvince } from "../src/demo/seed.js";
import { systemClock } from "../src/infra/clock.js";
import { createLogger } from "../src/infra/logger.js";
import { newQueryCount } from "../src/infra/query-count.js";
import { createDb } from "../src/infra/db.js";
import { migrateSqlite } from "../src/infra/migrate.js";
import { startWecomSimulator } from "../simulators/wecom/server.js";
import { median, percentile, table } from "./measure.js";
import { startProcess } from "../test/helpers/server-process.js";

/**
 * Signed, encrypted WeCom callbacks carrying progress reports, end to end to the database, at a fixed
 * concurrency — beside three baselines measured in the same run: a bare Koa route, a route that only
 * verifies and decrypts with the official @wecom/crypto, and a naive peer bot doing the same job
 * without dedupe or authorisation. Every request is sealed before the clock starts.
 */
export interface Sealed {
  query: string;
  body: string;
}

export async function fire(url: string, requests: Sealed[], concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const one = (r: Sealed) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = request(`${url}/wecom/callback?${r.query}`, { method: "POST", agent, headers: { "content-type": "text/xml" } }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode !== 200) failures++;
          latencies.push(performance.now() - started);
          resolve();
        });
      });
      req.on("error", () => {
        failures++;
        resolve();
      });
      req.end(r.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) await one(requests[next++]);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { rps: requests.length / seconds, p50: median(latencies), p99: percentile(latencies, 99), failures };
}

/** Seals the i-th progress report callback of a batch (MsgIds from `offset` up, so none repeats). */
export function sealer(sim: Awaited<ReturnType<typeof startWecomSimulator>>): (i: number, offset: number) => Sealed {
  return (i, offset) => {
    const inner = `<xml><ToUserName><![CDATA[${sim.corpId}]]></ToUserName><FromUserName><![CDATA[fgw_zhao]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[汇报 FGW-0${[1, 5, 7, 9][i % 4]} ${70 + (i % 20)} 基准测试第${i}次汇报]]></Content><MsgId>${offset + i}</MsgId><AgentID>${sim.agentId}</AgentID></xml>`;
    const s = sim.seal(inner);
    return {
      query: new URLSearchParams({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce }).toString(),
      body: `<xml><ToUserName><![CDATA[${sim.corpId}]]></ToUserName><AgentID><![CDATA[${sim.agentId}]]></AgentID><Encrypt><![CDATA[${s.encrypt}]]></Encrypt></xml>`,
    };
  };
}

const reportText = (i: number) => `汇报 FGW-0${[1, 5, 7, 9][i % 4]} ${70 + (i % 20)} 计数第${i}次汇报`;

/**
 * The real core without HTTP, on the same database: statements per progress report counted at the
 * driver adapter (one report at a time), then reports at `concurrency` with each transaction's wait
 * for SQLite's single writer and its hold of it, BEGIN to COMMIT — where a report's latency goes.
 */
async function coreProfile(url: string, concurrency: number, reports = 500) {
  const count = newQueryCount();
  const waited: number[] = [];
  const held: number[] = [];
  const timing = { transactionTimed: (w: number, h: number) => (waited.push(w), held.push(h)) };
  const db = await createDb(url, { count, observers: [timing] });
  const settings = loadSettings({ DATABASE_URL: url, LOG_LEVEL: "silent", SCHEDULER_ENABLED: "false" });
  const core = createCore({ settings, db, clock: systemClock, log: createLogger("silent") });
  let key = 0;
  const report = (i: number) =>
    core.handle({ platform: "wecom", eventKey: `count-${key++}`, senderId: "fgw_zhao", conversationId: "wecom:fgw_zhao", receivedAt: new Date(), body: { type: "text", text: reportText(i) } });
  await report(-1); // who is speaking and the cycle are read once, then remembered
  count.reset();
  for (let i = 0; i < 50; i++) await report(i);
  const perReport = { statements: count.statements / 50, transactions: count.transactions / 50 };
  waited.length = held.length = 0;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < reports) {
        const t = performance.now();
        await report(next++);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const rps = reports / ((performance.now() - started) / 1000);
  await db.$disconnect();
  return { ...perReport, rps, p50: median(latencies), p99: percentile(latencies, 99), waited, held };
}

export async function benchCallbacks(count = 2000, concurrency = 16, runs = 3): Promise<string> {
  // The bot runs on the real clock, so the simulator signs with it too (stale timestamps are refused).
  const load = os.loadavg();
  const now = new Date();
  const sim = await startWecomSimulator();
  const file = path.resolve("bench/.tmp/callbacks.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  const url = `file:${file}`;
  migrateSqlite(url);
  const db = await createDb(url);
  await seedDemoProvince(db, { now, platformIdentities: ["wecom"] });
  await db.$disconnect();

  const seal = sealer(sim);
  const env = { ...sim.env(), DATABASE_URL: url, SCHEDULER_ENABLED: "false", LOG_LEVEL: "info", NODE_ENV: "production", LINK_SECRET: "bench-only" };
  const servers: [string, string][] = [
    ["bare Koa route (baseline)", "bench/servers/bare-koa.ts"],
    ["verify + decrypt with @wecom/crypto (baseline)", "bench/servers/decrypt-only.ts"],
    ["naive peer: decrypt, parse, sender, insert, passive reply (baseline)", "bench/servers/naive-peer.ts"],
    ["bot: verify, decrypt, core, report in SQLite, encrypted reply", "src/main.ts"],
  ];
  const rows: (string | number)[][] = [];
  const rps: number[] = [];
  let offset = 1_000_000;
  let botStoredBefore = 0;
  for (const [name, script] of servers) {
    const isBot = script === "src/main.ts";
    if (isBot) botStoredBefore = await storedReports(url);
    const results = [];
    for (let run = 0; run < runs; run++) {
      const server = await startProcess(script, env);
      // Sealing is done before timing; the clock sees only the server's work.
      await fire(server.url, Array.from({ length: 200 }, (_, i) => seal(i, offset)), concurrency);
      offset += 1_000_000;
      const requests = Array.from({ length: count }, (_, i) => seal(i, offset));
      offset += 1_000_000;
      results.push(await fire(server.url, requests, concurrency));
      await server.stop();
    }
    const r = { rps: median(results.map((x) => x.rps)), p50: median(results.map((x) => x.p50)), p99: median(results.map((x) => x.p99)) };
    rps.push(r.rps);
    rows.push([name, count, concurrency, r.rps, r.p50, r.p99, results.reduce((n, x) => n + x.failures, 0)]);
  }
  await sim.close();
  const stored = (await storedReports(url)) - botStoredBefore;
  const q = await coreProfile(url, concurrency);
  const [koa, decrypt, peer, bot] = rps;
  const ratio = (x: number) => `${(bot / x).toFixed(2)}×`;
  return (
    table(`WeCom callbacks end to end (progress reports), loopback, separate server process; medians of ${runs} runs`, ["server", "requests", "concurrency", "req/s", "p50 ms", "p99 ms", "non-200"], rows) +
    `\nbot req/s = ${ratio(koa)} bare Koa, ${ratio(decrypt)} verify+decrypt, ${ratio(peer)} the naive peer (targets: ≥ 0.35× verify+decrypt, ≥ 1.0× peer, p99 < 50 ms)` +
    `\nbot database round trips per report: ${q.statements.toFixed(1)} statements incl. COMMIT, ${q.transactions.toFixed(1)} transaction (naive peer: 4 statements, no transaction)` +
    `\ncore alone (no HTTP, in this process) at concurrency ${concurrency}: ${q.rps.toFixed(0)} reports/s, p50 ${q.p50.toFixed(1)} ms, p99 ${q.p99.toFixed(1)} ms;` +
    ` per transaction: waiting for the SQLite writer p50 ${median(q.waited).toFixed(1)} / p99 ${percentile(q.waited, 99).toFixed(1)} ms,` +
    ` holding it (BEGIN…COMMIT) p50 ${median(q.held).toFixed(1)} / p99 ${percentile(q.held, 99).toFixed(1)} ms` +
    `\nload average of this machine (1 min) before / after: ${load[0].toFixed(1)} / ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores — ratios come from one run on the same machine; absolute figures move with the load` +
    `\nreports stored by the bot: ${stored} of ${runs * (count + 200)} sent to it`
  );
}

async function storedReports(url: string): Promise<number> {
  const db = await createDb(url);
  const n = await db.progressReport.count({ where: { note: { contains: "基准测试" } } });
  await db.$disconnect();
  return n;
}
