/** Wall time and peak RSS of one async run, sampling memory every 5 ms. */
export async function measure<T>(fn: () => Promise<T>): Promise<{ ms: number; peakRssMb: number; result: T }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = performance.now();
  try {
    const result = await fn();
    return { ms: performance.now() - started, peakRssMb: (Math.max(peak, process.memoryUsage().rss) - base) / 1_048_576, result };
  } finally {
    clearInterval(timer);
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export function table(title: string, header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r: (string | number)[]) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
  return [`\n${title}`, line(cells[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.slice(1).map(line)].join("\n");
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n >= 100 ? n.toFixed(0) : n.toFixed(2);
}
