import type { InboundEvent } from "../../conversation/event.js";
import type { CardUpdateReply, Reply } from "../../messages/reply.js";
import { submittedParams } from "./render.js";

/**
 * DingTalk waits 2 s for a card callback's answer (event-callback-card page). The core gets most of
 * that; when it is done in time, the update of the clicked card rides in the HTTP answer, otherwise
 * the answer is empty and every reply, the card update included, follows through the API.
 */
export const CARD_DEADLINE_MS = 1_500;

export interface CardAnswer {
  /** JSON body for DingTalk. */
  body: Record<string, unknown>;
  /** Replies still to deliver after answering, or a promise of them when the core was late. */
  rest: Reply[] | Promise<Reply[]>;
}

export async function answerCard(
  event: InboundEvent & { body: { type: "action" } },
  handle: (ev: InboundEvent) => Promise<Reply[]>,
  deadlineMs = CARD_DEADLINE_MS,
): Promise<CardAnswer> {
  const work = handle(event);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), deadlineMs);
  });
  try {
    const replies = await Promise.race([work, late]);
    if (replies === null) {
      // Whoever awaits `rest` later sees a failure; until then it must not count as unhandled.
      work.catch(() => undefined);
      return { body: {}, rest: work };
    }
    const cardKey = event.body.cardKey;
    const inline = replies.filter((r): r is CardUpdateReply => r.kind === "card-update" && r.cardKey === cardKey).at(-1);
    if (!inline) return { body: {}, rest: replies };
    return { body: cardUpdateBody(inline.status), rest: replies.filter((r) => r !== inline && !(r.kind === "card-update" && r.cardKey === cardKey)) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Callback answer that updates the card in place: public data for everyone who sees the card,
 * private data for the clicker (official examples send both with the by-key options).
 */
export function cardUpdateBody(status: string): Record<string, unknown> {
  const params = submittedParams(status);
  return {
    cardData: { cardParamMap: params },
    userPrivateData: { cardParamMap: params },
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
  };
}
