import { existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrateSqlite } from "../src/infra/migrate.js";

/**
 * A synthetic province written straight through better-sqlite3 (Prisma would take minutes for a
 * million rows): `agencies` agencies × `targetsPerAgency` issued targets × 4 quarterly milestones.
 * About one milestone in three is missed, so the negative list has real work to do.
 */
export function syntheticProvince(agencies: number, targetsPerAgency: number, dir = "bench/.tmp"): string {
  const file = path.resolve(dir, `province-${agencies}x${targetsPerAgency}.db`);
  const url = `file:${file}`;
  if (existsSync(file)) return url;
  migrateSqlite(url);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const iso = (s: string) => `${s}T16:00:00.000+00:00`;
  const now = "2026-11-25T00:00:00.000+00:00";
  const dues = [iso("2026-03-30"), iso("2026-06-29"), iso("2026-09-29"), iso("2026-12-30")];
  const cycle = db.prepare(`INSERT INTO Cycle (year, startsOn, endsOn, status) VALUES (2026, ?, ?, 'open')`).run(iso("2025-12-31"), iso("2026-12-30")).lastInsertRowid;
  const agency = db.prepare(`INSERT INTO Agency (code, name, shortName, managementType, createdAt) VALUES (?, ?, ?, 'direct', ?)`);
  const target = db.prepare(
    `INSERT INTO Target (code, cycleId, agencyId, category, source, managementType, title, description, weight, deadline, status, progress, createdAt, updatedAt)
     VALUES (?, ?, ?, 'functional', ?, 'initial', ?, '', 0.5, ?, 'in_progress', 50, ?, ?)`,
  );
  const milestone = db.prepare(`INSERT INTO Milestone (targetId, quarter, dueOn, description, expectedProgress, achievedAt) VALUES (?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let a = 1; a <= agencies; a++) {
      const code = `A${String(a).padStart(4, "0")}`;
      const agencyId = agency.run(code, `合成单位${a}`, `单位${a}`, now).lastInsertRowid;
      for (let t = 1; t <= targetsPerAgency; t++) {
        const source = t === 1 ? "poverty" : t <= 7 ? "local" : "superior";
        const targetId = target.run(`${code}-${t}`, cycle, agencyId, source, `合成目标${t}`, dues[3], now, now).lastInsertRowid;
        for (let q = 1; q <= 4; q++) {
          const missed = (a * 7 + t * 3 + q) % 3 === 0;
          milestone.run(targetId, q, dues[q - 1], `第${q}季度节点`, q * 25, missed ? null : dues[q - 1].replace("T16", "T02"));
        }
      }
    }
  })();
  db.close();
  return url;
}
