import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { lendingPool } from './kysely.js';

/** A pg pool's shape as lendingPool uses it: connect() lends a client (an EventEmitter) with release(). */
function fakePool() {
  const pool = new EventEmitter() as EventEmitter & { released: unknown[]; client: EventEmitter & { release: (x?: unknown) => void } };
  pool.released = [];
  const client = Object.assign(new EventEmitter(), { release: (x?: unknown) => void pool.released.push(x ?? 'released') });
  pool.client = client;
  Object.assign(pool, { Client: class {}, options: { max: 2 }, connect: async () => client, end: async () => undefined });
  return pool;
}

describe('lendingPool', () => {
  it('a lent client whose connection dies reports to the pool instead of ending the process', async () => {
    const pool = fakePool();
    const heard: unknown[] = [];
    pool.on('error', (err: Error, client: unknown) => heard.push([err.message, client === pool.client]));
    const client = await lendingPool(pool as unknown as pg.Pool).connect();
    const dies = () => (client as unknown as EventEmitter).emit('error', new Error('Connection terminated unexpectedly'));
    // The premise: with nobody listening, EventEmitter throws on 'error' (pg's client emits it when the socket ends mid-statement).
    expect(() => fakePool().client.emit('error', new Error('x'))).toThrow('x');
    expect(dies).not.toThrow();
    expect(heard).toEqual([['Connection terminated unexpectedly', true]]);
  });

  it('gives the client back with the listener removed and the release argument passed on', async () => {
    const pool = fakePool();
    const lending = lendingPool(pool as unknown as pg.Pool);
    const client = await lending.connect();
    expect(pool.client.listenerCount('error')).toBe(1);
    client.release(true);
    expect(pool.client.listenerCount('error')).toBe(0);
    expect(pool.released).toEqual([true]);
    expect(lending.options).toEqual({ max: 2 });
  });
});
