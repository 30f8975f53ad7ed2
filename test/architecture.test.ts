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

describe("layering", () => {
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
