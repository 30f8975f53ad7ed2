import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The archive's manifest: every file with its size and SHA-256, and the record counts, in
 * `manifest.json`; the same checksums in `SHA256SUMS`, so `sha256sum -c SHA256SUMS` checks the
 * archive on any machine without this program.
 */
export const MANIFEST = "manifest.json";
export const CHECKSUMS = "SHA256SUMS";

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  title: string;
  year: number;
  createdAt: string;
  /** True when written with --force before the cycle closed: not the final record. */
  provisional: boolean;
  counts: Record<string, number>;
  /** Evidence files the 台账 refers to but that were not found on disk. */
  missingEvidence: { reportId: number; name: string; ref: string }[];
  files: ManifestFile[];
}

export function sha256File(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Every file under dir, as forward-slash paths relative to it, sorted. */
export function listFiles(dir: string, sub = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

export function writeManifest(dir: string, m: Omit<Manifest, "files">): Manifest {
  const files = listFiles(dir)
    .filter((f) => f !== MANIFEST && f !== CHECKSUMS)
    .map((f) => ({ path: f, bytes: statSync(path.join(dir, f)).size, sha256: sha256File(path.join(dir, f)) }));
  const manifest: Manifest = { ...m, files };
  writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const sums = [...files.map((f) => `${f.sha256}  ${f.path}`), `${sha256File(path.join(dir, MANIFEST))}  ${MANIFEST}`];
  writeFileSync(path.join(dir, CHECKSUMS), `${sums.join("\n")}\n`);
  return manifest;
}

export interface VerifyResult {
  ok: boolean;
  manifest: Manifest | null;
  problems: string[];
}

/** Checks every listed file's checksum, and that nothing was added or removed since. */
export function verifyArchive(dir: string): VerifyResult {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) return { ok: false, manifest: null, problems: [`目录 ${dir} 中没有 ${MANIFEST}，不是年度归档目录。`] };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
  } catch {
    return { ok: false, manifest: null, problems: [`${MANIFEST} 无法读取，可能已损坏。`] };
  }
  const problems: string[] = [];
  const present = new Set(listFiles(dir));
  for (const f of manifest.files) {
    if (!present.has(f.path)) problems.push(`缺少文件：${f.path}`);
    else if (sha256File(path.join(dir, f.path)) !== f.sha256) problems.push(`文件内容与清单不符：${f.path}`);
  }
  const listed = new Set([...manifest.files.map((f) => f.path), MANIFEST, CHECKSUMS]);
  for (const f of present) if (!listed.has(f)) problems.push(`清单外的文件：${f}`);
  if (existsSync(path.join(dir, CHECKSUMS))) {
    const line = readFileSync(path.join(dir, CHECKSUMS), "utf8").split("\n").find((l) => l.endsWith(`  ${MANIFEST}`));
    if (line && line.slice(0, 64) !== sha256File(file)) problems.push(`${MANIFEST} 与 ${CHECKSUMS} 中的校验值不符`);
  }
  return { ok: problems.length === 0, manifest, problems };
}
