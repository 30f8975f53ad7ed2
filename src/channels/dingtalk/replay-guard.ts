import { createHash } from "node:crypto";
import type { Db } from "../../infra/db.js";
import { isUniqueViolation } from "../../infra/db-errors.js";
import { MAX_SKEW_MS } from "./signature.js";

/**
 * DingTalk's signatures cover only the timestamp, so a captured `timestamp` + `sign` pair would be
 * accepted with any body for an hour. Each accepted pair is remembered with a digest of its body until
 * it leaves the window: the same body again is a platform redelivery (the conversation core dedupes
 * it), another body with the same pair is a replay and refused. Kept in the database, so every
 * instance sees every pair.
 */
export type SignatureVerdict = "first" | "redelivery" | "replay";

export interface SignatureLedger {
  claim(use: { kind: "robot" | "card"; timestamp: string; sign: string; body: unknown; now: Date }): Promise<SignatureVerdict>;
}

export function bodyDigest(body: unknown): string {
  return createHash("sha256").update(JSON.stringify(body)).digest("hex");
}

/** Pairs older than the window are removed now and then, by whichever request comes. */
const PRUNE_EVERY = 200;

export function dbSignatureLedger(db: Db): SignatureLedger {
  let sinceSweep = 0;
  return {
    async claim({ kind, timestamp, sign, body, now }) {
      const digest = bodyDigest(body);
      if (++sinceSweep >= PRUNE_EVERY) {
        sinceSweep = 0;
        await db.signatureUse.deleteMany({ where: { expiresAt: { lt: now } } });
      }
      try {
        await db.signatureUse.create({ data: { kind, timestamp, sign, digest, expiresAt: new Date(Number(timestamp) + MAX_SKEW_MS) } });
        return "first";
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const seen = await db.signatureUse.findUnique({ where: { kind_timestamp_sign: { kind, timestamp, sign } } });
        return seen?.digest === digest ? "redelivery" : "replay";
      }
    },
  };
}

/** One process's memory: for receivers mounted without a database (channel tests). */
export function memorySignatureLedger(): SignatureLedger {
  const seen = new Map<string, string>();
  return {
    async claim({ kind, timestamp, sign, body }) {
      const key = `${kind}\n${timestamp}\n${sign}`;
      const digest = bodyDigest(body);
      const before = seen.get(key);
      if (before === undefined) {
        seen.set(key, digest);
        return "first";
      }
      return before === digest ? "redelivery" : "replay";
    },
  };
}
