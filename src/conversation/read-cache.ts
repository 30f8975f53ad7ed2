import type { Tx } from "../infra/db.js";
import { RowCache } from "../infra/row-cache.js";
import { beijingDate } from "../domain/calendar/calendar.js";
import { currentCycle } from "../domain/calendar/cycles.js";
import { resolveActor } from "./identity.js";

/**
 * What nearly every message reads and almost nothing writes, kept in memory per core: who a platform
 * account is, the current 考评周期 (§2.20), and whether a person has a dialog waiting. A write to
 * those tables in this process drops the entries at once (src/infra/table-versions.ts); another
 * instance's write is seen here within READ_CACHE_TTL_MS (PERSON_CACHE_TTL_MS for accounts and dialogs).
 */
export const READ_CACHE_TTL_MS = 30_000;
/**
 * Per-person entries are kept shorter: an account disabled from the command line (another process)
 * must stop working at once for practical purposes, and a dialog opened through another instance
 * must be seen by the time the person has typed the answer. One extra read every two seconds per
 * active person costs nothing at a province's pace.
 */
export const PERSON_CACHE_TTL_MS = 2_000;

type Cycle = Awaited<ReturnType<typeof currentCycle>>;

export class ReadCache {
  private readonly actors = new RowCache<Awaited<ReturnType<typeof resolveActor>>>(["User", "PlatformIdentity"], PERSON_CACHE_TTL_MS);
  private readonly cycles = new RowCache<Cycle>(["Cycle"], READ_CACHE_TTL_MS);
  private readonly dialogs = new RowCache<boolean>(["DialogState"], PERSON_CACHE_TTL_MS);

  /** resolveActor, remembered for active people only: unknown and disabled accounts are read each time. */
  actor(tx: Tx, platform: string, externalId: string) {
    return this.actors.get(`${platform}\u0000${externalId}`, () => resolveActor(tx, platform, externalId), (a) => typeof a === "object" && a !== null);
  }

  /** currentCycle for the Beijing year of `now`. */
  cycle(tx: Tx, now: Date): Promise<Cycle> {
    return this.cycles.get(beijingDate(now).slice(0, 4), () => currentCycle(tx, now));
  }

  /** False only when the person had no dialog waiting in any conversation when last looked at. */
  async mayHaveDialog(tx: Tx, userId: number): Promise<boolean> {
    return this.dialogs.get(String(userId), async () => (await tx.dialogState.findFirst({ where: { userId }, select: { id: true } })) !== null);
  }
}

/** For contexts made without a core (jobs, tests): reads every time. */
export const noReadCache = {
  actor: (tx: Tx, platform: string, externalId: string) => resolveActor(tx, platform, externalId),
  cycle: (tx: Tx, now: Date) => currentCycle(tx, now),
} satisfies Pick<ReadCache, "actor" | "cycle">;

export type ReadCaches = Pick<ReadCache, "actor" | "cycle">;
