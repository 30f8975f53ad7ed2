import type { Tx } from "../../infra/db.js";
import { NotFoundError } from "../errors.js";

/** Finds an agency by code, full name or short name, as people type it. */
export async function findAgency(tx: Tx, query: string) {
  const q = query.trim();
  const exact = await tx.agency.findFirst({ where: { OR: [{ code: q.toUpperCase() }, { name: q }, { shortName: q }] } });
  if (exact) return exact;
  const all = await tx.agency.findMany({ orderBy: { id: "asc" } });
  const partial = all.filter((a) => a.name.includes(q) || a.shortName.includes(q));
  if (partial.length === 1) return partial[0];
  if (partial.length > 1) {
    throw new NotFoundError(`“${q}”对应多个单位：${partial.map((a) => a.shortName).join("、")}。请输入更完整的单位名称。`);
  }
  throw new NotFoundError(`未找到单位“${q}”。请输入单位全称、简称或代码。`);
}
