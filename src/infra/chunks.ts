/**
 * Ids per statement when a list of them must go to the database: far below SQLite's 32,766 bound
 * parameters, and small enough that Prisma 7 can add an ordered include without refusing it (P2029).
 */
export const ID_CHUNK = 1_000;

/** Reads `items` in chunks, one statement after the other (a transaction client takes one at a time). */
export async function inChunks<T, R>(items: readonly T[], read: (chunk: T[]) => Promise<R[]>, size = ID_CHUNK): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await read(items.slice(i, i + size))));
  return out;
}
