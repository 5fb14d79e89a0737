import { jest } from '@jest/globals';
import { RemindersService } from '#openness';
import { queryRows } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ok, Villages } from './deliberation-support.js';

jest.setTimeout(120_000);

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp();
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t?.close();
});

const DAY = 86_400_000;
const notes = async (token: string, kind: string) =>
  (
    ok(await t.api.get('/api/v1/notifications?pageSize=100', token)).items as { kind: string; title: string; body: string; link: string }[]
  ).filter((n) => n.kind === kind);

it('the township hears once of what is overdue, the committee before a due day; what is published is left out', async () => {
  // 长治 today is 2026-12-01 or later in this suite: the third quarter (due 10 October) is overdue.
  const village = villages.inA();
  const committee = await t.given.user('village_committee', village);
  const supervisor = await t.given.user('supervision_committee', village);
  const township = await t.given.user('township_staff', village.slice(0, 9), { home: village });
  const reminders = t.app.get(RemindersService);
  // The third quarter's general matters published on time: not overdue.
  const id = ok(
    await t.api.post(
      '/api/v1/disclosures',
      {
        villageCode: village,
        subject: 'village',
        kind: 'relief',
        title: '第三季度救助资金',
        periodKind: 'quarter',
        periodStart: '2026-07-01',
      },
      committee.token,
    ),
    201,
  ).id as string;
  ok(await t.api.post(`/api/v1/disclosures/${id}/submit`, {}, committee.token), 201);
  ok(await t.api.post(`/api/v1/disclosures/${id}/sign-off`, {}, supervisor.token), 201);
  ok(await t.api.post(`/api/v1/disclosures/${id}/publish`, {}, committee.token), 201);

  const first = await reminders.run();
  expect(first.overdue).toBeGreaterThan(0);
  const overdue = await notes(township.token, 'disclosure_overdue');
  const mine = overdue.filter((n) => n.link === `/openness/villages/${village}`);
  expect(mine).toHaveLength(1);
  expect(mine[0].body).toContain('2026年第3季度村财务公开');
  expect(mine[0].body).not.toContain('2026年第3季度村务公开');
  expect(mine[0].body).toContain('第三十一条');
  // The committee is not told of the overdue (the township is), and a second run tells nobody again.
  expect(await notes(committee.token, 'disclosure_overdue')).toEqual([]);
  const again = await reminders.run();
  expect(again).toEqual({ dueSoon: 0, overdue: 0 });
  expect((await notes(township.token, 'disclosure_overdue')).filter((n) => n.link === `/openness/villages/${village}`)).toHaveLength(1);
  const [{ n }] = await queryRows<{ n: number }>(
    t.db,
    `SELECT count(*)::int AS n FROM openness_reminder WHERE village_code = $1 AND kind = 'overdue' AND period_start = '2026-07-01'`,
    [village],
  );
  expect(n).toBe(1); // finance only: general was published

  // Two days before the fourth quarter's due day (10 January): the committee is reminded of what is not yet published.
  const target = Date.parse('2027-01-08T02:00:00Z');
  t.clock.advance(target - t.clock.now().getTime());
  const soon = await reminders.run();
  expect(soon.dueSoon).toBeGreaterThan(0);
  const due = (await notes(committee.token, 'disclosure_due')).filter((x) => x.link === `/openness/villages/${village}`);
  expect(due).toHaveLength(1);
  expect(due[0].body).toContain('2026年第4季度村务公开（应于 2027-01-10 前公开）');
  expect(due[0].body).toContain('2026年第4季度村财务公开');
  expect((await reminders.run()).dueSoon).toBe(0);
  // Once the due day has passed, the township hears of it.
  t.clock.advance(3 * DAY);
  await reminders.run();
  const later = (await notes(township.token, 'disclosure_overdue')).filter((x) => x.link === `/openness/villages/${village}`);
  expect(later).toHaveLength(2);
  expect(later[0].body).toContain('2026年第4季度');
});
