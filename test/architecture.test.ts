import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const imports = (file: string) => [...readFileSync(file, "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);

const sources = files("src").filter((f) => !f.split(path.sep).includes("generated"));

/** Static and dynamic relative imports of a source file, resolved to source paths. */
function localImports(file: string, opts: { dynamic: boolean }): string[] {
  const pattern = opts.dynamic ? /(?:from\s+|import\s*\(\s*)"(\.[^"]+)"/g : /from\s+"(\.[^"]+)"/g;
  return [...readFileSync(file, "utf8").matchAll(pattern)].map((m) => path.join(path.dirname(file), m[1]).replace(/\.js$/, ".ts"));
}

/** src/<folder>/… or src/<name>.ts: the unit the layer order speaks of. */
const folderOf = (file: string) => path.relative("src", file).split(path.sep)[0].replace(/\.ts$/, "");

/**
 * The layer order of src/, lowest first. A folder imports only from folders
 * in lower layers: the standard's domain knows storage only, the messages floor sits under both the
 * conversation core and the outbox, and the entry points sit on top of the one composition root.
 */
const LAYERS: string[][] = [
  ["generated", "config"],
  ["infra"],
  ["domain", "metrics"],
  ["messages"],
  ["outbox", "board", "excel", "ops"],
  ["conversation"],
  ["channels", "jobs", "http", "archive"],
  ["app", "demo"],
  ["bot"],
  ["main", "cli"],
];
const rank = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)));

describe("layering", () => {
  it("places every folder of src/ in the layer order", () => {
    const unplaced = [...new Set(sources.map(folderOf))].filter((f) => !rank.has(f));
    expect(unplaced).toEqual([]);
  });

  it("has no import from a folder up to one in the same or a higher layer", () => {
    const upward = sources.flatMap((f) =>
      localImports(f, { dynamic: true })
        .filter((t) => folderOf(t) !== folderOf(f) && (rank.get(folderOf(t)) ?? -1) >= (rank.get(folderOf(f)) ?? -1))
        .map((t) => `${f} imports ${t}`),
    );
    expect(upward).toEqual([]);
  });

  it("keeps the standard's domain importing only the domain and storage", () => {
    const bad = files("src/domain").flatMap((f) =>
      localImports(f, { dynamic: true })
        .filter((t) => !["domain", "infra"].includes(folderOf(t)))
        .map((t) => `${f} imports ${t}`),
    );
    expect(bad).toEqual([]);
  });

  it("has no import cycle between source files", () => {
    const graph = new Map(sources.map((f) => [f, localImports(f, { dynamic: true })]));
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const trail: string[] = [];
    const visit = (f: string): void => {
      state.set(f, "open");
      trail.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === "open") cycles.push([...trail.slice(trail.indexOf(t)), t].join(" → "));
        else if (!state.has(t)) visit(t);
      }
      trail.pop();
      state.set(f, "done");
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it("keeps the standard's domain free of platforms, Koa and the conversation layer", () => {
    const bad = files("src/domain").flatMap((f) =>
      imports(f)
        .filter((i) => /channels|conversation|koa|axios|wecom|dingtalk|\/http\//.test(i))
        .map((i) => `${f} imports ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it("keeps the conversation core free of platforms and Koa", () => {
    const bad = files("src/conversation").flatMap((f) =>
      imports(f)
        .filter((i) => /channels\/(wecom|dingtalk)|koa|axios/.test(i))
        .map((i) => `${f} imports ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it("keeps source files small", () => {
    const long = files("src")
      .filter((f) => !f.includes("generated"))
      .map((f) => [f, readFileSync(f, "utf8").split("\n").length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
