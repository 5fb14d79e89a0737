import type { EntityManager } from 'typeorm';
import { queryRows } from '#platform';
import type { VotingBody } from './quorum.js';

/**
 * Who may vote in each body, from the village register (live role grants at the village).
 * A person must hold every listed role. `adultsOnly`: 18 or over on the reference day.
 */
export const ELECTORATE: Record<VotingBody, { roles: readonly string[]; adultsOnly: boolean; households: boolean }> = {
  villagers_meeting: { roles: ['resident'], adultsOnly: true, households: true },
  representatives_meeting: { roles: ['village_representative'], adultsOnly: false, households: false },
  party_meeting: { roles: ['party_member'], adultsOnly: false, households: false },
  members_assembly: { roles: ['collective_member'], adultsOnly: true, households: false },
  // No separate "member representative" role exists in the register: a member representative is a
  // collective member who is also a village representative (docs/decisions/010-deliberation-electorate.md).
  members_representatives_assembly: { roles: ['collective_member', 'village_representative'], adultsOnly: true, households: false },
};

/**
 * The village representatives in a 村民代表会议's frozen electorate and their yes votes: the denominator and
 * the count of "2/3 of all village representatives" (matter-rules.ts). The electorate is the representatives
 * alone (ELECTORATE above), so all of its members and all its yes votes count; zero for other bodies.
 */
export function representativeCounts(body: VotingBody, electorate: number, yes: number): { representatives: number; representativesYes: number } {
  return body === 'representatives_meeting' ? { representatives: electorate, representativesYes: yes } : { representatives: 0, representativesYes: 0 };
}

/** The calendar day in 长治 (UTC+8) of an instant: ages and "voted on" days are counted in it. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Freezes the electorate of `voteId` into vote_elector and writes the denominators on the vote row.
 * Later register edits do not touch these rows.
 */
export async function freezeElectorate(
  em: EntityManager,
  voteId: string,
  villageCode: string,
  body: VotingBody,
  referenceDay: string,
): Promise<{ electorate: number; households: number }> {
  const rule = ELECTORATE[body];
  await em.query(
    `INSERT INTO vote_elector (vote_id, person_id, household_no)
     SELECT $1, p.id, p.household_no
       FROM role_grant g JOIN person p ON p.id = g.person_id
      WHERE g.division_code = $2 AND g.revoked_at IS NULL AND g.role = ANY($3::text[])
        AND ($4::boolean = false OR p.birth_date <= ($5::date - interval '18 years')::date)
      GROUP BY p.id, p.household_no
     HAVING array_agg(g.role) @> $3::text[]`,
    [voteId, villageCode, rule.roles, rule.adultsOnly, referenceDay],
  );
  const [counts] = await queryRows<{ electorate: number; households: number }>(
    em,
    `UPDATE vote SET
        electorate = (SELECT count(*) FROM vote_elector WHERE vote_id = $1),
        households = CASE WHEN $2::boolean
          THEN (SELECT count(DISTINCT household_no) FROM vote_elector WHERE vote_id = $1 AND household_no IS NOT NULL) ELSE 0 END
      WHERE id = $1 RETURNING electorate, households`,
    [voteId, rule.households],
  );
  return counts;
}

/** Size of a body's electorate in the register now (for 联名提议 bases and recorded meetings). */
export async function currentElectorateSize(em: EntityManager, villageCode: string, body: VotingBody, day: string): Promise<number> {
  const rule = ELECTORATE[body];
  const [{ n }] = await queryRows<{ n: number }>(
    em,
    `SELECT count(*)::int AS n FROM (
       SELECT p.id FROM role_grant g JOIN person p ON p.id = g.person_id
        WHERE g.division_code = $1 AND g.revoked_at IS NULL AND g.role = ANY($2::text[])
          AND ($3::boolean = false OR p.birth_date <= ($4::date - interval '18 years')::date)
        GROUP BY p.id HAVING array_agg(g.role) @> $2::text[]) x`,
    [villageCode, rule.roles, rule.adultsOnly, day],
  );
  return n;
}

/** Whether a person is in a body's electorate now. */
export async function isInElectorateNow(em: EntityManager, personId: string, villageCode: string, body: VotingBody, day: string): Promise<boolean> {
  const rule = ELECTORATE[body];
  const rows = await queryRows<{ ok: boolean }>(
    em,
    `SELECT true AS ok FROM role_grant g JOIN person p ON p.id = g.person_id
      WHERE g.person_id = $1 AND g.division_code = $2 AND g.revoked_at IS NULL AND g.role = ANY($3::text[])
        AND ($4::boolean = false OR p.birth_date <= ($5::date - interval '18 years')::date)
      GROUP BY p.id HAVING array_agg(g.role) @> $3::text[]`,
    [personId, villageCode, rule.roles, rule.adultsOnly, day],
  );
  return rows.length > 0;
}

/** The people in a body's electorate in the register now (the recipients of a meeting's notice). */
export async function currentElectorateIds(em: EntityManager, villageCode: string, body: VotingBody, day: string): Promise<string[]> {
  const rule = ELECTORATE[body];
  const rows = await queryRows<{ id: string }>(
    em,
    `SELECT p.id FROM role_grant g JOIN person p ON p.id = g.person_id
      WHERE g.division_code = $1 AND g.revoked_at IS NULL AND g.role = ANY($2::text[])
        AND ($3::boolean = false OR p.birth_date <= ($4::date - interval '18 years')::date)
      GROUP BY p.id HAVING array_agg(g.role) @> $2::text[]`,
    [villageCode, rule.roles, rule.adultsOnly, day],
  );
  return rows.map((r) => r.id);
}
