import { AuditService } from '#audit';
import { TOWNSHIP_A, VILLAGE_A, VILLAGE_A2 } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

// Identical audit list reads that arrive together share one load (decision 067). The key must hold all the
// answer depends on: readers of different scopes, or of the same scope with and without
// audit.read_restricted, asking the same thing at the same moment each get their own answer.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

interface Row {
  targetId: string;
  targetDivision: string;
  details: { restricted?: boolean } | null;
}

describe('audit list: identical reads together', () => {
  it('share loads, yet each reader gets the rows of their own scope and rights, and a row written before a read is in it', async () => {
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const supervisor = await t.given.user('supervision_committee', VILLAGE_A);
    await queryRows(
      t.db,
      `INSERT INTO audit_log (occurred_at, action, target_type, target_id, target_division, result, details)
       VALUES (now() - interval '3 minutes', 'proposal.update', 'proposal', 'co-a', $1, 'success', NULL),
              (now() - interval '2 minutes', 'proposal.update', 'proposal', 'co-a2', $2, 'success', NULL),
              (now() - interval '1 minute', 'proposal.update', 'proposal', 'co-secret', $1, 'success', '{"restricted": true}')`,
      [VILLAGE_A, VILLAGE_A2],
    );
    const service = t.app.get(AuditService);
    const before = service['lists'].stats();

    const path = `/api/v1/audit?action=proposal.update&pageSize=20`;
    const readers = Array.from({ length: 30 }, (_, i) => (i % 2 ? supervisor : township));
    // The table held locked until all 30 reads have reached the service: the first load of each key waits,
    // and every other read arrives while it runs.
    const lock = t.db.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    await lock.query('LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE');
    const pending = Promise.all(readers.map((r) => t.api.get(path, r.token)));
    const deadline = Date.now() + 10_000;
    while (service['lists'].stats().calls - before.calls < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await lock.commitTransaction();
    await lock.release();
    const answers = await pending;
    const ids = (body: { items: Row[] }) => body.items.map((r) => r.targetId);
    answers.forEach((a, i) => {
      expect(a.status).toBe(200);
      if (readers[i] === township) {
        expect(ids(a.body)).toEqual(['co-secret', 'co-a2', 'co-a']);
      } else {
        // The village's supervisor: no row of the neighbouring village, no restricted row.
        expect(ids(a.body)).toEqual(['co-a']);
      }
    });
    const after = service['lists'].stats();
    expect(after.calls - before.calls).toBe(30);
    // Two keys, each one load that waited for the lock and one for every read that came while it waited.
    expect(after.loads - before.loads).toBe(4);

    // A row committed before a read is in that read while identical reads are running (that a read never
    // joins a load started before it is coalescer.spec's, which can hold a load's snapshot still).
    const running = Array.from({ length: 10 }, () => t.api.get(path, township.token));
    await queryRows(
      t.db,
      `INSERT INTO audit_log (occurred_at, action, target_type, target_id, target_division, result)
       VALUES (now(), 'proposal.update', 'proposal', 'co-new', $1, 'success')`,
      [VILLAGE_A],
    );
    const fresh = await t.api.get(path, township.token);
    expect(ids(fresh.body)[0]).toBe('co-new');
    await Promise.all(running);
  });
});
