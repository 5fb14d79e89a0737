import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { OfflineReach } from '#identity';
import { Clock, LOGGER, PiiCipher } from '#platform';
import { MESSAGING_SETTINGS, type MessagingSettings, nextAttemptAt } from './messaging-settings.js';
import { type ClaimedMessage, OutboxRepository } from './outbox.repository.js';
import { SMS_PROVIDER, type SmsProvider, SmsSendError } from './sms-provider.js';

/** The reason an interrupted send is failed with: the provider may have delivered it. */
export const RESULT_UNKNOWN = '发送结果未知（进程中断），请核实后手动重发';

/**
 * The background sender. Each tick fails the claims whose lease ran out (a process died mid-send:
 * the message may have gone, so it is never resent by itself), claims due messages (FOR UPDATE SKIP
 * LOCKED: several processes take disjoint rows), sends each and writes the result under its claim.
 * A message is sent at most once per claim, and claimed again only after a failed try or a retry by hand.
 */
@Injectable()
export class OutboxSender {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly repo: OutboxRepository,
    private readonly reach: OfflineReach,
    private readonly pii: PiiCipher,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** One tick: the sweep, then batches until nothing is due. Returns how many were sent. */
  async sendDue(): Promise<number> {
    const swept = await this.repo.failExpiredClaims(this.db, this.clock.now(), RESULT_UNKNOWN);
    if (swept.length) this.log.warn({ outbox: swept }, 'outbox: interrupted sends marked failed (result unknown)');
    let sent = 0;
    for (;;) {
      const now = this.clock.now();
      // Claimed in its own short transaction: the claim is committed before anything leaves the machine.
      const batch = await this.repo.claimDue(
        this.db,
        now,
        new Date(now.getTime() + this.settings.leaseSeconds * 1000),
        this.settings.batchSize,
      );
      if (!batch.length) return sent;
      for (const m of batch) if (await this.sendOne(m)) sent++;
    }
  }

  private async sendOne(m: ClaimedMessage): Promise<boolean> {
    const contact = await this.reach.phoneOf(this.db, m.personId);
    if (!contact) {
      await this.repo.markFailedTry(this.db, m.id, m.claimToken, '登记簿中已没有收信人的手机号', null);
      return false;
    }
    try {
      const { providerMessageId } = await this.provider.send({
        phone: this.pii.decrypt(contact.phoneEnc),
        kind: m.kind,
        templateCode: this.provider.templateFor(m.kind),
        params: m.params,
        outId: m.id,
      });
      if (!(await this.repo.markSent(this.db, m.id, m.claimToken, providerMessageId, this.clock.now())))
        this.log.warn({ outbox: m.id }, 'outbox: sent, but the claim was retried by hand meanwhile');
      return true;
    } catch (err) {
      const e = err instanceof SmsSendError ? err : new SmsSendError(`发送失败：${err instanceof Error ? err.message : String(err)}`);
      const retryAt = e.permanent ? null : nextAttemptAt(this.clock.now(), m.attempts, this.settings);
      await this.repo.markFailedTry(this.db, m.id, m.claimToken, e.message.slice(0, 500), retryAt);
      this.log.warn({ outbox: m.id, attempts: m.attempts, retryAt, err: e.message }, 'outbox: send failed');
      return false;
    }
  }
}
