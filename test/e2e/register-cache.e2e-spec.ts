import { TOWNSHIP_B, VILLAGE_B } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';
import { readsSettled, within } from '../support/wait.js';

// The register's lists come from the read cache (docs/decisions/063-rollups-from-memory.md): every change to
// what a list shows — a person added, changed or moved, an account's status, a grant — reaches it within a
// second by NOTIFY (here from SQL outside the app), and a change the triggers miss only after READ_CACHE_SECONDS.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

interface Listed {
  id: string;
  realName: string;
  accountStatus: string | null;
  roles: string[];
  homeDivisionCode: string;
}

it('a township’s list follows people added, renamed, moved away, their account and their roles', async () => {
  const staff = await t.given.user('township_staff', TOWNSHIP_B);
  const list = async () => {
    const r = await t.api.get(`/api/v1/people?divisionCode=${TOWNSHIP_B}&q=${encodeURIComponent('缓存')}&pageSize=50`, staff.token);
    expect(r.status).toBe(200);
    return r.body as { total: number; items: Listed[] };
  };
  const one = async () => (await list()).items.find((p) => p.realName.startsWith('缓存'));
  await readsSettled(t.app, t.db);
  expect((await list()).total).toBe(0);

  // Added by SQL with the triggers off: not seen until the age limit.
  await t.db.transaction(async (em) => {
    await em.query('SET LOCAL session_replication_role = replica');
    await em.query(
      `INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code)
       VALUES ('缓存甲', '\\x00', sha256('register-cache-1'::bytea), '140428********0000', '1980-01-01', 'F', $1)`,
      [VILLAGE_B],
    );
  });
  expect((await list()).total).toBe(0);
  t.clock.advance(6000);
  expect((await list()).total).toBe(1);
  const id = (await one())!.id;

  const soon = (check: (p: Listed | undefined) => boolean) => within(1000, async () => check(await one()));
  await queryRows(t.db, `UPDATE person SET real_name = '缓存乙' WHERE id = $1`, [id]);
  expect(await soon((p) => p?.realName === '缓存乙')).toBeLessThan(1000);

  await queryRows(
    t.db,
    `INSERT INTO account (person_id, login_phone_hash, status) VALUES ($1, sha256('register-cache-phone'::bytea), 'pending')`,
    [id],
  );
  expect(await soon((p) => p?.accountStatus === 'pending')).toBeLessThan(1000);
  await queryRows(t.db, `UPDATE account SET status = 'disabled' WHERE person_id = $1`, [id]);
  expect(await soon((p) => p?.accountStatus === 'disabled')).toBeLessThan(1000);

  await queryRows(t.db, `INSERT INTO role_grant (person_id, role, division_code) VALUES ($1, 'village_representative', $2)`, [
    id,
    VILLAGE_B,
  ]);
  expect(await soon((p) => p?.roles.includes('village_representative') === true)).toBeLessThan(1000);

  // Moved to a village of another township: gone from this township's list.
  await queryRows(t.db, `UPDATE person SET home_division_code = '140428101200' WHERE id = $1`, [id]);
  expect(await soon((p) => p === undefined)).toBeLessThan(1000);
});
