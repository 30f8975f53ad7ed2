import type { ImportResult } from "./target-import.js";

/** The Chinese answer to an import, for the chat reply and the command line alike. */
export function importReportText(result: ImportResult, fileName: string, limit = Infinity): string {
  if (!result.ok) {
    const shown = result.problems.slice(0, limit);
    return [
      `《${fileName}》校验未通过，未导入任何数据。共发现 ${result.problems.length} 处问题：`,
      ...shown.map((p, i) => `${i + 1}. ${p}`),
      ...(result.problems.length > shown.length ? [`……另有 ${result.problems.length - shown.length} 处问题未列出，请先修改以上问题后重新导入。`] : []),
      "请按上述位置修改后重新导入。",
    ].join("\n");
  }
  const s = result.summary;
  const changed = s.targetsCreated + s.targetsUpdated + s.agenciesCreated + s.agenciesUpdated + s.usersCreated + s.usersUpdated;
  if (changed === 0) {
    return `《${fileName}》与系统中的数据一致，未作任何修改（${s.year} 年度目标 ${s.targetsUnchanged} 项均无变化）。`;
  }
  const lines = [`《${fileName}》导入完成（${s.year} 年度）。`];
  if (s.cycleCreated) lines.push(`· 已建立 ${s.year} 年度考评周期（1月1日至12月31日，§2.20）`);
  lines.push(`· 目标：新增 ${s.targetsCreated} 项，更新 ${s.targetsUpdated} 项，无变化 ${s.targetsUnchanged} 项`);
  if (s.agenciesCreated + s.agenciesUpdated) lines.push(`· 单位：新增 ${s.agenciesCreated} 个，更新 ${s.agenciesUpdated} 个`);
  if (s.usersCreated + s.usersUpdated) lines.push(`· 人员：新增 ${s.usersCreated} 人，更新 ${s.usersUpdated} 人`);
  if (s.draftsByAgency.size) {
    const list = [...s.draftsByAgency].map(([name, n]) => `${name} ${n} 项`).join("、");
    lines.push(`新增和修改的目标处于“制定中”状态：${list}。请发送“审核 <单位|全部>”审核，审核后发送“下达 <单位|全部>”下达。`);
  }
  return lines.join("\n");
}
