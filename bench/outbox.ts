import path from "node:path";
import { rmSync } from "node:fs";
import { createWecomSender } from "../src/channels/wecom/index.js";
import { loadSettings } from "../src/config/settings.js";
import { systemClock } from "../src/infra/clock.js";
import { createDb, type Db } from "../src/infra/db.js";
import { newQueryCount, type QueryCount } from "../src/infra/query-count.js";
import { createLogger } from "../src/infra/logger.js";
import { migrateSqlite } from "../src/infra/migrate.js";
import { enqueue } from "../src/outbox/enqueue.js";
import { OutboxWorker } from "../src/outbox/worker.js";
import { startWecomSimulator } from "../simulators/wecom/server.js";
import { table } from "./measure.js";

/**
 * Outbox drain rate against the WeCom simulator (token, message/send validation, per-member pacing),
 * beside a baseline measured in the same run: the same sends made directly, one after another, with no
 * outbox bookkeeping. A second scenario shows the pacing: 100 messages to one member in one drain.
 */
async function freshDb(name: string, count?: QueryCount): Promise<Db> {
  const file = path.resolve("bench/.tmp", `${name}.db`);
  for (const s of ["", "-wal", "-shm"]) rmSync(file + s, { force: true });
  migrateSqlite(`file:${file}`);
  return createDb(`file:${file}`, { count });
}

export async function benchOutbox(users = 200, perUser = 5): Promise<string> {
  const sim = await startWecomSimulator({ perUserPerMinute: 1_000_000, perUserPerHour: 1_000_000 });
  const log = createLogger("silent");
  const settings = loadSettings({ ...sim.env(), LOG_LEVEL: "silent" });
  const sender = createWecomSender({ settings, clock: systemClock, log });
  const count = newQueryCount();
  const db = await freshDb("outbox", count);
  const ids: number[] = [];
  for (let u = 0; u < users; u++) ids.push((await db.user.create({ data: { account: `u${u}`, name: `用户${u}`, role: "staff", identities: { create: { platform: "wecom", externalId: `u${u}` } } } })).id);
  const total = users * perUser;
  await db.$transaction(async (tx) => {
    for (let i = 0; i < total; i++) await enqueue(tx, ids[i % users], { kind: "text", text: `通知 ${i}` }, { key: `bench:${i}`, now: new Date(Date.now() - 1000) });
  });

  let started = performance.now();
  for (let i = 0; i < total; i++) await sender.send(`u${i % users}`, { kind: "text", text: `直发 ${i}` }, { idempotencyKey: `direct:${i}` });
  const directMs = performance.now() - started;

  const worker = new OutboxWorker({ db, senders: [sender], clock: systemClock, log, concurrency: 4, batchSize: 200 });
  count.reset();
  started = performance.now();
  let sent = 0;
  while (sent < total) {
    const r = await worker.drainOnce();
    if (r.sent === 0) break;
    sent += r.sent;
  }
  const outboxMs = performance.now() - started;
  const statements = count.statements;

  // Pacing: WeCom drops pushes beyond 30 a minute to one member without an error, so the outbox
  // must hold them back itself (platforms.md).
  const member = (await db.user.create({ data: { account: "pace", name: "限速", role: "staff", identities: { create: { platform: "wecom", externalId: "pace" } } } })).id;
  await db.$transaction(async (tx) => {
    for (let i = 0; i < 100; i++) await enqueue(tx, member, { kind: "text", text: `同一成员 ${i}` }, { key: `pace:${i}`, now: new Date(Date.now() - 1000) });
  });
  const paced = await new OutboxWorker({ db, senders: [sender], clock: systemClock, log }).drainOnce();
  await db.$disconnect();
  await sim.close();
  return (
    table("Outbox drain against the WeCom simulator (loopback)", ["path", "messages", "seconds", "msg/s"], [
      ["direct sends, no outbox (baseline)", total, directMs / 1000, total / (directMs / 1000)],
      ["outbox worker (pace, claim, send, mark in batches; 4 lanes)", sent, outboxMs / 1000, sent / (outboxMs / 1000)],
    ]) +
    `\noutbox rate = ${((sent / outboxMs / (total / directMs)) * 100).toFixed(0)}% of direct sending; ${(statements / sent).toFixed(3)} database statements per message (${statements} for ${sent})` +
    `\npacing: 100 messages to one member → ${paced.sent} sent at once, ${100 - paced.sent} held back for one every 3 s (at most 30 in any minute: WeCom's limit)`
  );
}
