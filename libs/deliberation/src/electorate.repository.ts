import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
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
