import type { InboundEvent } from "../conversation/event.js";
import type { Reply } from "../messages/reply.js";
import { StorageUnavailable } from "../infra/db-errors.js";
import type { Logger } from "../infra/logger.js";

/** How long an acknowledged message is retried in-process before it is given up (and logged). */
export const STORED_RETRY_WINDOW_MS = 10 * 60_000;

/**
 * For a message already acknowledged to the platform (a late WeCom answer) whose handling then met a
 * storage fault: the platform will not send it again, so this process retries until it is stored,
 * backing off from 1 s to 10 s. Anything but a storage fault ends the retries at once.
 */
export async function retryUntilStored(
  handle: (ev: InboundEvent) => Promise<Reply[]>,
  ev: InboundEvent,
  log: Logger,
  windowMs = STORED_RETRY_WINDOW_MS,
): Promise<Reply[]> {
  const until = Date.now() + windowMs;
  for (let delay = 1_000; ; delay = Math.min(delay * 2, 10_000)) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      const replies = await handle(ev);
      log.info({ msg: "acknowledged message stored after a database fault", eventKey: ev.eventKey });
      return replies;
    } catch (err) {
      if (!(err instanceof StorageUnavailable) || Date.now() + delay > until) {
        log.error({ msg: "acknowledged message could not be stored and is given up", eventKey: ev.eventKey, sender: ev.senderId, err: (err as Error).message });
        throw err;
      }
    }
  }
}
