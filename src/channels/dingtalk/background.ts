import type { Context } from "koa";
import type { Logger } from "../../infra/logger.js";

/**
 * Work that runs after the HTTP answer has gone out (reply delivery). Tracked so tests and a
 * graceful shutdown can wait for it, and so a failure is logged instead of becoming an unhandled
 * rejection.
 */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  track(work: Promise<unknown>): void {
    const p: Promise<void> = work
      .then(
        () => undefined,
        (err: unknown) => {
          this.log.error({ msg: "dingtalk background delivery failed", detail: err instanceof Error ? err.message : String(err) });
        },
      )
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Resolves once nothing is pending, including work started while waiting. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /**
   * Starts `task` once the response is flushed: DingTalk wants a quick answer, and card updates must
   * not be called "inside" the callback (event-callback-card page). Tracked from now, so drain()
   * also waits for responses still being written.
   */
  afterResponse(ctx: Context, task: () => Promise<unknown>): void {
    this.track(
      new Promise<unknown>((resolve, reject) => {
        let started = false;
        const start = (): void => {
          if (started) return;
          started = true;
          task().then(resolve, reject);
        };
        ctx.res.once("finish", start);
        ctx.res.once("close", start);
      }),
    );
  }
}
