import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig, directUrlOf } from '../config/app-config.js';
import { Clock } from '../clock/clock.js';
import { LOGGER } from '../logging.js';
import { ListenConnection } from './listen-connection.js';
import { ReadStore } from './read-store.js';

/** The channel the triggers of migration 1764388000000 notify on: a division code, `person:<id>` or `*`. */
export const READS_CHANNEL = 'sangong_reads';

/**
 * The topics the triggers of migration 1764388400000 notify when a table read by one of the city's
 * roll-ups changes (decision 063): a roll-up's cached answers are filed under its topic.
 */
export const ROLLUP_TOPICS = { economy: 'rollup:economy', mediation: 'rollup:mediation', openness: 'rollup:openness' } as const;

/**
 * Answers residents read most (their profile, a village's proposals and notices, a proposal's
 * detail), kept in the process and served without a database round trip (decision 062).
 *
 * Kept exact the way the session cache is (decision 005): triggers NOTIFY at commit with the division
 * (or person) a change touches, every process LISTENs on a connection of its own and drops what is
 * named; the process that wrote also drops everything after each of its writing requests
 * (ReadCacheInterceptor), so its own next request reads fresh data whatever the notification's timing.
 * Nothing is served while the LISTEN connection is down. An entry lives at most READ_CACHE_SECONDS
 * even without a notification: answers that depend on the time (is a notice still in its publicity
 * period?) are at most that old. Concurrent misses of one key share one load.
 *
 * Values are shared between requests: callers must not change what they get.
 */
@Injectable()
export class ReadCache implements OnModuleInit, OnApplicationShutdown {
  private readonly store: ReadStore;
  private readonly listener: ListenConnection | null;
  private readonly loading = new Map<string, { promise: Promise<unknown>; mark: number }>();
  /** Each stored answer's JSON, encoded once: sending it costs neither JSON.stringify nor UTF-8 encoding again. */
  private readonly json = new WeakMap<object, Buffer>();
  private listening = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) log: Logger,
    private readonly clock: Clock,
  ) {
    this.store = new ReadStore(config.readCacheSeconds * 1000, config.readCacheMaxEntries);
    // LISTEN holds a server session: DATABASE_DIRECT_URL, never a transaction-mode pooler (decision 060).
    const url = directUrlOf(config);
    this.listener =
      config.readCacheSeconds > 0 && url
        ? new ListenConnection(url, [READS_CHANNEL], 'sangong-read-cache', '读缓存', log, {
            notify: (payload) => this.invalidate(payload),
            up: () => {
              this.store.clear();
              this.listening = true;
            },
            down: () => {
              this.listening = false;
              this.store.clear();
            },
          })
        : null;
  }

  /** True while entries may be served: on, and listening for invalidations. */
  get active(): boolean {
    return this.listening;
  }

  get size(): number {
    return this.store.size;
  }

  /**
   * The cached answer for `key`, or `load()`'s, stored under `topicsOf(answer)` when none of those topics
   * changed meanwhile. An answer for which `topicsOf` gives null is not stored (e.g. not found). `untilOf`
   * gives the time (ms) at which the answer changes by itself, if it does before READ_CACHE_SECONDS.
   */
  async get<T>(
    key: string,
    load: () => Promise<T>,
    topicsOf: (value: T) => readonly string[] | null,
    untilOf?: (value: T) => number | undefined,
  ): Promise<T> {
    if (!this.listening) return load();
    return this.getSince(key, load, topicsOf, untilOf, this.store.epoch());
  }

  /**
   * `arrived`: the store's mark when the caller asked. A load already under way is shared only if none of
   * its answer's topics changed between its start and that mark (a change the caller may have seen);
   * otherwise the caller loads again, and that load began after `arrived`, so this ends.
   */
  private async getSince<T>(
    key: string,
    load: () => Promise<T>,
    topicsOf: (value: T) => readonly string[] | null,
    untilOf: ((value: T) => number | undefined) | undefined,
    arrived: number,
  ): Promise<T> {
    const hit = this.store.get<T>(key, this.clock.now().getTime());
    if (hit !== undefined) return hit;
    const pending = this.loading.get(key) as { promise: Promise<T>; mark: number } | undefined;
    if (pending) {
      const value = await pending.promise;
      if (pending.mark >= arrived || !this.store.changedSince(topicsOf(value), pending.mark)) return value;
      if (this.loading.get(key) === pending) this.loading.delete(key);
      return this.getSince(key, load, topicsOf, untilOf, arrived);
    }
    const mark = this.store.epoch();
    const promise = load().then((value) => {
      const topics = topicsOf(value);
      const until = topics && untilOf ? untilOf(value) : undefined;
      if (topics && this.listening && this.store.store(key, deepFreeze(value), topics, mark, this.clock.now().getTime(), until)) {
        if (value && typeof value === 'object' && !(value instanceof Map)) this.json.set(value, Buffer.from(JSON.stringify(value)));
      }
      return value;
    });
    const entry = { promise, mark };
    this.loading.set(key, entry);
    try {
      return await promise;
    } finally {
      if (this.loading.get(key) === entry) this.loading.delete(key);
    }
  }

  /**
   * Encodes once an answer that several requests send (a load shared by identical reads, Coalescer, decision
   * 067): the reply serializer sends each of them these bytes instead of encoding the answer again. Whether or
   * not the cache is on. The value is frozen, so that it stays what the bytes say.
   */
  encodeShared<T extends object>(value: T): T {
    this.json.set(deepFreeze(value), Buffer.from(JSON.stringify(value)));
    return value;
  }

  /** The stored JSON of an answer this cache handed out (the reply serializer sends it as is), else undefined. */
  jsonOf(value: unknown): Buffer | undefined {
    return value !== null && typeof value === 'object' ? this.json.get(value) : undefined;
  }

  /** Drops what a change of this division (code), topic (`person:<id>`), list of these (comma-joined) or everything (`*`) touches. */
  invalidate(payload: string): void {
    // A load already under way is not shared with a later caller if its answer's topics changed (getSince).
    this.store.invalidate(payload);
  }

  async onModuleInit(): Promise<void> {
    await this.listener?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }
}

/** Shared answers are frozen, so code that changed one would fail in the tests instead of leaking to another reader. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Map)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
