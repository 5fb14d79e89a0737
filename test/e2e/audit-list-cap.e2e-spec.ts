import { AUDIT_COUNT_AHEAD_PAGES, AUDIT_COUNT_CAP } from '#audit';
import { COUNTY, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

// The audit list counts ten pages past the one asked for and never past AUDIT_COUNT_CAP (a city's log holds
// tens of millions of rows): each page still shows its rows, and the answer says there are more than it counted.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('audit list count cap', () => {
  it('more matching rows than the window: total is the window, totalCapped is set, each page its rows; a narrow filter counts exactly', async () => {
    const admin = await t.given.user('county_admin', COUNTY);
    await queryRows(
      t.db,
      `INSERT INTO audit_log (occurred_at, action, target_type, target_id, target_division, result, details)
       SELECT now() - interval '1 day' + i * interval '1 second', 'proposal.update', 'proposal', 'cap-' || i, $1, 'success', NULL
         FROM generate_series(1, $2) AS i`,
      [VILLAGE_A, AUDIT_COUNT_CAP + 50],
    );
    const wide = await t.api.get(`/api/v1/audit?action=proposal.update&pageSize=5`, admin.token);
    expect(wide.status).toBe(200);
    expect(wide.body.total).toBe(AUDIT_COUNT_AHEAD_PAGES * 5);
    expect(wide.body.totalCapped).toBe(true);
    expect(wide.body.items.map((r: { targetId: string }) => r.targetId)).toEqual(
      [50, 49, 48, 47, 46].map((i) => `cap-${AUDIT_COUNT_CAP + i}`),
    );
    // The tenth page counts ten further; the rows are the page's own.
    const tenth = await t.api.get(`/api/v1/audit?action=proposal.update&pageSize=5&page=10`, admin.token);
    expect(tenth.body.total).toBe(9 * 5 + AUDIT_COUNT_AHEAD_PAGES * 5);
    expect(tenth.body.totalCapped).toBe(true);
    expect(tenth.body.items.map((r: { targetId: string }) => r.targetId)).toEqual([5, 4, 3, 2, 1].map((i) => `cap-${AUDIT_COUNT_CAP + i}`));
    // Far pages stop at the cap; the last page before it is complete, the rest counted exactly.
    const far = await t.api.get(`/api/v1/audit?action=proposal.update&pageSize=5&page=${AUDIT_COUNT_CAP / 5}`, admin.token);
    expect(far.body.total).toBe(AUDIT_COUNT_CAP);
    expect(far.body.totalCapped).toBe(true);
    expect(far.body.items.map((r: { targetId: string }) => r.targetId)).toEqual([55, 54, 53, 52, 51].map((i) => `cap-${i}`));

    const narrow = await t.api.get(`/api/v1/audit?targetType=proposal&targetId=cap-7`, admin.token);
    expect(narrow.status).toBe(200);
    expect(narrow.body.total).toBe(1);
    expect(narrow.body.totalCapped).toBeUndefined();
    expect(narrow.body.items[0].targetId).toBe('cap-7');
  });
});
