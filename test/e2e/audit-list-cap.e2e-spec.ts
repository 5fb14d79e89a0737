import { AUDIT_COUNT_CAP } from '#audit';
import { COUNTY, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

// The audit list stops counting at AUDIT_COUNT_CAP (a city's log holds tens of millions of rows): the
// first page still shows the newest rows, and the answer says there are more than it counted.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('audit list count cap', () => {
  it('more matching rows than the cap: total is the cap, totalCapped is set, the page is the newest rows; a narrow filter counts exactly', async () => {
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
    expect(wide.body.total).toBe(AUDIT_COUNT_CAP);
    expect(wide.body.totalCapped).toBe(true);
    expect(wide.body.items.map((r: { targetId: string }) => r.targetId)).toEqual(
      [50, 49, 48, 47, 46].map((i) => `cap-${AUDIT_COUNT_CAP + i}`),
    );

    const narrow = await t.api.get(`/api/v1/audit?targetType=proposal&targetId=cap-7`, admin.token);
    expect(narrow.status).toBe(200);
    expect(narrow.body.total).toBe(1);
    expect(narrow.body.totalCapped).toBeUndefined();
    expect(narrow.body.items[0].targetId).toBe('cap-7');
  });
});
