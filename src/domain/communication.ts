import type { Tx } from "../infra/db.js";
import { type Actor, requireRole } from "./actor.js";
import { InputError, NotFoundError } from "./errors.js";

/** 绩效沟通 (§2.22): an agency asks the office about standards or methods; answers form a thread. */
export async function askQuestion(tx: Tx, actor: Actor, question: string, now: Date) {
  requireRole(actor, ["officer", "head", "staff"], "发起绩效沟通");
  const q = question.trim();
  if (q.length < 4) throw new InputError("请把问题写完整（至少 4 个字），例如：沟通 第二季度节点可否延期至7月10日？", "bad_question");
  if (q.length > 1000) throw new InputError("问题最多 1000 字，请精简后重新提交。", "bad_question");
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

export async function answerQuestion(tx: Tx, actor: Actor, threadId: number, answer: string, now: Date) {
  requireRole(actor, ["office"], "答复绩效沟通");
  if (answer.trim().length < 2) throw new InputError("请写明答复内容。", "bad_answer");
  const thread = await tx.communicationThread.findUnique({ where: { id: threadId } });
  if (!thread) throw new NotFoundError(`未找到沟通号 ${threadId}。`);
  await tx.communicationMessage.create({ data: { threadId, authorId: actor.id, body: answer.trim(), createdAt: now } });
  return tx.communicationThread.update({
    where: { id: threadId },
    data: { status: "answered" },
    include: { asker: true, agency: true, messages: { include: { author: true }, orderBy: { id: "asc" } } },
  });
}

export async function openThreads(tx: Tx) {
  return tx.communicationThread.findMany({ where: { status: "open" }, include: { asker: true, agency: true }, orderBy: { id: "asc" } });
}
