import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { OfflineReach } from '#identity';
import { type Actor, Clock, type Page, pageOf, pageOffset } from '#platform';
import { MessagingErrors } from './messaging.errors.js';
import { OUTBOX_KIND_NAMES, OUTBOX_STATE_NAMES, renderSms, RETRYING_NAME } from './names.js';
import { OutboxRepository, type OutboxRow } from './outbox.repository.js';
import type { OutboxQuery } from './routes.js';
import type { OutboxMessageView } from './views.js';

/** 短信发送记录: the committee's and the township's view of the outbox, and a failed message sent again by hand. */
@Injectable()
export class OutboxService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly repo: OutboxRepository,
    private readonly people: OfflineReach,
  ) {}

  async list(actor: Actor, q: OutboxQuery & { page: number; pageSize: number }): Promise<Page<OutboxMessageView>> {
    // The caller's scope AND the division asked for: a division outside the scope lists nothing.
    const scopes = actor.scopesFor('outbox.read');
    const { rows, total } = await this.repo.page(
      this.db,
      { scopes, divisionCode: q.divisionCode, state: q.state, proposalId: q.proposalId },
      q.pageSize,
      pageOffset(q),
    );
    const cards = await this.people.cards(
      this.db,
      rows.flatMap((r) => [r.personId, r.aboutPersonId]),
    );
    return pageOf(
      rows.map((r) => view(r, cards)),
      total,
      q,
    );
  }

  async retry(actor: Actor, id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const division = await this.repo.divisionOf(em, id);
      if (!division || !actor.can('outbox.retry', division)) throw MessagingErrors.messageNotFound();
      if (!(await this.repo.requeueFailed(em, id, this.clock.now()))) throw MessagingErrors.notFailed();
      await this.audit.record(em, { actor, action: 'outbox.retry', targetType: 'outbox_message', targetId: id, targetDivision: division });
    });
  }
}

function view(r: OutboxRow, cards: Map<string, { name: string; phoneMasked: string | null }>): OutboxMessageView {
  const recipient = cards.get(r.personId);
  const relay = r.aboutPersonId !== r.personId;
  return {
    id: r.id,
    kind: r.kind,
    kindName: OUTBOX_KIND_NAMES[r.kind],
    state: r.state,
    stateName: r.state === 'queued' && r.attempts > 0 ? `${RETRYING_NAME}（已失败 ${r.attempts} 次）` : OUTBOX_STATE_NAMES[r.state],
    recipientName: recipient?.name ?? '（已不在登记簿）',
    phoneMasked: recipient?.phoneMasked ?? null,
    relayForName: relay ? (cards.get(r.aboutPersonId)?.name ?? null) : null,
    divisionCode: r.divisionCode,
    proposalId: r.proposalId,
    text: renderSms(r.kind, r.params),
    attempts: r.attempts,
    manualRetries: r.manualRetries,
    lastError: r.lastError,
    nextAttemptAt: r.state === 'queued' ? r.nextAttemptAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
  };
}
