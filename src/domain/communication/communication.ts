import type { Tx } from "../../infra/db.js";
import { type Actor, requireRole } from "../people/actor.js";
import { ForbiddenError, InputError, NotFoundError } from "../errors.js";

/**
 * 绩效沟通 (§2.22) runs both ways: an agency asks the office about standards or methods, or the office
 * opens a thread to an agency (its 单位目标办 answers). Every message is kept in the thread.
 */
export async function askQuestion(tx: Tx, actor: Actor, question: string, now: Date) {
  requireRole(actor, ["officer", "head", "staff"], "发起绩效沟通");
  const q = checkedQuestion(question, "沟通 第二季度节点可否延期至7月10日？");
  return tx.communicationThread.create({
    data: {
      agencyId: actor.agencyId,
      askerId: actor.id,
      subject: q.slice(0, 60),
      createdAt: now,
      messages: { create: { authorId: actor.id, body: q, createdAt: now } },
    },
    include: { agency: true },
  });
}

/** The office opens a thread to one agency; its officers answer. */
export async function openThreadToAgency(tx: Tx, actor: Actor, agencyId: number, text: string, now: Date) {
  requireRole(actor, ["office"], "向单位发起绩效沟通");
  const q = checkedQuestion(text, "发起沟通 发改委 请说明第三季度节点未达成的原因");
  return tx.communicationThread.create({
    data: { agencyId, askerId: actor.id, subject: q.slice(0, 60), createdAt: now, messages: { create: { authorId: actor.id, body: q, createdAt: now } } },
    include: { agency: true },
  });
}

function checkedQuestion(text: string, example: string): string {
  const q = text.trim();
  if (q.length < 4) throw new InputError(`请把问题写完整（至少 4 个字），例如：${example}`, "bad_question");
  if (q.length > 1000) throw new InputError("问题最多 1000 字，请精简后重新提交。", "bad_question");
  return q;
}

/**
 * The other side answers: the office a thread an agency opened; the agency's officer one the office
 * opened to that agency.
 */
export async function answerQuestion(tx: Tx, actor: Actor, threadId: number, answer: string, now: Date) {
  requireRole(actor, ["office", "officer"], "答复绩效沟通");
  if (answer.trim().length < 2) throw new InputError("请写明答复内容。", "bad_answer");
  const thread = await tx.communicationThread.findUnique({ where: { id: threadId }, include: { asker: true } });
  if (!thread) throw new NotFoundError(`未找到沟通号 ${threadId}。`);
  const fromOffice = thread.asker.role === "office";
  if (actor.role === "office" && fromOffice) throw new ForbiddenError(`沟通 ${threadId} 是目标办向单位发起的，请等待单位答复。`);
  if (actor.role === "officer" && (!fromOffice || thread.agencyId !== actor.agencyId)) {
    throw new ForbiddenError("单位目标办只能答复目标办向本单位发起的绩效沟通。");
  }
  await tx.communicationMessage.create({ data: { threadId, authorId: actor.id, body: answer.trim(), createdAt: now } });
  return tx.communicationThread.update({
    where: { id: threadId },
    data: { status: "answered" },
    include: { asker: true, agency: true, messages: { include: { author: true }, orderBy: { id: "asc" } } },
  });
}

/** Threads waiting for the actor's side: for the office those agencies opened, for an officer those the office opened to the agency. */
export async function openThreads(tx: Tx, actor?: Actor) {
  const where =
    actor?.role === "officer"
      ? { status: "open", agencyId: actor.agencyId ?? -1, asker: { role: "office" } }
      : { status: "open", asker: { role: { not: "office" } } };
  return tx.communicationThread.findMany({ where, include: { asker: true, agency: true }, orderBy: { id: "asc" } });
}
