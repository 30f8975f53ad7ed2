import { InputError } from "../errors.js";

/**
 * "1+6+N" (§6.2): per agency and year at least 1 脱贫攻坚目标, at least 6 本级目标, any number of
 * 上级目标, and no fewer than 7 functional targets in all. Returns the problems, empty when it holds.
 */
export function onePlusSixProblems(sources: (string | null)[]): string[] {
  const poverty = sources.filter((s) => s === "poverty").length;
  const local = sources.filter((s) => s === "local").length;
  const problems: string[] = [];
  if (poverty < 1) problems.push(`脱贫攻坚目标至少 1 项（现有 ${poverty} 项）`);
  if (local < 6) problems.push(`本级目标至少 6 项（现有 ${local} 项）`);
  if (sources.length < 7) problems.push(`职能绩效目标合计不少于 7 项（现有 ${sources.length} 项）`);
  return problems;
}

export function assertOnePlusSix(agencyName: string, sources: (string | null)[]): void {
  const problems = onePlusSixProblems(sources);
  if (problems.length) throw new InputError(`${agencyName}的职能绩效目标不符合“1+6+N”要求（DB52/T §6.2）：${problems.join("；")}。`, "one_plus_six");
}
