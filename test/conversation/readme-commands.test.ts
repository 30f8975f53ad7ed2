import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRegistry } from "../../src/conversation/commands/index.js";
import type { Role } from "../../src/domain/vocabulary.js";

/**
 * README's command table is what a newcomer reads to learn who may do what: its 可用角色 column must
 * be the roles the code allows (notes in brackets narrow the scope, they do not add roles).
 */
const ROLE_WORDS: Record<string, Role[]> = {
  全部: ["office", "officer", "head", "staff", "assessor"],
  单位用户: ["officer", "head", "staff"],
  目标办: ["office"],
  单位目标办: ["officer"],
  主要负责人: ["head"],
  责任人: ["staff"],
  第三方机构: ["assessor"],
};

function readmeRows(): { names: string[]; roles: Set<Role>; cell: string }[] {
  const readme = readFileSync("README.md", "utf8");
  const table = readme.slice(readme.indexOf("| 命令 | 可用角色 | 说明 |")).split("\n\n")[0];
  return table
    .split("\n")
    .slice(2)
    .map((row) => row.split(/(?<!\\)\|/).map((c) => c.trim()))
    .filter((cells) => cells[1].startsWith("`"))
    .map((cells) => {
      const names = [...cells[1].matchAll(/`([^`]+)`/g)].map((m) => m[1].split(/\s/)[0]);
      const words = cells[2].replace(/（[^）]*）/g, "").split("、");
      const roles = new Set<Role>(words.flatMap((w) => {
        if (!(w in ROLE_WORDS)) throw new Error(`README role word “${w}” in ${cells[1]}`);
        return ROLE_WORDS[w];
      }));
      return { names, roles, cell: cells[2] };
    });
}

describe("README's command table matches the real permissions", () => {
  const registry = createRegistry();
  const rows = readmeRows();

  it.each(rows.flatMap((r) => r.names.map((n) => [n, r] as const)))("%s", (name, row) => {
    const command = registry.get(name);
    expect(command, `README lists ${name}`).toBeDefined();
    expect(new Set(command!.roles), row.cell).toEqual(row.roles);
  });

  it("lists every chat command", () => {
    const listed = new Set(rows.flatMap((r) => r.names));
    for (const c of registry.commands) expect(listed.has(c.name), c.name).toBe(true);
  });
});
