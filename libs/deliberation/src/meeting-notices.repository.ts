import { Injectable } from '@nestjs/common';
import { type Conn, dbOf } from '#platform';
import type { DecidingBody, ReportKind } from './names.js';

/** A meeting notice's stored text and figures (proposal_notice). */
export interface MeetingNoticeRow {
  issuedAt: Date;
  earliestVoteAt: Date;
  statutoryDays: number | null;
  statutorySource: string | null;
  meetingTime: string;
  place: string;
  matters: string;
  participation: string;
  recipients: number;
}

/** Writes a proposal's meeting notice (also used by the demo seed). */
export async function insertMeetingNoticeRow(
  conn: Conn,
  n: MeetingNoticeRow & { proposalId: string; decidingBody: DecidingBody },
): Promise<void> {
  await dbOf(conn)
    .insertInto('proposal_notice')
    .values({
      proposal_id: n.proposalId,
      deciding_body: n.decidingBody,
      issued_at: n.issuedAt,
      earliest_vote_at: n.earliestVoteAt,
      statutory_days: n.statutoryDays,
      statutory_source: n.statutorySource,
      meeting_time: n.meetingTime,
      place: n.place,
      matters: n.matters,
      participation: n.participation,
      recipients: n.recipients,
    })
    .execute();
}

/** proposal_notice's SQL, and the Art. 46 reports among a proposal's attachments. */
@Injectable()
export class MeetingNoticesRepository {
  /** The report kinds among the proposal's attachments. */
  async reportKinds(conn: Conn, proposalId: string): Promise<ReportKind[]> {
    const rows = await dbOf(conn)
      .selectFrom('proposal_attachment')
      .select('report_kind')
      .distinct()
      .where('proposal_id', '=', proposalId)
      .where('report_kind', 'is not', null)
      .execute();
    return rows.flatMap((r) => (r.report_kind ? [r.report_kind] : []));
  }

  /** The reports attached (oldest first); `until`: only those attached by then. */
  async reports(conn: Conn, proposalId: string, until?: Date): Promise<{ attachmentId: string; kind: ReportKind; name: string }[]> {
    let q = dbOf(conn)
      .selectFrom('proposal_attachment')
      .select(['id', 'report_kind', 'name'])
      .where('proposal_id', '=', proposalId)
      .where('report_kind', 'is not', null);
    if (until) q = q.where('created_at', '<=', until);
    const rows = await q.orderBy('created_at').execute();
    return rows.flatMap((r) => (r.report_kind ? [{ attachmentId: r.id, kind: r.report_kind, name: r.name }] : []));
  }

  insert(conn: Conn, n: MeetingNoticeRow & { proposalId: string; decidingBody: DecidingBody }): Promise<void> {
    return insertMeetingNoticeRow(conn, n);
  }

  find(conn: Conn, proposalId: string): Promise<MeetingNoticeRow | undefined> {
    return dbOf(conn)
      .selectFrom('proposal_notice')
      .select([
        'issued_at as issuedAt',
        'earliest_vote_at as earliestVoteAt',
        'statutory_days as statutoryDays',
        'statutory_source as statutorySource',
        'meeting_time as meetingTime',
        'place',
        'matters',
        'participation',
        'recipients',
      ])
      .where('proposal_id', '=', proposalId)
      .executeTakeFirst();
  }
}
