import { Agent, request } from "node:http";
import path from "node:path";
import { rmSync } from "node:fs";
import { seedDemoProvince } from "../src/demo/seed.js";
import { createDb } from "../src/infra/db.js";
import { migrateSqlite } from "../src/infra/migrate.js";
import { startWecomSimulator } from "../simulators/wecom/server.js";
import { median, percentile, table } from "./measure.js";
import { startProcess } from "../test/helpers/server-process.js";

/**
 * Signed, encrypted WeCom callbacks carrying progress reports, end to end to the database, at a fixed
 * concurrency — beside two baselines measured in the same run: a bare Koa route, and a route that only
 * verifies and decrypts with the official @wecom/crypto. Every request is sealed before the clock starts.
 */
interface Sealed {
  query: string;
  body: string;
}

async function fire(url: string, requests: Sealed[], concurrency: number) {
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

export async function benchCallbacks(count = 2000, concurrency = 16): Promise<string> {
  // The bot runs on the real clock, so the simulator signs with it too (stale timestamps are refused).
  const now = new Date();
  const sim = await startWecomSimulator();
  const file = path.resolve("bench/.tmp/callbacks.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  const url = `file:${file}`;
  migrateSqlite(url);
  const db = await createDb(url);
  await seedDemoProvince(db, { now, platformIdentities: ["wecom"] });
  await db.$disconnect();

  const seal = (i: number, offset: number): Sealed => {
    const inner = `<xml><ToUserName><![CDATA[${sim.corpId}]]></ToUserName><FromUserName><![CDATA[fgw_zhao]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[汇报 FGW-0${[1, 5, 7, 9][i % 4]} ${70 + (i % 20)} 基准测试第${i}次汇报]]></Content><MsgId>${offset + i}</MsgId><AgentID>${sim.agentId}</AgentID></xml>`;
    const s = sim.seal(inner);
    return {
      query: new URLSearchParams({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce }).toString(),
      body: `<xml><ToUserName><![CDATA[${sim.corpId}]]></ToUserName><AgentID><![CDATA[${sim.agentId}]]></AgentID><Encrypt><![CDATA[${s.encrypt}]]></Encrypt></xml>`,
    };
  };
  const env = { ...sim.env(), DATABASE_URL: url, SCHEDULER_ENABLED: "false", LOG_LEVEL: "info", NODE_ENV: "production", LINK_SECRET: "bench-only" };
  const servers: [string, string][] = [
    ["bare Koa route (baseline)", "bench/servers/bare-koa.ts"],
    ["verify + decrypt with @wecom/crypto (baseline)", "bench/servers/decrypt-only.ts"],
    ["bot: verify, decrypt, core, report in SQLite, encrypted reply", "src/main.ts"],
  ];
  const rows: (string | number)[][] = [];
  let offset = 1_000_000;
  for (const [name, script] of servers) {
    const server = await startProcess(script, env);
    // Sealing is done before timing; the clock sees only the server's work.
    await fire(server.url, Array.from({ length: 200 }, (_, i) => seal(i, offset)), concurrency);
    offset += 1_000_000;
    const requests = Array.from({ length: count }, (_, i) => seal(i, offset));
    offset += 1_000_000;
    const r = await fire(server.url, requests, concurrency);
    await server.stop();
    rows.push([name, count, concurrency, r.rps, r.p50, r.p99, r.failures]);
  }
  await sim.close();
  const reportsDb = await createDb(url);
  const stored = await reportsDb.progressReport.count({ where: { note: { contains: "基准测试" } } });
  await reportsDb.$disconnect();
  const bot = rows[2][3] as number;
  return (
    table("WeCom callbacks end to end (progress reports), loopback, separate server process", ["server", "requests", "concurrency", "req/s", "p50 ms", "p99 ms", "non-200"], rows) +
    `\nbot throughput = ${((bot / (rows[0][3] as number)) * 100).toFixed(1)}% of bare Koa, ${((bot / (rows[1][3] as number)) * 100).toFixed(1)}% of verify+decrypt; reports stored: ${stored} of ${count + 200} sent to the bot`
  );
}
