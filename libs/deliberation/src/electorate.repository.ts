import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { Role, RosterQuery } from '#identity';
import { type Conn, dbOf } from '#platform';

export type Seat = 'representative' | 'committee';

/** One elector as frozen into vote_elector. */
export interface ElectorRow {
  personId: string;
  householdNo: string | null;
  seat: Seat | null;
}

/** vote_elector's SQL: the frozen electorate of a vote and the denominators on the vote row. */
@Injectable()
export class ElectorateRepository {
  /** All electors in one statement (unnest of three arrays: a 10,000-person roll is one round trip). */
  async insert(conn: Conn, voteId: string, electors: readonly ElectorRow[]): Promise<void> {
    if (!electors.length) return;
    await sql`INSERT INTO vote_elector (vote_id, person_id, household_no, seat)
              SELECT ${voteId}::uuid, * FROM unnest(${electors.map((e) => e.personId)}::uuid[], ${electors.map((e) => e.householdNo)}::text[],
                                                    ${electors.map((e) => e.seat)}::text[])`.execute(dbOf(conn));
  }

  /**
   * Freezes a role roster in one statement: the holders (identity's query) with a role of `roles`
   * and none of `unless`; with `seats`, each carries its 村民代表会议 seat (a representative, whether or
   * not also on the committee, or a committee member).
   */
  async insertRoster(
    conn: Conn,
    voteId: string,
    holders: RosterQuery,
    rule: { roles: readonly Role[]; unless: readonly Role[]; seats: boolean },
  ): Promise<void> {
    const db = dbOf(conn);
    const seat = rule.seats
      ? sql<Seat>`CASE WHEN 'village_representative' = ANY(x.roles) THEN 'representative' ELSE 'committee' END`
      : sql<Seat | null>`NULL::text`;
    await db
      .insertInto('vote_elector')
      .columns(['vote_id', 'person_id', 'household_no', 'seat'])
      .expression(
        db
          .selectFrom(holders.as('x'))
          .select([sql<string>`${voteId}::uuid`.as('vote_id'), 'x.personId', 'x.householdNo', seat.as('seat')])
          .where(sql<boolean>`x.roles && ${[...rule.roles]}::text[]`)
          .where(sql<boolean>`NOT (x.roles && ${[...rule.unless]}::text[])`),
      )
      .execute();
  }

  /** Writes the electorate and (when counted) the households on the vote row, from the frozen rows. */
  storeCounts(conn: Conn, voteId: string, countHouseholds: boolean): Promise<{ electorate: number; households: number }> {
    return dbOf(conn)
      .updateTable('vote')
      .set({
        electorate: sql<number>`(SELECT count(*) FROM vote_elector WHERE vote_id = ${voteId})`,
        households: countHouseholds
          ? sql<number>`(SELECT count(DISTINCT household_no) FROM vote_elector WHERE vote_id = ${voteId} AND household_no IS NOT NULL)`
          : 0,
      })
      .where('id', '=', voteId)
      .returning(['electorate', 'households'])
      .executeTakeFirstOrThrow();
  }

  /** The village representatives in the frozen electorate and their yes votes (by the seat each ballot carries). */
  async representativeCounts(conn: Conn, voteId: string): Promise<{ representatives: number; representativesYes: number }> {
    const r = await dbOf(conn)
      .selectNoFrom([
        sql<number>`(SELECT count(*)::int FROM vote_elector WHERE vote_id = ${voteId} AND seat = 'representative')`.as('representatives'),
        sql<number>`(SELECT count(*)::int FROM ballot_choice WHERE vote_id = ${voteId} AND seat = 'representative' AND choice = 'yes')`.as(
          'representativesYes',
        ),
      ])
      .executeTakeFirstOrThrow();
    return r;
  }

  /** The household of a person in a vote's frozen electorate (undefined: not an elector). */
  elector(conn: Conn, voteId: string, personId: string): Promise<{ householdNo: string | null } | undefined> {
    return dbOf(conn)
      .selectFrom('vote_elector')
      .select('household_no as householdNo')
      .where('vote_id', '=', voteId)
      .where('person_id', '=', personId)
      .executeTakeFirst();
  }
}
