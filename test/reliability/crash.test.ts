import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoProvince } from "../../src/demo/seed.js";
import type { Db } from "../../src/infra/db.js";
import { enqueue } from "../../src/outbox/enqueue.js";
import { startWecomSimulator, type WecomSimulator } from "../../simulators/wecom/server.js";
import { freshDb } from "../helpers/db.js";
import { startProcess, type ServerProcess } from "../helpers/server-process.js";

/**
 * DESIGN.md §5: "An acknowledged report is never lost, including when the process is killed right
 * after." The real server runs in its own process; WeCom callbacks flow from eight lanes while the
 * outbox drains slow sends; the process gets SIGKILL mid-flow and is started again on the same file.
 */
const LANES = 8;
const QUEUED = 60;
let sim: WecomSimulator;
let dbUrl: string;
let db: Db;
let server: ServerProcess | undefined;

beforeAll(async () => {
  sim = await startWecomSimulator();
  const fresh = await freshDb("crash");
  dbUrl = fresh.url;
  db = fresh.db;
  await seedDemoProvince(db, { now: new Date(), platformIdentities: ["wecom"] });
  // Pushes waiting in the outbox when the crash comes; spread over users to stay under WeCom's pace.
  const users = await db.user.findMany({ orderBy: { id: "asc" } });
  await db.$transaction(async (tx) => {
    for (let i = 0; i < QUEUED; i++) {
      const u = users[i % users.length];
      await enqueue(tx, u.id, { kind: "text", text: `崩溃测试通知 ${i}` }, { key: `crash-test:${i}`, now: new Date(Date.now() - 60_000) });
    }
  });
}, 60_000);
afterAll(async () => {
  await server?.kill();
  await sim?.close();
  await db?.$disconnect();
});

function startBot(): Promise<ServerProcess> {
  return startProcess("src/main.ts", {
    ...sim.env(),
    DATABASE_URL: dbUrl,
    LOG_LEVEL: "info",
    SCHEDULER_ENABLED: "false",
    CRON_OUTBOX: "* * * * * *",
    OUTBOX_LEASE_SECONDS: "2",
  });
}

describe("killing the server with SIGKILL", () => {
  it("loses no acknowledged report, and the outbox resumes without duplicates", async () => {
    sim.fault({ api: "message/send", times: 10_000, delayMs: 250 });
    server = await startBot();
    sim.setCallbackUrl(`${server.url}/wecom/callback`);
    const acknowledged: string[] = [];
    let killed = false;
    let sent = 0;
    const lane = async (l: number) => {
      for (let i = 0; !killed; i++) {
        // MsgIds are 64-bit: kept as strings, never JavaScript numbers.
        const msgId = `91000${l}${String(i).padStart(8, "0")}`;
        const marker = `崩溃测试${l}-${i}`;
        sent++;
        // 70–89%: never a drop of more than 20 points, which asks to confirm first (rules `reporting`).
        const r = await sim.sendText("fgw_zhao", `汇报 FGW-0${[1, 5, 7, 9][l % 4]} ${70 + (i % 20)} ${marker}`, { msgId, attempts: 1, timeoutMs: 5000 });
        if (r.status === 200 && r.reply && "content" in r.reply && r.reply.content.includes("已记入台账")) acknowledged.push(marker);
      }
    };
    const lanes = Array.from({ length: LANES }, (_, l) => lane(l));
    // Killed mid-flow once reports are being acknowledged (a cold start on a loaded machine is slow),
    // not after a fixed time.
    for (const deadline = Date.now() + 60_000; acknowledged.length < 30 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    await server.kill();
    killed = true;
    await Promise.all(lanes);

    const inFlight = await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "crash-test:" }, status: "sending" } });
    const sentBefore = await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "crash-test:" }, status: "sent" } });
    expect(acknowledged.length).toBeGreaterThan(20);
    expect(sent).toBeGreaterThan(acknowledged.length); // some callbacks died with the process
    expect(sentBefore).toBeLessThan(QUEUED);

    server = await startBot();
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && (await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "crash-test:" }, status: { not: "sent" } } })) > 0) {
      await new Promise((r) => setTimeout(r, 250));
    }
    sim.clearFaults();

    // Every acknowledged report is in the ledger, exactly once.
    const reports = await db.progressReport.findMany({ where: { note: { startsWith: "崩溃测试" } }, select: { note: true } });
    const notes = reports.map((r) => r.note);
    for (const marker of acknowledged) expect(notes.filter((n) => n === marker)).toHaveLength(1);
    expect(new Set(notes).size).toBe(notes.length);

    // The outbox finished, and every notice reached its reader once: rows cut off mid-send were sent
    // again with the same content, which WeCom's duplicate check swallows.
    const rows = await db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "crash-test:" } } });
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    for (let i = 0; i < QUEUED; i++) {
      const row = rows.find((r) => r.idempotencyKey === `crash-test:${i}`)!;
      const seen = sim.screen(row.recipient).filter((m) => m.content === `崩溃测试通知 ${i}`);
      expect(seen).toHaveLength(1);
    }
    // Report how the crash fell, for the record: rows caught mid-send were reclaimed after restart.
    console.log(`crash test: ${sent} callbacks sent, ${acknowledged.length} acknowledged; outbox at kill: ${sentBefore} sent, ${inFlight} mid-send`);
  }, 120_000);
});
