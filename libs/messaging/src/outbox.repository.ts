import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { withinScopes } from '#divisions';
import { type Conn, dbOf, startingWith } from '#platform';
import type { OutboxKind, OutboxState, SmsParams } from './names.js';

/** A message to put in the outbox. */
export interface NewOutboxMessage {
  kind: OutboxKind;
  /** The recipient: the elector, or the helper who relays it. */
  personId: string;
  /** The elector the message is about. */
  aboutPersonId: string;
  divisionCode: string;
  proposalId: string | null;
  voteId: string | null;
  params: SmsParams;
  /** What makes a repeat of this kind a new message (a meeting moved: its new time and place); '' by default. */
  occasion?: string;
}

/** A message claimed for sending: its claim token proves the claim when the result is written. */
export interface ClaimedMessage {
  id: string;
  kind: OutboxKind;
  personId: string;
  params: SmsParams;
  attempts: number;
  claimToken: string;
}

export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  state: OutboxState;
  personId: string;
  aboutPersonId: string;
  divisionCode: string;
  proposalId: string | null;
  params: SmsParams;
  attempts: number;
  manualRetries: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt: Date | null;
}

export interface OutboxFilter {
  scopes: readonly string[];
  divisionCode?: string;
  state?: OutboxState;
  proposalId?: string;
}

/** The outbox_message table's SQL. Every transition names the state it leaves (and the claim it holds). */
@Injectable()
export class OutboxRepository {
  /** Inserts the messages; one already there for the same (kind, proposal, vote, elector) is left alone. Returns how many were new. */
  async enqueue(conn: Conn, messages: readonly NewOutboxMessage[], at: Date): Promise<number> {
    if (!messages.length) return 0;
    const col = <K extends keyof NewOutboxMessage>(k: K) => messages.map((m) => m[k]);
    const r = await sql`
      INSERT INTO outbox_message (kind, person_id, about_person_id, division_code, proposal_id, vote_id, params, occasion, next_attempt_at, created_at)
      SELECT m.kind, m.person_id, m.about_person_id, m.division_code, m.proposal_id, m.vote_id, m.params, m.occasion, ${at}::timestamptz, ${at}::timestamptz
        FROM unnest(${col('kind')}::text[], ${col('personId')}::uuid[], ${col('aboutPersonId')}::uuid[], ${col('divisionCode')}::text[],
                    ${col('proposalId')}::uuid[], ${col('voteId')}::uuid[], ${messages.map((m) => JSON.stringify(m.params))}::jsonb[],
                    ${messages.map((m) => m.occasion ?? '')}::text[])
          AS m (kind, person_id, about_person_id, division_code, proposal_id, vote_id, params, occasion)
      ON CONFLICT ON CONSTRAINT outbox_message_once DO NOTHING`.execute(dbOf(conn));
    return Number(r.numAffectedRows ?? 0n);
  }

  /**
   * Claims up to `limit` due messages: FOR UPDATE SKIP LOCKED, so concurrent senders take disjoint
   * rows, and in the same statement marks them sending with a fresh claim token and a lease.
   */
  async claimDue(conn: Conn, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedMessage[]> {
    const { rows } = await sql<ClaimedMessage>`
      WITH due AS (
        SELECT id FROM outbox_message
         WHERE state = 'queued' AND next_attempt_at <= ${now}
         ORDER BY next_attempt_at, id
         LIMIT ${limit}
           FOR UPDATE SKIP LOCKED)
      UPDATE outbox_message m
         SET state = 'sending', attempts = m.attempts + 1, claim_token = gen_random_uuid(), claimed_until = ${leaseUntil}
        FROM due WHERE m.id = due.id
      RETURNING m.id, m.kind, m.person_id AS "personId", m.params, m.attempts, m.claim_token AS "claimToken"`.execute(dbOf(conn));
    return rows;
  }

  /**
   * Records a delivery. Also accepted when the claim was swept as interrupted meanwhile (the send did
   * finish, so "unknown" is now known); not after a retry by hand, which drops the claim.
   */
  async markSent(conn: Conn, id: string, claimToken: string, providerMessageId: string, at: Date): Promise<boolean> {
    const r = await sql`
      UPDATE outbox_message SET state = 'sent', sent_at = ${at}, provider_message_id = ${providerMessageId}, claimed_until = NULL
       WHERE id = ${id} AND claim_token = ${claimToken} AND state IN ('sending', 'failed')`.execute(dbOf(conn));
    return Number(r.numAffectedRows ?? 0n) === 1;
  }

  /** A failed try: back to queued for `retryAt`, or failed when `retryAt` is null. */
  async markFailedTry(conn: Conn, id: string, claimToken: string, error: string, retryAt: Date | null): Promise<boolean> {
    const state = retryAt ? 'queued' : 'failed';
    const r = await sql`
      UPDATE outbox_message
         SET state = ${state}, last_error = ${error}, claimed_until = NULL,
             claim_token = CASE WHEN ${state} = 'queued' THEN NULL ELSE claim_token END,
             next_attempt_at = coalesce(${retryAt}::timestamptz, next_attempt_at)
       WHERE id = ${id} AND claim_token = ${claimToken} AND state = 'sending'`.execute(dbOf(conn));
    return Number(r.numAffectedRows ?? 0n) === 1;
  }

  /**
   * Claims whose lease ran out while sending: the process died or hung mid-send and the provider may
   * have delivered. They become failed with `reason`, never queued again by themselves.
   */
  async failExpiredClaims(conn: Conn, now: Date, reason: string): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`
      UPDATE outbox_message SET state = 'failed', last_error = ${reason}, claimed_until = NULL
       WHERE state = 'sending' AND claimed_until < ${now}
      RETURNING id`.execute(dbOf(conn));
    return rows.map((r) => r.id);
  }

  /** A failed message back to queued by hand: its tries start again, its claim is dropped. False when it is not failed. */
  async requeueFailed(conn: Conn, id: string, now: Date): Promise<boolean> {
    const r = await sql`
      UPDATE outbox_message
         SET state = 'queued', attempts = 0, manual_retries = manual_retries + 1, next_attempt_at = ${now}, claim_token = NULL
       WHERE id = ${id} AND state = 'failed'`.execute(dbOf(conn));
    return Number(r.numAffectedRows ?? 0n) === 1;
  }

  /** The division of one message (undefined: no such message). */
  async divisionOf(conn: Conn, id: string): Promise<string | undefined> {
    const r = await dbOf(conn).selectFrom('outbox_message').select('division_code').where('id', '=', id).executeTakeFirst();
    return r?.division_code;
  }

  async page(conn: Conn, f: OutboxFilter, limit: number, offset: number): Promise<{ rows: OutboxRow[]; total: number }> {
    let q = dbOf(conn).selectFrom('outbox_message').where(withinScopes('division_code', f.scopes));
    if (f.divisionCode) q = q.where('division_code', 'like', startingWith(f.divisionCode));
    if (f.state) q = q.where('state', '=', f.state);
    if (f.proposalId) q = q.where('proposal_id', '=', f.proposalId);
    const { total } = await q.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
    const rows = await q
      .select([
        'id',
        'kind',
        'state',
        'person_id as personId',
        'about_person_id as aboutPersonId',
        'division_code as divisionCode',
        'proposal_id as proposalId',
        sql<SmsParams>`params`.as('params'),
        'attempts',
        'manual_retries as manualRetries',
        'last_error as lastError',
        'next_attempt_at as nextAttemptAt',
        'created_at as createdAt',
        'sent_at as sentAt',
      ])
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
    return { rows, total };
  }
}
