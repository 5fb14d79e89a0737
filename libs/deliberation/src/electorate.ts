import type { EntityManager } from 'typeorm';
import { queryRows } from '#platform';
import type { CollectiveRegisters } from '#economy';
import type { VotingBody } from './quorum.js';

/** The bodies whose seats are role grants at the village; the collective organization's bodies read its registers. */
export type RoleBody = Extract<VotingBody, 'villagers_meeting' | 'representatives_meeting' | 'party_meeting'>;
export type RegisterBody = Exclude<VotingBody, RoleBody>;
/** A role body, or the village representatives alone (the base of their 联名提议, Art. 21 and 26). */
export type RoleRoster = RoleBody | 'village_representatives';
export const isRoleBody = (b: VotingBody): b is RoleBody =>
  b === 'villagers_meeting' || b === 'representatives_meeting' || b === 'party_meeting';

/**
 * Who may vote in each body that the village register seats (live role grants at the village): a person
 * holding any of `roles` and none of `unless`. `adultsOnly`: 18 or over on the reference day.
 * - 村民代表会议 (村民委员会组织法 Art. 25): the committee members and the village representatives.
 * - 党员大会 (支部工作条例 Art. 11): full members only; a 预备党员 attends without a vote.
 */
export const ELECTORATE: Record<
  RoleRoster,
  { roles: readonly string[]; unless: readonly string[]; adultsOnly: boolean; households: boolean }
> = {
  villagers_meeting: { roles: ['resident'], unless: [], adultsOnly: true, households: true },
  representatives_meeting: { roles: ['village_representative', 'committee_member'], unless: [], adultsOnly: false, households: false },
  party_meeting: { roles: ['party_member'], unless: ['probationary_party_member'], adultsOnly: false, households: false },
  village_representatives: { roles: ['village_representative'], unless: [], adultsOnly: false, households: false },
};

/** The seat a 村民代表会议 elector holds: a representative (whether or not also on the committee) or a committee member. */
const SEAT_SQL = `CASE WHEN $6::text = 'representatives_meeting'
  THEN CASE WHEN bool_or(g.role = 'village_representative') THEN 'representative' ELSE 'committee' END END`;

/** Members of a role body on `day`, as (person, household, seat) — SQL over role_grant and person, parameters $2–$6. */
const ROLE_ELECTORS_SQL = `
  SELECT p.id AS person_id, p.household_no, ${SEAT_SQL} AS seat
    FROM role_grant g JOIN person p ON p.id = g.person_id
   WHERE g.division_code = $2 AND g.revoked_at IS NULL AND (g.role = ANY($3::text[]) OR g.role = ANY($4::text[]))
     AND ($5::boolean = false OR p.birth_date <= ($7::date - interval '18 years')::date)
   GROUP BY p.id, p.household_no
  HAVING bool_or(g.role = ANY($3::text[])) AND NOT bool_or(g.role = ANY($4::text[]))`;

const roleParams = (villageCode: string, body: RoleRoster, day: string) => {
  const rule = ELECTORATE[body];
  return [villageCode, rule.roles, rule.unless, rule.adultsOnly, body, day];
};

/**
 * The village representatives in a 村民代表会议's frozen electorate and their yes votes: the denominator
 * and the count of "2/3 of all village representatives" (matter-rules.ts). The committee members who sit
 * with them (Art. 25) count in the meeting's quorum and majority, not here; each ballot carries its seat
 * (never its voter) for this count (docs/decisions/012-bodies-and-seats.md). Zero for other bodies.
 */
export async function representativeCounts(
  em: EntityManager,
  voteId: string,
  body: VotingBody,
): Promise<{ representatives: number; representativesYes: number }> {
  if (body !== 'representatives_meeting') return { representatives: 0, representativesYes: 0 };
  const [r] = await queryRows<{ representatives: number; representativesYes: number }>(
    em,
    `SELECT (SELECT count(*)::int FROM vote_elector WHERE vote_id = $1 AND seat = 'representative') AS representatives,
            (SELECT count(*)::int FROM ballot_choice WHERE vote_id = $1 AND seat = 'representative' AND choice = 'yes') AS "representativesYes"`,
    [voteId],
  );
  return r;
}

/** The calendar day in 长治 (UTC+8) of an instant: ages and "voted on" days are counted in it. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Freezes the electorate of `voteId` into vote_elector and writes the denominators on the vote row.
 * Later register edits do not touch these rows. The collective organization's bodies come from its
 * registers (economy's CollectiveRegisters), every other body from the village's role grants.
 */
export async function freezeElectorate(
  em: EntityManager,
  registers: CollectiveRegisters,
  voteId: string,
  villageCode: string,
  body: VotingBody,
  referenceDay: string,
): Promise<{ electorate: number; households: number }> {
  if (isRoleBody(body)) {
    await em.query(
      `INSERT INTO vote_elector (vote_id, person_id, household_no, seat) SELECT $1, person_id, household_no, seat FROM (${ROLE_ELECTORS_SQL}) x`,
      [voteId, ...roleParams(villageCode, body, referenceDay)],
    );
  } else {
    const electors =
      body === 'members_assembly'
        ? await registers.assemblyElectors(em, villageCode, referenceDay)
        : await registers.seatedMemberRepresentatives(em, villageCode, referenceDay);
    await em.query(`INSERT INTO vote_elector (vote_id, person_id, household_no) SELECT $1, * FROM unnest($2::uuid[], $3::text[])`, [
      voteId,
      electors.map((e) => e.personId),
      electors.map((e) => e.householdNo),
    ]);
  }
  const households = isRoleBody(body) && ELECTORATE[body].households;
  const [counts] = await queryRows<{ electorate: number; households: number }>(
    em,
    `UPDATE vote SET
        electorate = (SELECT count(*) FROM vote_elector WHERE vote_id = $1),
        households = CASE WHEN $2::boolean
          THEN (SELECT count(DISTINCT household_no) FROM vote_elector WHERE vote_id = $1 AND household_no IS NOT NULL) ELSE 0 END
      WHERE id = $1 RETURNING electorate, households`,
    [voteId, households],
  );
  return counts;
}

/** Size of a role roster in the register now (for 联名提议 bases and recorded meetings). */
export async function currentElectorateSize(em: EntityManager, villageCode: string, body: RoleRoster, day: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(
    em,
    // $1 is the person slot of the shared SQL, unused here.
    `SELECT count(*)::int AS n FROM (${ROLE_ELECTORS_SQL}) x WHERE $1::uuid IS NULL`,
    [null, ...roleParams(villageCode, body, day)],
  );
  return n;
}
/** Whether a person is on a role roster now. */
export async function isInElectorateNow(
  em: EntityManager,
  personId: string,
  villageCode: string,
  body: RoleRoster,
  day: string,
): Promise<boolean> {
  const rows = await queryRows<{ ok: boolean }>(em, `SELECT true AS ok FROM (${ROLE_ELECTORS_SQL}) x WHERE person_id = $1`, [
    personId,
    ...roleParams(villageCode, body, day),
  ]);
  return rows.length > 0;
}

/**
 * The people in a body's electorate in the register now (the recipients of a meeting's notice): the
 * same seats freezeElectorate will take when voting opens.
 */
export async function currentElectorateIds(
  em: EntityManager,
  registers: CollectiveRegisters,
  villageCode: string,
  body: VotingBody,
  day: string,
): Promise<string[]> {
  if (isRoleBody(body)) {
    const rows = await queryRows<{ person_id: string }>(em, `SELECT person_id FROM (${ROLE_ELECTORS_SQL}) x WHERE $1::uuid IS NULL`, [
      null,
      ...roleParams(villageCode, body, day),
    ]);
    return rows.map((r) => r.person_id);
  }
  const electors =
    body === 'members_assembly'
      ? await registers.assemblyElectors(em, villageCode, day)
      : await registers.seatedMemberRepresentatives(em, villageCode, day);
  return electors.map((e) => e.personId);
}
