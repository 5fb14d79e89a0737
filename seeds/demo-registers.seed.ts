import type { DataSource } from 'typeorm';
import { queryRows } from '#platform';
import { DEMO_VILLAGES } from './demo-people.seed.js';

/**
 * The seats of the demo bodies (issue 11 stage 2, docs/decisions/012-bodies-and-seats.md), kept apart
 * from the people and the organizations they build on. Runs after seedDemoPeople and seedDemoEconomy,
 * before the demo proposals (whose votes freeze these registers). Idempotent.
 * - In each demo village: two 村民委员会成员 and one 预备党员 (who attends the 党员大会 without a vote),
 *   from the adult residents who are neither representatives nor party members.
 * - Each demo village's collective organization: every adult resident of the demo register is a member
 *   (the 成员大会's electorate is the member register).
 * - The first demo village's organization: 21 elected 成员代表 (five-year term from 2024-03-01), so its
 *   成员代表大会 can be opened (Art. 28: more than twenty).
 */
export const DEMO_MEMBER_REPRESENTATIVES = 21;

export async function seedDemoRegisters(db: DataSource): Promise<void> {
  await db.transaction(async (em) => {
    for (const [k, v] of DEMO_VILLAGES.entries()) {
      // The demo residents of the village, in register order (their households are "<village>-NNN").
      const residents = await queryRows<{ id: string; adult: boolean; seated: boolean }>(
        em,
        `SELECT p.id, p.birth_date <= (current_date - interval '18 years')::date AS adult,
                EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p.id AND g.division_code = $1 AND g.revoked_at IS NULL
                          AND g.role IN ('village_representative', 'party_member')) AS seated
           FROM person p WHERE p.is_demo AND p.home_division_code = $1 AND p.household_no LIKE $2 ORDER BY p.household_no, p.id`,
        [v, `${v.slice(-3)}-%`],
      );
      // Adults who are neither representatives nor party members: two committee members, then one 预备党员.
      const free = residents.filter((r) => r.adult && !r.seated).map((r) => r.id);
      const grant = (personId: string, role: string) =>
        em.query(
          `INSERT INTO role_grant (person_id, role, division_code) VALUES ($1, $2, $3)
           ON CONFLICT (person_id, role, division_code) WHERE revoked_at IS NULL DO NOTHING`,
          [personId, role, v],
        );
      for (const id of free.slice(0, 2)) await grant(id, 'committee_member');
      if (free[2]) await grant(free[2], 'probationary_party_member');

      const [org] = await queryRows<{ id: string }>(
        em,
        `SELECT id FROM collective_org WHERE division_code = $1 AND level = 'village' AND status = 'active'`,
        [v],
      );
      if (!org) continue;
      const adults = residents.filter((r) => r.adult).map((r) => r.id);
      await em.query(
        `INSERT INTO collective_member (org_id, person_id, joined_on, shares)
         SELECT $1, p, '2020-06-01', 1 FROM unnest($2::uuid[]) AS p ON CONFLICT (org_id, person_id) DO NOTHING`,
        [org.id, adults],
      );
      if (k !== 0) continue;
      await em.query(
        `INSERT INTO collective_member_representative (org_id, member_id, elected_on, term_ends_on)
         SELECT $1, m.id, '2024-03-01', '2029-03-01' FROM collective_member m
          WHERE m.org_id = $1 AND m.person_id = ANY($2::uuid[])
         ON CONFLICT (member_id, elected_on) DO NOTHING`,
        [org.id, adults.slice(0, DEMO_MEMBER_REPRESENTATIVES)],
      );
    }
  });
}
