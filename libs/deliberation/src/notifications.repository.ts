import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { DecidingBody, Outcome, VotingBody } from './names.js';
import type { NotificationKind } from '#messaging';

/** What an SMS about a proposal (and its vote) says: read when the in-app notification is written. */
export interface SmsSubject {
  villageCode: string;
  title: string;
  decidingBody: DecidingBody;
  meetingPlace: string | null;
  /** The issued notice's earliest vote time (meeting notices). */
  earliestVoteAt: Date | null;
  voteBody: VotingBody | null;
  closesAt: Date | null;
  outcome: Outcome | null;
  /** The arranged meeting's time and place, when it holds an on-site part. */
  meetingAt: Date | null;
  arrangedPlace: string | null;
}

export interface Message {
  kind: NotificationKind;
  proposalId: string | null;
  title: string;
  body: string;
}

/** What notifications read of 村事共议's tables: a vote's electors, and what an SMS about a proposal says (the inbox and outbox are #messaging's). */
@Injectable()
export class NotificationsRepository {
  /** The electors of a vote's frozen electorate; with onlyNonVoters, those who have not taken part. */
  async electorIds(conn: Conn, voteId: string, onlyNonVoters: boolean): Promise<string[]> {
    let q = dbOf(conn).selectFrom('vote_elector as e').select('e.person_id').where('e.vote_id', '=', voteId);
    if (onlyNonVoters)
      q = q.where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('ballot_participation as b')
              .select('b.person_id')
              .whereRef('b.vote_id', '=', 'e.vote_id')
              .whereRef('b.person_id', '=', 'e.person_id'),
          ),
        ),
      );
    return (await q.execute()).map((r) => r.person_id);
  }

  /** The proposal (and vote) an SMS is about; undefined when the proposal is not there. */
  smsSubject(conn: Conn, proposalId: string, voteId: string | null): Promise<SmsSubject | undefined> {
    return dbOf(conn)
      .selectFrom('proposal as p')
      .leftJoin('proposal_notice as n', 'n.proposal_id', 'p.id')
      .leftJoin('meeting as m', (j) => j.onRef('m.proposal_id', '=', 'p.id').on('m.onsite_part', '=', true))
      .leftJoin('vote as v', (j) => j.onRef('v.proposal_id', '=', 'p.id').on('v.id', '=', voteId ?? sql<string>`NULL::uuid`))
      .select([
        'p.village_code as villageCode',
        'p.title',
        'p.deciding_body as decidingBody',
        'p.meeting_place as meetingPlace',
        'n.earliest_vote_at as earliestVoteAt',
        'v.body as voteBody',
        'v.closes_at as closesAt',
        'v.outcome',
        'm.held_at as meetingAt',
        'm.place as arrangedPlace',
      ])
      .where('p.id', '=', proposalId)
      .executeTakeFirst();
  }
}
