import { seedDemoProvince } from "../../src/demo/seed.js";
import type { Db } from "../../src/infra/db.js";
import { startWecomSimulator, type WecomSimulator } from "../../simulators/wecom/server.js";
import { startProcess, type ServerProcess } from "../helpers/server-process.js";

/**
 * A real server process on a database that the test then breaks and mends, with WeCom callbacks sent
 * before, during and after the fault. A report counts as acknowledged when WeCom got a 200 for it:
 * from then on WeCom never sends it again, so it must reach the ledger.
 */
export interface FaultBench {
  sim: WecomSimulator;
  server: ServerProcess;
  /** One delivery attempt of report `marker` with platform message id `msgId`. */
  send(msgId: string, marker: string): Promise<{ status: number; stored: boolean }>;
  /** Re-sends (as WeCom does) until a 200 arrives; throws after `withinMs`. */
  sendUntilAcknowledged(msgId: string, marker: string, withinMs?: number): Promise<void>;
  /** Markers WeCom got a 200 for. */
  acknowledged: Set<string>;
  health(): Promise<number>;
  close(): Promise<void>;
}

let sequence = 0;

export async function seedFaultProvince(db: Db): Promise<void> {
  await seedDemoProvince(db, { now: new Date(), platformIdentities: ["wecom"] });
}

export async function startFaultBench(dbUrl: string, env: Record<string, string> = {}): Promise<FaultBench> {
  const sim = await startWecomSimulator();
  const server = await startProcess("src/main.ts", {
    ...sim.env(),
    DATABASE_URL: dbUrl,
    LOG_LEVEL: "info",
    SCHEDULER_ENABLED: "false",
    ...env,
  });
  sim.setCallbackUrl(`${server.url}/wecom/callback`);
  const acknowledged = new Set<string>();
  const send = async (msgId: string, marker: string) => {
    const target = ["FGW-01", "FGW-05", "FGW-07", "FGW-09"][sequence++ % 4];
    // 70–89%: never a drop of more than 20 points, which asks to confirm first (rules `reporting`) and stores nothing.
    const r = await sim.sendText("fgw_zhao", `汇报 ${target} ${70 + (sequence % 20)} ${marker}`, { msgId, attempts: 1, timeoutMs: 6_000 });
    const stored = r.status === 200 && r.reply !== undefined && "content" in r.reply && r.reply.content.includes("已记入台账");
    if (r.status === 200) acknowledged.add(marker);
    return { status: r.status, stored };
  };
  return {
    sim,
    server,
    acknowledged,
    send,
    async sendUntilAcknowledged(msgId, marker, withinMs = 15_000) {
      const until = Date.now() + withinMs;
      for (;;) {
        const r = await send(msgId, marker);
        if (r.status === 200) return;
        if (Date.now() > until) throw new Error(`${marker} not acknowledged within ${withinMs} ms (last status ${r.status})\n${server.output().slice(-3000)}`);
        await new Promise((res) => setTimeout(res, 300));
      }
    },
    async health() {
      const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(15_000) });
      return res.status;
    },
    async close() {
      await server.kill();
      await sim.close();
    },
  };
}

/** Every acknowledged marker is in the ledger exactly once. */
export async function ledgerNotes(db: Db, prefix: string): Promise<string[]> {
  const rows = await db.progressReport.findMany({ where: { note: { startsWith: prefix } }, select: { note: true } });
  return rows.map((r) => r.note);
}
