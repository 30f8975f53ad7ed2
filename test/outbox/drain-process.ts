import type { Reply } from "../../src/messages/reply.js";
import { systemClock } from "../../src/infra/clock.js";
import { createDb } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import type { ChannelSender, SendMeta, SendResult } from "../../src/outbox/sender.js";
import { OutboxWorker } from "../../src/outbox/worker.js";

/**
 * A separate worker process for the two-process test: drains the database given in argv until
 * nothing is due, then prints the keys it sent as JSON. Each send takes a few milliseconds, so two
 * of these overlap.
 */
const [url, workerId] = process.argv.slice(2);
const db = await createDb(url);
const sent: string[] = [];
const sender: ChannelSender = {
  platform: "console",
  async send(_recipient: string, _reply: Reply, meta: SendMeta): Promise<SendResult> {
    await new Promise((r) => setTimeout(r, 3));
    sent.push(meta.idempotencyKey);
    return { ok: true };
  },
};
const worker = new OutboxWorker({ db, senders: [sender], clock: systemClock, log: createLogger("silent"), workerId, concurrency: 2 });
while ((await worker.drainOnce()).sent > 0);
await db.$disconnect();
process.stdout.write(JSON.stringify(sent));
