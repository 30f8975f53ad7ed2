import { addPerson, bindIdentity, disablePerson, listPeople, parsePlatform, PLATFORM_LABEL } from "../../domain/people/people.js";
import { ROLE_LABEL } from "../../domain/vocabulary.js";
import type { Tx } from "../../infra/db.js";
import { flag, withDatabase } from "../bootstrap.js";
import type { CliCommand } from "./types.js";

/** Exit codes as the import's (sysexits): 64 usage, 65 the data was refused (withDatabase). */
const EX_USAGE = 64;

const USAGE = [
  "user add <账号> <姓名> <角色> [单位] [--wecom ID] [--dingtalk ID] [--mobile 手机号]",
  "user list [单位]",
  "user disable <账号>",
  "user bind <账号> wecom|dingtalk <平台账号>",
];

function positional(args: string[]): string[] {
  return args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
}

type Action = (tx: Tx, words: string[], args: string[]) => Promise<string>;

const actions: Record<string, { arity: [number, number]; run: Action }> = {
  add: {
    arity: [3, 4],
    async run(tx, [account, name, role, agency], args) {
      const p = await addPerson(tx, { account, name, role, agency, wecom: flag("wecom", args), dingtalk: flag("dingtalk", args), mobile: flag("mobile", args) });
      const bound = (["wecom", "dingtalk"] as const).filter((k) => flag(k, args)).map((k) => `${PLATFORM_LABEL[k]} ${flag(k, args)}`);
      return `已新增：${p.name}（账号 ${p.account}，${ROLE_LABEL[p.role]}${p.agency ? `，${p.agency}` : ""}）${bound.length ? `，已绑定${bound.join("、")}` : "，尚未绑定平台账号"}。`;
    },
  },
  list: {
    arity: [0, 1],
    async run(tx, [agency]) {
      const rows = await listPeople(tx, agency);
      if (rows.length === 0) return "没有人员。";
      const lines = rows.map((r) => [r.account, r.name, r.role, r.agency, r.accounts, r.active ? "启用" : "已停用"].join("\t"));
      return [["账号", "姓名", "角色", "所属单位", "平台账号", "状态"].join("\t"), ...lines, `共 ${rows.length} 人。`].join("\n");
    },
  },
  disable: {
    arity: [1, 1],
    async run(tx, [account]) {
      const r = await disablePerson(tx, account);
      return r.already ? `账号 ${account}（${r.name}）此前已停用，未作修改。` : `已停用账号 ${account}（${r.name}）。其台账、申诉等记录保持不变；本人再发消息时将收到“账号已停用”的答复。`;
    },
  },
  bind: {
    arity: [3, 3],
    async run(tx, [account, platformWord, externalId]) {
      const platform = parsePlatform(platformWord);
      const r = await bindIdentity(tx, account, platform, externalId);
      const label = PLATFORM_LABEL[platform];
      if (!r.changed) return `${label}账号 ${externalId} 已绑定 ${r.user.name}（账号 ${account}），未作修改。`;
      return `已将${label}账号 ${externalId} 绑定到 ${r.user.name}（账号 ${account}）${r.replaced ? `，替换原账号 ${r.replaced}` : ""}。`;
    },
  },
};

const user: CliCommand = {
  name: "user",
  usage: USAGE.join(" | "),
  summary: "新增、列出、停用人员，绑定企业微信或钉钉账号",
  async run(args) {
    const [verb, ...words] = positional(args);
    const action = actions[verb ?? ""];
    if (!action || words.length < action.arity[0] || words.length > action.arity[1]) {
      console.error(`用法：\n${USAGE.map((u) => `  npm run cli -- ${u}`).join("\n")}\n角色：目标办、单位目标办、单位主要负责人、目标责任人、第三方机构（目标办、第三方机构不填单位）。`);
      return EX_USAGE;
    }
    return withDatabase(async ({ db }) => {
      console.log(await db.$transaction((tx) => action.run(tx, words, args)));
      return 0;
    });
  },
};

export const usersCli: CliCommand[] = [user];
