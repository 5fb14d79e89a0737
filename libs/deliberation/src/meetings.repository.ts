import { Injectable } from '@nestjs/common';
import { type Conn, dbOf } from '#platform';
import type { PaperTotals } from './views.js';

/** The SQL of meetings: arrangement and officers, sign-in, on-site choices, paper totals, assisted ballots. */
@Injectable()
export class MeetingsRepository {
  /** The paper totals a scrutineer confirmed for a vote's on-site part (null: none, or not confirmed). */
  async confirmedPaper(conn: Conn, voteId: string): Promise<PaperTotals | null> {
    const r = await dbOf(conn)
      .selectFrom('vote_onsite')
      .select(['issued', 'returned', 'yes_count', 'no_count', 'abstain_count', 'spoiled_count', 'representatives_yes'])
      .where('vote_id', '=', voteId)
      .where('state', '=', 'confirmed')
      .executeTakeFirst();
    if (!r || r.issued === null || r.returned === null) return null;
    return {
      issued: r.issued,
      returned: r.returned,
      yes: r.yes_count ?? 0,
      no: r.no_count ?? 0,
      abstain: r.abstain_count ?? 0,
      spoiled: r.spoiled_count ?? 0,
      representativesYes: r.representatives_yes,
    };
  }
}
