import { z } from "zod";

/**
 * Inbound JSON shapes, parsed leniently: DingTalk adds fields over time, so unknown keys are dropped
 * rather than refused, and only what the channel uses is required.
 */

/**
 * Robot message, HTTP mode (open.dingtalk.com/document/orgapp/receive-message). createAt is documented
 * as String but sent as a number, so both are accepted.
 */
export const robotMessageSchema = z.object({
  msgId: z.string().min(1),
  msgtype: z.string().min(1),
  conversationId: z.string().min(1),
  conversationType: z.enum(["1", "2"]),
  createAt: z.union([z.number(), z.string()]).optional(),
  senderStaffId: z.string().optional(),
  senderNick: z.string().optional(),
  isInAtList: z.boolean().optional(),
  robotCode: z.string().optional(),
  chatbotCorpId: z.string().optional(),
  sessionWebhook: z.string().optional(),
  sessionWebhookExpiredTime: z.union([z.number(), z.string()]).optional(),
  text: z.object({ content: z.string() }).optional(),
});
export type RobotMessage = z.infer<typeof robotMessageSchema>;

/**
 * Interactive-card callback, HTTP mode (open.dingtalk.com/document/orgapp/event-callback-card).
 * `content` is a JSON string holding cardPrivateData { actionIds, params }.
 */
export const cardCallbackSchema = z.object({
  type: z.string().optional(),
  outTrackId: z.string().min(1),
  userId: z.string().min(1),
  corpId: z.string().optional(),
  content: z.string().optional(),
  value: z.string().optional(),
  spaceType: z.string().optional(),
  spaceId: z.string().optional(),
});
export type CardCallback = z.infer<typeof cardCallbackSchema>;

export const cardCallbackContentSchema = z.object({
  cardPrivateData: z
    .object({
      actionIds: z.array(z.string()).optional(),
      params: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});
export type CardCallbackContent = z.infer<typeof cardCallbackContentSchema>;
