import type { Tx } from "../../infra/db.js";
import { beijingDate } from "./calendar.js";
import { NotFoundError } from "../errors.js";

/** 考评周期 (§2.20): the cycle of the Beijing year containing `now`, else the newest one. */
export async function currentCycle(tx: Tx, now: Date) {
  const year = Number(beijingDate(now).slice(0, 4));
  const cycle = (await tx.cycle.findUnique({ where: { year } })) ?? (await tx.cycle.findFirst({ orderBy: { year: "desc" } }));
  if (!cycle) throw new NotFoundError("系统中尚未建立考评周期，请联系目标办。");
  return cycle;
}
