import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { BallotType, Channel, Choice, MeetingDuty, OnsiteState, VotingBody } from './names.js';
import type { PaperTotals } from './views.js';

export interface MeetingRow {
  proposalId: string;
  heldAt: Date;
  place: string;
  chairPersonId: string;
  onlinePart: boolean;
  onsitePart: boolean;
  officers: { personId: string; duty: MeetingDuty }[];
}

/** The latest decision vote of a proposal, as the meeting sees it. */
export interface MeetingVote {
  id: string;
  status: 'open' | 'closed';
  body: VotingBody;
  ballotType: BallotType;
  opensAt: Date;
  closesAt: Date;
  onlinePart: boolean;
  onsitePart: boolean;
  electorate: number;
  households: number;
}

export interface OnsiteRow {
  state: OnsiteState;
  totals: PaperTotals | null;
  tallySheetId: string | null;
  confirmedBy: string | null;
  confirmedAt: Date | null;
  signedIn: number;
  choicesRecorded: number;
  entries: number;
}

export interface PaperEntry extends PaperTotals {
  entryNo: number;
  tellerPersonId: string;
}

/** How a person stands in a vote: in its frozen electorate, and how they took part (if they did). */
export interface ElectorStanding {
  elector: boolean;
  channel: Channel | null;
  onsiteChoice: Choice | null;
}

const paperOf = (r: {
  issued: number | null;
  returned: number | null;
  yes_count: number | null;
  no_count: number | null;
  abstain_count: number | null;
  spoiled_count: number | null;
  representatives_yes: number | null;
}): PaperTotals | null =>
  r.issued === null || r.returned === null
    ? null
    : {
        issued: r.issued,
        returned: r.returned,
        yes: r.yes_count ?? 0,
        no: r.no_count ?? 0,
        abstain: r.abstain_count ?? 0,
        spoiled: r.spoiled_count ?? 0,
        representativesYes: r.representatives_yes,
      };

/** The paper totals a scrutineer confirmed for a vote's on-site part (null: none, or not confirmed); VotesRepository reads them too. */
export async function confirmedPaper(conn: Conn, voteId: string): Promise<PaperTotals | null> {
  const r = await dbOf(conn)
    .selectFrom('vote_onsite')
    .select(['issued', 'returned', 'yes_count', 'no_count', 'abstain_count', 'spoiled_count', 'representatives_yes'])
    .where('vote_id', '=', voteId)
    .where('state', '=', 'confirmed')
    .executeTakeFirst();
  return r ? paperOf(r) : null;
}

/** The SQL of meetings: arrangement and officers, sign-in, on-site choices, paper totals, assisted ballots. */
@Injectable()
export class MeetingsRepository {
  async meeting(conn: Conn, proposalId: string): Promise<MeetingRow | undefined> {
    const db = dbOf(conn);
    const m = await db
      .selectFrom('meeting')
      .select([
        'proposal_id as proposalId',
        'held_at as heldAt',
        'place',
        'chair_person_id as chairPersonId',
        'online_part as onlinePart',
        'onsite_part as onsitePart',
      ])
      .where('proposal_id', '=', proposalId)
      .executeTakeFirst();
    if (!m) return undefined;
    const officers = await db
      .selectFrom('meeting_officer')
      .select(['person_id as personId', 'duty'])
      .where('proposal_id', '=', proposalId)
      .orderBy('duty')
      .orderBy('person_id')
      .execute();
    return { ...m, officers };
  }

  /** Writes the arrangement (insert or replace) and its officers. */
  async arrange(conn: Conn, m: Omit<MeetingRow, 'officers'>, officers: MeetingRow['officers'], by: string, at: Date): Promise<void> {
    const db = dbOf(conn);
    const row = {
      held_at: m.heldAt,
      place: m.place,
      chair_person_id: m.chairPersonId,
      online_part: m.onlinePart,
      onsite_part: m.onsitePart,
      arranged_by: by,
      arranged_at: at,
    };
    await db
      .insertInto('meeting')
      .values({ proposal_id: m.proposalId, ...row })
      .onConflict((oc) => oc.column('proposal_id').doUpdateSet(row))
      .execute();
    await db.deleteFrom('meeting_officer').where('proposal_id', '=', m.proposalId).execute();
    if (officers.length) {
      await db
        .insertInto('meeting_officer')
        .values(officers.map((o) => ({ proposal_id: m.proposalId, person_id: o.personId, duty: o.duty })))
        .execute();
    }
  }

  /** The parts a meeting holds, for the vote that opens (undefined: no meeting arranged). */
  async parts(conn: Conn, proposalId: string): Promise<{ onlinePart: boolean; onsitePart: boolean } | undefined> {
    return dbOf(conn)
      .selectFrom('meeting')
      .select(['online_part as onlinePart', 'onsite_part as onsitePart'])
      .where('proposal_id', '=', proposalId)
      .executeTakeFirst();
  }

  /** Gives a vote its parts, and its on-site part a row (once). */
  async setVoteParts(conn: Conn, voteId: string, parts: { onlinePart: boolean; onsitePart: boolean }): Promise<void> {
    const db = dbOf(conn);
    await db.updateTable('vote').set({ online_part: parts.onlinePart, onsite_part: parts.onsitePart }).where('id', '=', voteId).execute();
    if (parts.onsitePart)
      await db
        .insertInto('vote_onsite')
        .values({ vote_id: voteId })
        .onConflict((oc) => oc.doNothing())
        .execute();
  }

  /** The latest decision vote of a proposal (open or closed). */
  decisionVote(conn: Conn, proposalId: string): Promise<MeetingVote | undefined> {
    return dbOf(conn)
      .selectFrom('vote')
      .select([
        'id',
        'status',
        'body',
        'ballot_type as ballotType',
        'opens_at as opensAt',
        'closes_at as closesAt',
        'online_part as onlinePart',
        'onsite_part as onsitePart',
        'electorate',
        'households',
      ])
      .where('proposal_id', '=', proposalId)
      .where('purpose', '=', 'decision')
      .orderBy('opens_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The on-site part of a vote and its counts; `lock` takes it FOR UPDATE (a state change), serialising with sign-ins. */
  async onsite(conn: Conn, voteId: string, lock = false): Promise<OnsiteRow | undefined> {
    const db = dbOf(conn);
    const r = await db
      .selectFrom('vote_onsite')
      .select([
        'state',
        'issued',
        'returned',
        'yes_count',
        'no_count',
        'abstain_count',
        'spoiled_count',
        'representatives_yes',
        'tally_sheet_id as tallySheetId',
        'confirmed_by as confirmedBy',
        'confirmed_at as confirmedAt',
      ])
      .where('vote_id', '=', voteId)
      .$if(lock, (q) => q.forUpdate())
      .executeTakeFirst();
    if (!r) return undefined;
    const c = await db
      .selectNoFrom([
        sql<number>`(SELECT count(*)::int FROM ballot_participation WHERE vote_id = ${voteId} AND channel = 'onsite')`.as('signedIn'),
        sql<number>`(SELECT count(*)::int FROM ballot_participation b JOIN ballot_choice c ON c.vote_id = b.vote_id AND c.voter_person_id = b.person_id
                      WHERE b.vote_id = ${voteId} AND b.channel = 'onsite')`.as('choicesRecorded'),
        sql<number>`(SELECT count(*)::int FROM paper_tally_entry WHERE vote_id = ${voteId})`.as('entries'),
      ])
      .executeTakeFirstOrThrow();
    return {
      state: r.state,
      totals: paperOf(r),
      tallySheetId: r.tallySheetId,
      confirmedBy: r.confirmedBy,
      confirmedAt: r.confirmedAt,
      ...c,
    };
  }

  /**
   * Signs an elector in on site: one statement, under a share lock on the open vote and its on-site
   * part (a close, or the first paper entry that ends sign-in, waits for it). The primary key of
   * ballot_participation lets only one participation per elector exist, whichever channel comes first.
   * True when the sign-in was taken.
   */
  async signIn(conn: Conn, s: { voteId: string; personId: string; now: Date; day: string }): Promise<boolean> {
    const { rows } = await sql<{ person_id: string }>`
      WITH v AS (
        SELECT v.id FROM vote v JOIN vote_onsite o ON o.vote_id = v.id
         WHERE v.id = ${s.voteId} AND v.status = 'open' AND v.opens_at <= ${s.now} AND v.closes_at > ${s.now} AND o.state = 'signing_in'
         FOR SHARE OF v, o)
      INSERT INTO ballot_participation (vote_id, person_id, voted_on, channel)
      SELECT v.id, e.person_id, ${s.day}::date, 'onsite' FROM v JOIN vote_elector e ON e.vote_id = v.id AND e.person_id = ${s.personId}
      ON CONFLICT DO NOTHING
      RETURNING person_id`.execute(dbOf(conn));
    return rows.length === 1;
  }

  /** How a person stands in a vote (in the electorate; channel; an on-site open choice). */
  async standing(conn: Conn, voteId: string, personId: string): Promise<ElectorStanding> {
    const r = await dbOf(conn)
      .selectNoFrom([
        sql<boolean>`EXISTS (SELECT 1 FROM vote_elector WHERE vote_id = ${voteId} AND person_id = ${personId})`.as('elector'),
        sql<Channel | null>`(SELECT channel FROM ballot_participation WHERE vote_id = ${voteId} AND person_id = ${personId})`.as('channel'),
        sql<Choice | null>`(SELECT c.choice FROM ballot_choice c JOIN ballot_participation b ON b.vote_id = c.vote_id AND b.person_id = c.voter_person_id
                             WHERE c.vote_id = ${voteId} AND c.voter_person_id = ${personId} AND b.channel = 'onsite')`.as('onsiteChoice'),
      ])
      .executeTakeFirstOrThrow();
    return r;
  }

  /** The frozen electorate with how each took part (and an open on-site choice), by person id. */
  async electorate(
    conn: Conn,
    voteId: string,
    /** Only these electors (in the statement, not after it). */
    only?: readonly string[],
  ): Promise<{ personId: string; householdNo: string | null; channel: Channel | null; onsiteChoice: Choice | null }[]> {
    if (only && !only.length) return [];
    return dbOf(conn)
      .selectFrom('vote_elector as e')
      .leftJoin('ballot_participation as b', (j) => j.onRef('b.vote_id', '=', 'e.vote_id').onRef('b.person_id', '=', 'e.person_id'))
      .leftJoin('ballot_choice as c', (j) =>
        j.onRef('c.vote_id', '=', 'e.vote_id').onRef('c.voter_person_id', '=', 'e.person_id').on('b.channel', '=', 'onsite'),
      )
      .select(['e.person_id as personId', 'e.household_no as householdNo', 'b.channel', 'c.choice as onsiteChoice'])
      .where('e.vote_id', '=', voteId)
      .$if(!!only, (q) => q.where('e.person_id', '=', sql<string>`ANY(${[...(only ?? [])]}::uuid[])`))
      .orderBy('e.household_no')
      .orderBy('e.person_id')
      .execute();
  }

  /** The frozen electorate's person ids. */
  async electorIds(conn: Conn, voteId: string): Promise<string[]> {
    const rows = await dbOf(conn).selectFrom('vote_elector').select('person_id').where('vote_id', '=', voteId).execute();
    return rows.map((r) => r.person_id);
  }

  /** How many are signed in on site. */
  async signedIn(conn: Conn, voteId: string): Promise<number> {
    const r = await dbOf(conn)
      .selectFrom('ballot_participation')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('vote_id', '=', voteId)
      .where('channel', '=', 'onsite')
      .executeTakeFirstOrThrow();
    return r.n;
  }

  /**
   * Records (or corrects) the choice a teller saw a signed-in elector make in an open on-site ballot,
   * while the on-site part is still signing in / voting. The open ballot's one-row-per-voter key makes
   * a correction an update. Returns the choice stored, or null when nothing could be recorded.
   */
  async recordChoice(
    conn: Conn,
    c: { voteId: string; personId: string; choice: Choice; receipt: string; now: Date },
  ): Promise<Choice | null> {
    const { rows } = await sql<{ choice: Choice }>`
      WITH v AS (
        SELECT v.id FROM vote v JOIN vote_onsite o ON o.vote_id = v.id
         WHERE v.id = ${c.voteId} AND v.status = 'open' AND v.ballot_type = 'open' AND v.opens_at <= ${c.now} AND o.state = 'signing_in'
         FOR SHARE OF v, o)
      INSERT INTO ballot_choice (vote_id, ballot_type, receipt_code, choice, voter_person_id, seat)
      SELECT v.id, 'open', ${c.receipt}, ${c.choice}, e.person_id, e.seat
        FROM v JOIN vote_elector e ON e.vote_id = v.id AND e.person_id = ${c.personId}
       WHERE EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = v.id AND b.person_id = e.person_id AND b.channel = 'onsite')
      ON CONFLICT (vote_id, voter_person_id) DO UPDATE SET choice = EXCLUDED.choice
      RETURNING choice`.execute(dbOf(conn));
    return rows[0]?.choice ?? null;
  }

  paperEntries(conn: Conn, voteId: string): Promise<PaperEntry[]> {
    return dbOf(conn)
      .selectFrom('paper_tally_entry')
      .select([
        'entry_no as entryNo',
        'teller_person_id as tellerPersonId',
        'issued',
        'returned',
        'yes_count as yes',
        'no_count as no',
        'abstain_count as abstain',
        'spoiled_count as spoiled',
        'representatives_yes as representativesYes',
      ])
      .where('vote_id', '=', voteId)
      .orderBy('entry_no')
      .execute();
  }

  async addPaperEntry(conn: Conn, voteId: string, e: PaperEntry, by: string, at: Date): Promise<void> {
    await dbOf(conn)
      .insertInto('paper_tally_entry')
      .values({
        vote_id: voteId,
        entry_no: e.entryNo,
        teller_person_id: e.tellerPersonId,
        entered_by: by,
        entered_at: at,
        issued: e.issued,
        returned: e.returned,
        yes_count: e.yes,
        no_count: e.no,
        abstain_count: e.abstain,
        spoiled_count: e.spoiled,
        representatives_yes: e.representativesYes,
      })
      .execute();
  }

  async clearPaperEntries(conn: Conn, voteId: string): Promise<void> {
    await dbOf(conn).deleteFrom('paper_tally_entry').where('vote_id', '=', voteId).execute();
  }

  async setOnsiteState(conn: Conn, voteId: string, state: OnsiteState): Promise<void> {
    await dbOf(conn).updateTable('vote_onsite').set({ state }).where('vote_id', '=', voteId).execute();
  }

  /** The two tellers' matching totals become the on-site part's totals (state 'entered'). */
  async acceptPaper(conn: Conn, voteId: string, t: PaperTotals): Promise<void> {
    await dbOf(conn)
      .updateTable('vote_onsite')
      .set({
        state: 'entered',
        issued: t.issued,
        returned: t.returned,
        yes_count: t.yes,
        no_count: t.no,
        abstain_count: t.abstain,
        spoiled_count: t.spoiled,
        representatives_yes: t.representativesYes,
      })
      .where('vote_id', '=', voteId)
      .execute();
  }

  async attachSheet(conn: Conn, voteId: string, attachmentId: string): Promise<void> {
    await dbOf(conn).updateTable('vote_onsite').set({ tally_sheet_id: attachmentId }).where('vote_id', '=', voteId).execute();
  }

  async confirm(conn: Conn, voteId: string, by: string, at: Date): Promise<void> {
    await dbOf(conn)
      .updateTable('vote_onsite')
      .set({ state: 'confirmed', confirmed_by: by, confirmed_at: at })
      .where('vote_id', '=', voteId)
      .execute();
  }

  /** The paper totals a scrutineer confirmed for a vote's on-site part (null: none, or not confirmed). */
  confirmedPaper(conn: Conn, voteId: string): Promise<PaperTotals | null> {
    return confirmedPaper(conn, voteId);
  }

  /**
   * 代投: one ballot cast on a staff device for an elector who is at the village office. Under a share
   * lock on the open vote (window and online part checked in the statement), the participation row
   * (channel 'assisted', who assisted) and the choice row go in together (the caller's transaction
   * adds the audit row: who was assisted by whom, never the choice). Null when the ballot was not taken.
   */
  async castAssisted(
    conn: Conn,
    a: { voteId: string; personId: string; choice: Choice; receipt: string; now: Date; day: string; assistedBy: string },
  ): Promise<string | null> {
    const { rows } = await sql<{ receipt_code: string }>`
      WITH v AS (
        SELECT id, ballot_type FROM vote
         WHERE id = ${a.voteId} AND status = 'open' AND online_part AND opens_at <= ${a.now} AND closes_at > ${a.now}
         FOR SHARE),
      e AS (SELECT e.person_id, e.seat, v.id AS vote_id, v.ballot_type FROM v JOIN vote_elector e ON e.vote_id = v.id AND e.person_id = ${a.personId}),
      part AS (
        INSERT INTO ballot_participation (vote_id, person_id, voted_on, channel, assisted_by)
        SELECT vote_id, person_id, ${a.day}::date, 'assisted', ${a.assistedBy}::uuid FROM e
        ON CONFLICT DO NOTHING RETURNING vote_id, person_id)
      INSERT INTO ballot_choice (vote_id, ballot_type, receipt_code, choice, voter_person_id, seat)
      SELECT e.vote_id, e.ballot_type, ${a.receipt}, ${a.choice}, CASE WHEN e.ballot_type = 'open' THEN e.person_id END, e.seat
        FROM part JOIN e ON e.vote_id = part.vote_id AND e.person_id = part.person_id
      RETURNING receipt_code`.execute(dbOf(conn));
    return rows[0]?.receipt_code ?? null;
  }

  /** The assisted ballots of a vote: who, assisted by whom (account), on which day. */
  assisted(conn: Conn, voteId: string): Promise<{ personId: string; householdNo: string | null; assistedBy: string; on: string }[]> {
    return dbOf(conn)
      .selectFrom('ballot_participation as b')
      .innerJoin('vote_elector as e', (j) => j.onRef('e.vote_id', '=', 'b.vote_id').onRef('e.person_id', '=', 'b.person_id'))
      .select([
        'b.person_id as personId',
        'e.household_no as householdNo',
        sql<string>`b.assisted_by::text`.as('assistedBy'),
        sql<string>`b.voted_on::text`.as('on'),
      ])
      .where('b.vote_id', '=', voteId)
      .where('b.channel', '=', 'assisted')
      .orderBy('b.voted_on')
      .orderBy('e.household_no')
      .execute();
  }
}
