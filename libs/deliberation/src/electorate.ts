import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CollectiveRegisters } from '#economy';
import { type Role, divisionRoster, divisionRosterQuery } from '#identity';
import type { Conn } from '#platform';
import { ElectorateRepository, type ElectorRow } from './electorate.repository.js';
import { villagersMeetingOfMembers } from './matter-rules.js';
import type { Category } from './names.js';
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
 * - 党员大会 (支部工作条例 Art. 11): full members only; a 预备党员 attends without a vote, and so does a member
 *   under 留党察看 (党章 Art. 40: no vote while the sanction lasts; docs/decisions/065-party-probation-no-vote.md).
 */
export const ELECTORATE: Record<RoleRoster, { roles: readonly Role[]; unless: readonly Role[]; adultsOnly: boolean; households: boolean }> =
  {
    villagers_meeting: { roles: ['resident'], unless: [], adultsOnly: true, households: true },
    representatives_meeting: { roles: ['village_representative', 'committee_member'], unless: [], adultsOnly: false, households: false },
    party_meeting: {
      roles: ['party_member'],
      unless: ['probationary_party_member', 'party_member_under_probation'],
      adultsOnly: false,
      households: false,
    },
    village_representatives: { roles: ['village_representative'], unless: [], adultsOnly: false, households: false },
  };

/** Whether a person holding `roles` (live, at the village) sits in the roster: one of its roles and none of its `unless`. */
export function sitsIn(body: RoleRoster, roles: readonly Role[]): boolean {
  const rule = ELECTORATE[body];
  return roles.some((r) => rule.roles.includes(r)) && !roles.some((r) => rule.unless.includes(r));
}

/**
 * Members of a role roster on `day` (live role grants at the village, read through identity): a person
 * holding any of the roster's roles and none of its `unless`; a 村民代表会议 elector carries a seat, a
 * representative (whether or not also on the committee) or a committee member. `personId`: that person only.
 */
export async function roleElectors(
  conn: Conn,
  villageCode: string,
  body: RoleRoster,
  day: string,
  personId?: string,
): Promise<ElectorRow[]> {
  const rule = ELECTORATE[body];
  const holders = await divisionRoster(conn, villageCode, [...rule.roles, ...rule.unless], {
    adultOn: rule.adultsOnly ? day : undefined,
    personId,
  });
  const out: ElectorRow[] = [];
  for (const h of holders) {
    if (!sitsIn(body, h.roles)) continue;
    const seat = body === 'representatives_meeting' ? (h.roles.includes('village_representative') ? 'representative' : 'committee') : null;
    out.push({ personId: h.personId, householdNo: h.householdNo, seat });
  }
  return out;
}

/** The calendar day in 长治 (UTC+8) of an instant: ages and "voted on" days are counted in it. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Size of a role roster in the register now (for 联名提议 bases and recorded meetings). */
export async function currentElectorateSize(conn: Conn, villageCode: string, body: RoleRoster, day: string): Promise<number> {
  return (await roleElectors(conn, villageCode, body, day)).length;
}

/** Whether a person is on a role roster now. */
export async function isInElectorateNow(
  conn: Conn,
  personId: string,
  villageCode: string,
  body: RoleRoster,
  day: string,
): Promise<boolean> {
  return (await roleElectors(conn, villageCode, body, day, personId)).length > 0;
}

/**
 * Whether a vote of `body` on `category` is seated from the collective organization's member register
 * (members 18 or over on the day): the 成员大会, and a 村民会议 deciding a land matter, which the land
 * statutes give to "本集体经济组织成员的村民会议" (matter-rules.ts `villagersMeetingOfMembers`).
 */
export const seatedFromMemberRegister = (body: VotingBody, category: Category): boolean =>
  body === 'members_assembly' || (body === 'villagers_meeting' && villagersMeetingOfMembers(category));

/**
 * A vote's electorate: who sits in each body on a day, and its freezing into vote_elector when voting
 * opens. The collective organization's bodies, and the 村民会议 on a land matter, come from its registers
 * (economy's CollectiveRegisters); every other body from the village's role grants (identity's divisionRoster).
 */
@Injectable()
export class Electorates {
  constructor(
    private readonly registers: CollectiveRegisters,
    private readonly repo: ElectorateRepository,
  ) {}

  /**
   * The seats of `body` deciding `category` on `day`: the recipients of a meeting's notice, and the rows a
   * vote freezes. A 村民会议 on a land matter seats the organization's adult members, not the residents.
   */
  async seats(conn: Conn, villageCode: string, body: VotingBody, category: Category, day: string): Promise<ElectorRow[]> {
    const members = seatedFromMemberRegister(body, category);
    if (isRoleBody(body) && !members) return roleElectors(conn, villageCode, body, day);
    const em = conn instanceof DataSource ? conn.manager : conn;
    const electors = members
      ? await this.registers.assemblyElectors(em, villageCode, day)
      : await this.registers.seatedMemberRepresentatives(em, villageCode, day);
    return electors.map((e) => ({ personId: e.personId, householdNo: e.householdNo, seat: null }));
  }

  /** The ids of the people in the electorate of `body` deciding `category` in the register now. */
  async currentIds(conn: Conn, villageCode: string, body: VotingBody, category: Category, day: string): Promise<string[]> {
    return (await this.seats(conn, villageCode, body, category, day)).map((e) => e.personId);
  }

  /**
   * Freezes the electorate of `voteId` (`body` deciding `category`) into vote_elector and writes the
   * denominators on the vote row. Later register edits do not touch these rows.
   */
  async freeze(
    conn: Conn,
    voteId: string,
    villageCode: string,
    body: VotingBody,
    category: Category,
    referenceDay: string,
  ): Promise<{ electorate: number; households: number }> {
    if (isRoleBody(body) && !seatedFromMemberRegister(body, category)) {
      // Set-based: identity's query of the holders inside one INSERT … SELECT (10,000 electors never leave the database).
      const rule = ELECTORATE[body];
      const holders = divisionRosterQuery(conn, villageCode, [...rule.roles, ...rule.unless], {
        adultOn: rule.adultsOnly ? referenceDay : undefined,
      });
      await this.repo.insertRoster(conn, voteId, holders, {
        roles: rule.roles,
        unless: rule.unless,
        seats: body === 'representatives_meeting',
      });
    } else {
      await this.repo.insert(conn, voteId, await this.seats(conn, villageCode, body, category, referenceDay));
    }
    return this.repo.storeCounts(conn, voteId, isRoleBody(body) && ELECTORATE[body].households);
  }

  /**
   * The village representatives in a 村民代表会议's frozen electorate and their yes votes: the denominator
   * and the count of "2/3 of all village representatives" (matter-rules.ts). The committee members who sit
   * with them (Art. 25) count in the meeting's quorum and majority, not here; each ballot carries its seat
   * (never its voter) for this count (docs/decisions/012-bodies-and-seats.md). Zero for other bodies.
   */
  async representativeCounts(
    conn: Conn,
    voteId: string,
    body: VotingBody,
  ): Promise<{ representatives: number; representativesYes: number }> {
    if (body !== 'representatives_meeting') return { representatives: 0, representativesYes: 0 };
    return this.repo.representativeCounts(conn, voteId);
  }
}
