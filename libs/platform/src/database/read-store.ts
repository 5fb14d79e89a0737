/**
 * The entries of the read cache, with no I/O (decision 062). Each entry is filed under topics:
 * division codes (a village's proposal, or the scopes of a list) or exact names (`person:<id>`).
 * A change in a division (a notification carrying its code) drops every entry filed under that code
 * or under one of its ancestors, so a county's list goes when one of its villages changes. `*` or an
 * empty payload drops everything.
 *
 * Every invalidation takes the next sequence number, and each topic it touched remembers that number:
 * a load that began at mark `m` is not stored if one of its own topics was touched after `m`, so an
 * invalidation is never undone by a read that began before it, while changes elsewhere (a ballot in
 * another village, decision 066) do not keep a slow load from being stored. The memory of touched
 * topics is bounded: when it is full it is forgotten and every load that began before is refused.
 */
export class ReadStore {
  private readonly entries = new Map<string, { value: unknown; topics: readonly string[]; expiresAt: number; storedAt: number }>();
  private readonly byTopic = new Map<string, Set<string>>();
  /** The sequence number of the last invalidation. */
  private seq = 0;
  /** The sequence number of the last `*`. */
  private everythingAt = 0;
  /** Loads that began before this mark are refused (the touched topics older than it were forgotten). */
  private floor = 0;
  /** Each topic touched, with the sequence number of its last invalidation. */
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly maxTouched = 200_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The mark a load takes when it begins (store and changedSince compare against it). */
  epoch(): number {
    return this.seq;
  }

  /**
   * Whether anything filed under `topics` may have changed since `mark` (`null`: anything at all).
   * Conservative: true whenever it cannot tell.
   */
  changedSince(topics: readonly string[] | null, mark: number): boolean {
    if (mark >= this.seq) return false;
    if (topics === null || mark < this.floor || this.everythingAt > mark) return true;
    for (const t of topics) {
      const at = this.touchedAt.get(t);
      if (at !== undefined && at > mark) return true;
    }
    return false;
  }

  get<T>(key: string, now: number): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    // A clock that went back (the tests' clock can) makes the entry's age meaningless: read again.
    if (now < e.storedAt || now >= e.expiresAt) {
      this.drop(key);
      return undefined;
    }
    return e.value as T;
  }

  /**
   * Files `value` under `topics` unless one of them changed since `mark`. It lives READ_CACHE_SECONDS at
   * most, and not past `until` (ms) when the answer itself changes then (a vote's closing time).
   */
  store(key: string, value: unknown, topics: readonly string[], mark: number, now: number, until?: number): boolean {
    if (this.changedSince(topics, mark)) return false;
    const expiresAt = Math.min(now + this.ttlMs, until ?? Number.POSITIVE_INFINITY);
    if (expiresAt <= now) return false;
    this.drop(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.drop(oldest.value);
    }
    this.entries.set(key, { value, topics, expiresAt, storedAt: now });
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
   * topic (`person:<id>`), `*`, or several of these joined by commas (`voter:<id>,voter:<id>`: one
   * notification for the electors a statement touched).
   */
  invalidate(payload: string): void {
    this.seq++;
    if (payload === '' || payload === '*') {
      this.everythingAt = this.seq;
      this.entries.clear();
      this.byTopic.clear();
      this.touchedAt.clear();
      return;
    }
    for (const one of payload.split(',')) {
      if (one === '' || one === '*') {
        this.invalidate('*');
        return;
      }
      const named = /^([a-z]+:)?(\d+)$/.exec(one);
      const topics = named ? divisionAndAncestors(named[2]).map((c) => (named[1] ?? '') + c) : [one];
      for (const t of topics) {
        this.touch(t);
        const keys = this.byTopic.get(t);
        if (keys) for (const key of [...keys]) this.drop(key);
      }
    }
  }

  clear(): void {
    this.invalidate('*');
  }

  private touch(topic: string): void {
    if (this.touchedAt.size >= this.maxTouched && !this.touchedAt.has(topic)) {
      this.touchedAt.clear();
      this.floor = this.seq;
    }
    this.touchedAt.set(topic, this.seq);
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
