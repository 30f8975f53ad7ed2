import type { MatchPlan, OrgSnapshot, Outcome } from "../domain/import/directory-match.js";
import type { BindablePlatform } from "../domain/people/people.js";

/** The Chinese report of `directory sync`: what was bound, what was left alone and why, and what to do next. */
const LIST_MAX = 50;

const MISSING_MOBILE: Record<BindablePlatform, string> = {
  wecom: "企业微信未返回成员手机号（2022年6月20日后创建的自建应用不再返回），本次按“部门名称 = 单位全称或简称”内的姓名匹配。",
  dingtalk: "钉钉未返回成员手机号（应用未开通“企业员工手机号信息”权限），本次按“部门名称 = 单位全称或简称”内的姓名匹配。",
};

function section(title: string, items: Outcome[], line: (o: Outcome) => string): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, LIST_MAX).map((o) => `  - ${line(o)}`);
  return [`${title} ${items.length} 人：`, ...shown, ...(items.length > LIST_MAX ? [`  …另有 ${items.length - LIST_MAX} 人未列出`] : [])];
}

export function directoryReport(input: {
  platform: BindablePlatform;
  label: string;
  snapshot: OrgSnapshot;
  plan: MatchPlan;
  dryRun: boolean;
  stillUnbound: { account: string; name: string; agency: string }[];
}): string {
  const { platform, label, snapshot, plan, dryRun, stillUnbound } = input;
  const who = (o: Outcome) => `${o.member.name}（${label} ${o.member.externalId}，部门 ${o.member.departments.join("、") || "无"}）`;
  const lines = [`${dryRun ? "【预演，未写入】" : ""}${label}通讯录：部门 ${snapshot.departments} 个，成员 ${snapshot.members.length} 人。`];
  if (!snapshot.mobileReturned && snapshot.members.length) lines.push(`说明：${MISSING_MOBILE[platform]}`);
  if (!snapshot.nameReturned) lines.push(`说明：${label}未返回成员姓名（以账号代替），无法按姓名匹配，只能按手机号匹配。`);
  lines.push(
    ...section(dryRun ? "将绑定" : "已绑定", plan.bind, (o) => `${who(o)} → ${o.person!.name}（账号 ${o.person!.account}）`),
    ...section("此前已绑定，未改动", plan.already, (o) => `${o.member.externalId} → ${o.person!.name}（账号 ${o.person!.account}）`),
    ...section("对应人员已绑定其他账号，未改动", plan.kept, (o) => `${who(o)}：${o.reason}`),
    ...section("有歧义，未绑定", plan.ambiguous, (o) => `${who(o)}：${o.reason}`),
    ...section("未匹配", plan.unmatched, (o) => `${who(o)}：${o.reason}`),
  );
  if (plan.bind.length === 0) lines.push("本次没有新的绑定，未作任何修改。");
  if (stillUnbound.length) {
    lines.push(`系统中尚未绑定${label}账号的人员 ${stillUnbound.length} 人：${stillUnbound.slice(0, LIST_MAX).map((u) => `${u.name}（${u.account}，${u.agency}）`).join("、")}${stillUnbound.length > LIST_MAX ? " 等" : ""}。`);
    lines.push(
      `这些人员请在目标任务分解表“人员”表的“${label}账号”列填写后导入，或执行 npm run cli -- user bind <账号> ${platform} <${label}账号>；本人向机器人发消息后，目标办也可在对话中发送“未登记”“绑定”。`,
    );
  }
  return lines.join("\n");
}
