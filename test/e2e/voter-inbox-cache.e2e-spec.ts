import { jest } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';
import { readsSettled, within } from '../support/wait.js';
import { createDraft, officials, ok, toVoting, Villages, vote } from './deliberation-support.js';

// A resident's "needs my vote" and inbox come from the read cache (docs/decisions/066-the-residents-own-reads.md).
// A change made elsewhere (SQL here, as another app process would) reaches them by NOTIFY within a second;
// one the triggers do not see (session_replication_role = replica) only after READ_CACHE_SECONDS, which is
// how these tests tell a cached answer from a fresh one. The voter's own ballot shows at once.

jest.setTimeout(60_000);

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t.close();
});

const silently = (sql: string, params: unknown[]) =>
  t.db.transaction(async (em) => {
    await em.query('SET LOCAL session_replication_role = replica');
    await em.query(sql, params);
  });

const needsMyVote = async (token: string): Promise<string[]> =>
  ok(await t.api.get('/api/v1/proposals?needsMyVote=true', token)).items.map((p: { id: string }) => p.id);

describe('needs my vote from the read cache', () => {
  it('follows ballots cast elsewhere, electorates frozen elsewhere, the voter’s own ballot at once, and the vote’s close', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const [a, b, c] = [
      await t.given.user('resident', village, { birth: '1980-01-01' }),
      await t.given.user('resident', village, { birth: '1981-01-01' }),
      await t.given.user('resident', village, { birth: '1982-01-01' }),
    ];
    const id = await createDraft(t, o, village);
    const { closesAt } = await toVoting(t, o, village, id);
    const [{ vote_id: voteId }] = await queryRows<{ vote_id: string }>(t.db, `SELECT id AS vote_id FROM vote WHERE proposal_id = $1`, [id]);
    await readsSettled(t.app, t.db);
    for (const u of [a, b, c]) expect(await needsMyVote(u.token)).toEqual([id]);

    // A participation the triggers do not see: the cached answer stands until its age runs out.
    await silently(`INSERT INTO ballot_participation (vote_id, person_id, voted_on) VALUES ($1, $2, current_date)`, [voteId, b.personId]);
    expect(await needsMyVote(b.token)).toEqual([id]);
    t.clock.advance(6000);
    expect(await needsMyVote(b.token)).toEqual([]);

    // A ballot of c's taken by another process (SQL with the triggers on): gone within a second.
    expect(await needsMyVote(c.token)).toEqual([id]);
    await queryRows(t.db, `INSERT INTO ballot_participation (vote_id, person_id, voted_on) VALUES ($1, $2, current_date)`, [
      voteId,
      c.personId,
    ]);
    expect(await within(1000, async () => (await needsMyVote(c.token)).length === 0)).toBeLessThan(1000);
    // …and back when the participation is removed (a rolled-back test of an operator, say).
    await queryRows(t.db, `DELETE FROM ballot_participation WHERE vote_id = $1 AND person_id = $2`, [voteId, c.personId]);
    expect(await within(1000, async () => (await needsMyVote(c.token)).length === 1)).toBeLessThan(1000);

    // a votes through this process: the very next read no longer lists it, without waiting for NOTIFY.
    expect(await needsMyVote(a.token)).toEqual([id]);
    ok(await vote(t, id, a.token, 'yes'), 201);
    expect(await needsMyVote(a.token)).toEqual([]);

    // An elector row written elsewhere (as when another process freezes an electorate) names its person.
    const d = await t.given.user('resident', village, { birth: '1983-01-01' });
    await readsSettled(t.app, t.db);
    expect(await needsMyVote(d.token)).toEqual([]);
    await queryRows(
      t.db,
      `INSERT INTO vote_elector (vote_id, person_id, household_no) SELECT $1, id, household_no FROM person WHERE id = $2`,
      [voteId, d.personId],
    );
    expect(await within(1000, async () => (await needsMyVote(d.token)).length === 1)).toBeLessThan(1000);
    await queryRows(t.db, `DELETE FROM vote_elector WHERE vote_id = $1 AND person_id = $2`, [voteId, d.personId]);
    expect(await within(1000, async () => (await needsMyVote(d.token)).length === 0)).toBeLessThan(1000);

    // The close time passes (the job has not run, the vote is still 'open'): no longer awaited, cached or not.
    expect(await needsMyVote(c.token)).toEqual([id]);
    t.clock.advance(closesAt.getTime() - t.clock.now().getTime() + 1);
    expect(await needsMyVote(c.token)).toEqual([]);
  });
});

describe('the inbox from the read cache', () => {
  it('follows notifications written, read and removed elsewhere; the caller’s own reading at once', async () => {
    const village = villages.inA();
    const r = await t.given.user('resident', village, { birth: '1980-01-01' });
    const inbox = async (unreadOnly = false) =>
      ok<{ total: number; unread: number; items: { id: string; title: string; readAt: string | null }[] }>(
        await t.api.get(`/api/v1/notifications?pageSize=5${unreadOnly ? '&unreadOnly=true' : ''}`, r.token),
      );
    const write = (title: string) =>
      `INSERT INTO notification (person_id, kind, title, body, created_at) VALUES ($1, 'result_published', '${title}', '正文', now()) RETURNING id`;
    await readsSettled(t.app, t.db);
    expect(await inbox()).toMatchObject({ total: 0, unread: 0 });

    await silently(write('静默'), [r.personId]);
    expect((await inbox()).total).toBe(0);
    t.clock.advance(6000);
    expect(await inbox()).toMatchObject({ total: 1, unread: 1 });

    const [{ id }] = await queryRows<{ id: string }>(t.db, write('通知二'), [r.personId]);
    expect(await within(1000, async () => (await inbox()).total === 2)).toBeLessThan(1000);
    expect((await inbox()).items[0].title).toBe('通知二');
    expect((await inbox(true)).total).toBe(2);

    await queryRows(t.db, `UPDATE notification SET read_at = now() WHERE id = $1`, [id]);
    expect(await within(1000, async () => (await inbox()).unread === 1)).toBeLessThan(1000);
    expect((await inbox(true)).items.map((n) => n.title)).toEqual(['静默']);

    await queryRows(t.db, `DELETE FROM notification WHERE id = $1`, [id]);
    expect(await within(1000, async () => (await inbox()).total === 1)).toBeLessThan(1000);

    // The caller reads one through the app: the next list in this process shows it read.
    const [{ id: left }] = await queryRows<{ id: string }>(t.db, `SELECT id FROM notification WHERE person_id = $1`, [r.personId]);
    const read = await t.api.post(`/api/v1/notifications/${left}/read`, {}, r.token);
    expect(read.status).toBe(204);
    expect(await inbox()).toMatchObject({ total: 1, unread: 0 });
    expect((await inbox()).items[0].readAt).not.toBeNull();

    // Another person's notification leaves this person's cached page alone (it is not their topic).
    const other = await t.given.user('resident', village, { birth: '1980-01-01' });
    await readsSettled(t.app, t.db);
    const before = await inbox();
    await silently(`UPDATE notification SET title = '改过' WHERE person_id = $1`, [r.personId]);
    await queryRows(t.db, write('别人的'), [other.personId]);
    await readsSettled(t.app, t.db);
    expect((await inbox()).items[0].title).toBe(before.items[0].title);
  });
});
