import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { DecidingBody, Outcome, VotingBody } from './names.js';
import type { NotificationKind, NotificationView } from './views.js';

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

/** The notification table's SQL. */
@Injectable()
export class NotificationsRepository {
  /** One notification per distinct person. */
  async toPeople(conn: Conn, personIds: readonly string[], m: Message, at: Date): Promise<number> {
    const r = await sql`INSERT INTO notification (person_id, kind, proposal_id, title, body, created_at)
      SELECT DISTINCT unnest(${[...personIds]}::uuid[]), ${m.kind}::text, ${m.proposalId}::uuid, ${m.title}::text, ${m.body}::text, ${at}::timestamptz`.execute(
      dbOf(conn),
    );
    return Number(r.numAffectedRows ?? 0n);
  }

  /** One notification per elector of a vote's frozen electorate; with onlyNonVoters, those who have not voted yet. */
  async toElectorate(conn: Conn, voteId: string, m: Message, at: Date, onlyNonVoters: boolean): Promise<number> {
    const nonVoters = onlyNonVoters
      ? sql`AND NOT EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = e.vote_id AND b.person_id = e.person_id)`
      : sql``;
    const r = await sql`INSERT INTO notification (person_id, kind, proposal_id, title, body, created_at)
      SELECT e.person_id, ${m.kind}::text, ${m.proposalId}::uuid, ${m.title}::text, ${m.body}::text, ${at}::timestamptz FROM vote_elector e
       WHERE e.vote_id = ${voteId} ${nonVoters}`.execute(dbOf(conn));
    return Number(r.numAffectedRows ?? 0n);
  }

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

  async counts(conn: Conn, personId: string): Promise<{ all: number; unread: number }> {
    return dbOf(conn)
      .selectFrom('notification')
      .select([sql<number>`count(*)::int`.as('all'), sql<number>`count(*) FILTER (WHERE read_at IS NULL)::int`.as('unread')])
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
  }

  async page(conn: Conn, personId: string, unreadOnly: boolean, limit: number, offset: number): Promise<NotificationView[]> {
    let q = dbOf(conn)
      .selectFrom('notification')
      .select(['id', 'kind', 'proposal_id as proposalId', 'title', 'body', 'created_at', 'read_at'])
      .where('person_id', '=', personId);
    if (unreadOnly) q = q.where('read_at', 'is', null);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
    return rows.map(({ created_at, read_at, ...r }) => ({
      ...r,
      createdAt: created_at.toISOString(),
      readAt: read_at?.toISOString() ?? null,
    }));
  }

  /** Marks one of the person's notifications read (keeping the first reading); false if not theirs. */
  async markRead(conn: Conn, id: string, personId: string | null, at: Date): Promise<boolean> {
    if (!personId) return false;
    const r = await dbOf(conn)
      .updateTable('notification')
      .set({ read_at: sql<Date>`coalesce(read_at, ${at})` })
      .where('id', '=', id)
      .where('person_id', '=', personId)
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  }
}
