/**
 * The entries of the read cache, with no I/O (decision 062). Each entry is filed under topics:
 * division codes (a village's proposal, or the scopes of a list) or exact names (`person:<id>`).
 * A change in a division (a notification carrying its code) drops every entry filed under that code
 * or under one of its ancestors, so a county's list goes when one of its villages changes. `*` or an
 * empty payload drops everything. Every invalidation advances an epoch; a load that overlapped one is
 * not stored, so an invalidation is never undone by a read that began before it.
 */
export class ReadStore {
  private readonly entries = new Map<string, { value: unknown; topics: readonly string[]; storedAt: number }>();
  private readonly byTopic = new Map<string, Set<string>>();
  private epochValue = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  epoch(): number {
    return this.epochValue;
  }

  get<T>(key: string, now: number): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const age = now - e.storedAt;
    // A clock that went back (the tests' clock can) makes the entry's age meaningless: read again.
    if (age < 0 || age >= this.ttlMs) {
      this.drop(key);
      return undefined;
    }
    return e.value as T;
  }

  store(key: string, value: unknown, topics: readonly string[], epochAtLoad: number, now: number): boolean {
    if (epochAtLoad !== this.epochValue) return false;
    this.drop(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.drop(oldest.value);
    }
    this.entries.set(key, { value, topics, storedAt: now });
    for (const t of topics) {
      let keys = this.byTopic.get(t);
      if (!keys) this.byTopic.set(t, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  /**
   * A payload of the triggers: a division code (it and its ancestors' entries go), the same behind a name
   * (`register:140428101200` drops `register:` with the village, its township, county and city), an exact
   * topic (`person:<id>`), or `*`.
   */
  invalidate(payload: string): void {
    this.epochValue++;
    if (payload === '' || payload === '*') {
      this.entries.clear();
      this.byTopic.clear();
      return;
    }
    const named = /^([a-z]+:)?(\d+)$/.exec(payload);
    const topics = named ? divisionAndAncestors(named[2]).map((c) => (named[1] ?? '') + c) : [payload];
    for (const t of topics) for (const key of [...(this.byTopic.get(t) ?? [])]) this.drop(key);
  }

  clear(): void {
    this.invalidate('*');
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    for (const t of e.topics) {
      const keys = this.byTopic.get(t);
      keys?.delete(key);
      if (keys && keys.size === 0) this.byTopic.delete(t);
    }
  }
}

/** 140428101200 → itself, 140428101, 140428, 1404, 14 and '' (the whole country: a scope of no prefix). */
function divisionAndAncestors(code: string): string[] {
  const out = [code];
  for (const len of [9, 6, 4, 2, 0]) if (len < code.length) out.push(code.slice(0, len));
  return out;
}
