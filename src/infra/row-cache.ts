import { tablesVersion } from "./table-versions.js";

/**
 * An in-memory cache of rows that change rarely (who a platform account is, the current cycle).
 * An entry is used only while the tables it was read from are unchanged in this process and for at
 * most `ttlMs`, the delay within which another instance's write becomes visible here. Only values
 * `keep` accepts are cached, so an unknown or refused answer is always read afresh.
 */
export class RowCache<V> {
  private readonly entries = new Map<string, { value: V; until: number; version: string }>();

  constructor(
    private readonly tables: readonly string[],
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const version = tablesVersion(this.tables);
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.version === version && hit.until > now) return hit.value;
    const value = await load();
    // A write seen while loading may or may not be in `value`: use it once, keep it not.
    if (keep(value) && tablesVersion(this.tables) === version) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, until: now + this.ttlMs, version });
    } else {
      this.entries.delete(key);
    }
    return value;
  }
}
