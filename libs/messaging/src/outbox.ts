import { Injectable } from '@nestjs/common';
import { OfflineReach } from '#identity';
import { Clock, type Conn } from '#platform';
import { greetingFor, type OutboxKind, type SmsContent } from './names.js';
import { smsRecipients } from './offline-recipients.js';
import { type NewOutboxMessage, OutboxRepository } from './outbox.repository.js';

/** What a message announces and to whom, as another module hands it over. */
export interface SmsAnnouncement<K extends OutboxKind> {
  kind: K;
  divisionCode: string;
  proposalId: string | null;
  voteId: string | null;
  /** The electors concerned; only those the app does not reach get an SMS. */
  personIds: readonly string[];
  content: SmsContent[K];
  /** See NewOutboxMessage.occasion. */
  occasion?: string;
}

/**
 * The outbox, as other modules write to it: inside the caller's transaction, so a message exists
 * exactly when the event it announces committed. Sending is OutboxSender's, later.
 */
@Injectable()
export class Outbox {
  constructor(
    private readonly clock: Clock,
    private readonly repo: OutboxRepository,
    private readonly reach: OfflineReach,
  ) {}

  /** Puts messages in the outbox (a repeat of the same kind, proposal, vote and elector is ignored). Returns how many were new. */
  enqueue(conn: Conn, messages: readonly NewOutboxMessage[]): Promise<number> {
    return this.repo.enqueue(conn, messages, this.clock.now());
  }

  /**
   * An SMS for each of the electors the app does not reach (no active account, or 无智能手机) who has
   * a phone, or through their helper ("请转告…") when they have none.
   */
  async announceOffline<K extends OutboxKind>(conn: Conn, a: SmsAnnouncement<K>): Promise<number> {
    const recipients = smsRecipients(await this.reach.offlineAmong(conn, a.personIds));
    const content: SmsContent[OutboxKind] = a.content;
    return this.enqueue(
      conn,
      recipients.map((r) => ({
        kind: a.kind,
        personId: r.personId,
        aboutPersonId: r.aboutPersonId,
        divisionCode: a.divisionCode,
        proposalId: a.proposalId,
        voteId: a.voteId,
        params: { greeting: greetingFor(r.electorName, r.relay), ...content },
        occasion: a.occasion,
      })),
    );
  }
}
