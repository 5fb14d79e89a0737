import type { DataSource } from 'typeorm';
import { sql } from 'kysely';
import { dbOf, startingWith } from '#platform';
import { DEMO_VILLAGES } from './demo-people.seed.js';

/**
 * The seats of the demo bodies (issue 11 stage 2, docs/decisions/012-bodies-and-seats.md), kept apart
 * from the people and the organizations they build on. Runs after seedDemoPeople and seedDemoEconomy,
 * before the demo proposals (whose votes freeze these registers). Idempotent.
 * - In each demo village: two 村民委员会成员 and one 预备党员 (who attends the 党员大会 without a vote),
 *   from the adult residents who are neither representatives nor party members.
 * - Each demo village's collective organization: every adult resident of the demo register, and the village's
 *   own officials, are members (the 成员大会's electorate, and a land matter's 村民会议's, is the member register);
 *   the township, county and city officials living in a demo village are residents, not members.
 * - The first demo village's organization: 21 elected 成员代表 (five-year term from 2024-03-01), so its
 *   成员代表大会 can be opened (Art. 28: more than twenty).
 */
export const DEMO_MEMBER_REPRESENTATIVES = 21;

export async function seedDemoRegisters(db: DataSource): Promise<void> {
  await db.transaction(async (em) => {
    const q = dbOf(em);
    for (const [k, v] of DEMO_VILLAGES.entries()) {
      // The demo residents of the village, in register order (their households are "<village>-NNN").
      const residents = await q
        .selectFrom('person as p')
        .select((eb) => [
          'p.id',
          sql<boolean>`p.birth_date <= (current_date - interval '18 years')::date`.as('adult'),
          eb
            .exists(
              eb
                .selectFrom('role_grant as g')
                .select(sql`1`.as('one'))
                .whereRef('g.person_id', '=', 'p.id')
                .where('g.division_code', '=', v)
                .where('g.revoked_at', 'is', null)
                .where('g.role', 'in', ['village_representative', 'party_member']),
            )
            .as('seated'),
        ])
        .where('p.is_demo', '=', true)
        .where('p.home_division_code', '=', v)
        .where('p.household_no', 'like', startingWith(`${v.slice(-3)}-`))
        .orderBy('p.household_no')
        .orderBy('p.id')
        .execute();
      // Adults who are neither representatives nor party members: two committee members, then one 预备党员.
      const free = residents.filter((r) => r.adult && !r.seated).map((r) => r.id);
      const grant = (personId: string, role: 'committee_member' | 'probationary_party_member') =>
        q
          .insertInto('role_grant')
          .values({ person_id: personId, role, division_code: v })
          .onConflict((oc) => oc.columns(['person_id', 'role', 'division_code']).where('revoked_at', 'is', null).doNothing())
          .execute();
      for (const id of free.slice(0, 2)) await grant(id, 'committee_member');
      if (free[2]) await grant(free[2], 'probationary_party_member');

      const org = await q
        .selectFrom('collective_org')
        .select('id')
        .where('division_code', '=', v)
        .where('level', '=', 'village')
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (!org) continue;
      const adults = residents.filter((r) => r.adult).map((r) => r.id);
      await sql`INSERT INTO collective_member (org_id, person_id, joined_on, shares)
         SELECT ${org.id}::uuid, p, '2020-06-01', 1 FROM unnest(${adults}::uuid[]) AS p ON CONFLICT (org_id, person_id) DO NOTHING`.execute(
        q,
      );
      // The village's own officials (村委会主任, 监委会主任, 村调解员: demo people registered in the village without a
      // household number) are villagers and members too; the township, county and city officials whose home is a
      // demo village are not, so a land matter's 村民会议 (decision 064) shows residents who are not its electors.
      const officials = await q
        .selectFrom('person as p')
        .select('p.id')
        .where('p.is_demo', '=', true)
        .where('p.home_division_code', '=', v)
        .where('p.household_no', 'is', null)
        .where(sql<boolean>`p.birth_date <= (current_date - interval '18 years')::date`)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('role_grant as g')
                .select(sql`1`.as('one'))
                .whereRef('g.person_id', '=', 'p.id')
                .where('g.revoked_at', 'is', null)
                .where('g.division_code', '<>', v),
            ),
          ),
        )
        .execute();
      const villageOfficials = officials.map((o) => o.id);
      await sql`INSERT INTO collective_member (org_id, person_id, joined_on, shares)
         SELECT ${org.id}::uuid, p, '2020-06-01', 1 FROM unnest(${villageOfficials}::uuid[]) AS p ON CONFLICT (org_id, person_id) DO NOTHING`.execute(
        q,
      );
      for (const id of villageOfficials)
        await q
          .insertInto('role_grant')
          .values({ person_id: id, role: 'collective_member', division_code: v })
          .onConflict((oc) => oc.columns(['person_id', 'role', 'division_code']).where('revoked_at', 'is', null).doNothing())
          .execute();
      if (k !== 0) continue;
      await sql`INSERT INTO collective_member_representative (org_id, member_id, elected_on, term_ends_on)
         SELECT m.org_id, m.id, '2024-03-01', '2029-03-01' FROM collective_member m
          WHERE m.org_id = ${org.id} AND m.person_id = ANY(${adults.slice(0, DEMO_MEMBER_REPRESENTATIVES)}::uuid[])
         ON CONFLICT (member_id, elected_on) DO NOTHING`.execute(q);
    }
  });
}
