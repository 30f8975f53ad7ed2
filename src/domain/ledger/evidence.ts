import { createHash } from "node:crypto";
import type { Tx } from "../../infra/db.js";
import type { Actor } from "../people/actor.js";
import { InputError, NotFoundError } from "../errors.js";

/**
 * Evidence (佐证材料) for the 台账 (§7.3). Records stay append-only: evidence is attached to a report
 * already made — the reporter's latest on that target — never by editing the report itself.
 */
export const EVIDENCE_WINDOW_MS = 24 * 3600_000;

/** The speaker's newest report, on one target (by code) or on any, within the last day. */
export async function latestOwnReport(tx: Tx, actor: Actor, now: Date, targetId?: number) {
  const report = await tx.progressReport.findFirst({
    where: { reporterId: actor.id, createdAt: { gte: new Date(now.getTime() - EVIDENCE_WINDOW_MS) }, ...(targetId ? { targetId } : {}) },
    include: { target: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!report) {
    throw new NotFoundError("未找到您 24 小时内的进度汇报。请先汇报进度（汇报 <编号> <进度> <说明>），再提交佐证材料。");
  }
  return report;
}

export async function attachLink(tx: Tx, reportId: number, url: string, name: string, now: Date) {
  if (!/^https?:\/\/\S+$/.test(url)) throw new InputError(`“${url}”不是有效的链接。请提供以 http:// 或 https:// 开头的网址。`, "bad_link");
  return tx.reportEvidence.create({ data: { reportId, kind: "link", name: name.trim() || url, ref: url, createdAt: now } });
}

/** A file's bytes are kept by their SHA-256 (see src/infra/evidence-store.ts); the 台账 holds the reference. */
export async function attachFile(tx: Tx, reportId: number, fileName: string, content: Buffer, ref: string, now: Date) {
  const sha256 = createHash("sha256").update(content).digest("hex");
  return tx.reportEvidence.create({ data: { reportId, kind: "file", name: fileName, ref, sha256, createdAt: now } });
}
