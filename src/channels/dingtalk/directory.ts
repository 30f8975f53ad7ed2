import type { OrgMember, OrgSnapshot } from "../../domain/import/directory-match.js";
import type { DingtalkApi } from "./api.js";

/** DingTalk's root department (the organisation itself). */
const ROOT = 1;

/**
 * Reads the DingTalk organisation: departments level by level from the root (listsub returns one
 * level), then each department's users, merged by userId across departments.
 */
export async function readDingtalkDirectory(api: DingtalkApi): Promise<OrgSnapshot> {
  const departments = new Map<number, string>([[ROOT, ""]]);
  for (let level = [ROOT]; level.length > 0; ) {
    const next: number[] = [];
    for (const id of level) {
      for (const d of await api.listSubDepartments(id)) {
        if (departments.has(d.deptId)) continue;
        departments.set(d.deptId, d.name);
        next.push(d.deptId);
      }
    }
    level = next;
  }
  const members = new Map<string, OrgMember>();
  for (const [id, name] of departments) {
    for (const u of await api.listDepartmentUsers(id)) {
      if (!u.userId) continue;
      const known = members.get(u.userId);
      if (known) known.departments = [...new Set([...known.departments, name].filter(Boolean))];
      else members.set(u.userId, { externalId: u.userId, name: u.name, mobile: u.mobile, departments: name ? [name] : [] });
    }
  }
  const list = [...members.values()];
  return { departments: departments.size - 1, members: list, mobileReturned: list.some((m) => m.mobile), nameReturned: list.length === 0 || list.some((m) => m.name && m.name !== m.externalId) };
}
