import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { DivisionErrors, isWithinAny } from '#divisions';
import { PersonNames } from '#identity';
import { type Actor, Clock, CommonErrors, maskName, type Page, pageOf } from '#platform';
import { canReadDisclosure } from './disclosure-access.js';
import type { QueryState } from './names.js';
import { OpennessErrors } from './openness.errors.js';
import { OpennessNotices } from './openness-notices.js';
import { OPENNESS_SETTINGS, type OpennessSettings } from './openness-settings.js';
import { QueriesRepository, type QueryFilter, type QueryRow } from './queries.repository.js';
import { isOverdue, type QueryAction, type QueryCaller, queryActions, queryRefusal } from './query-actions.js';
import type { QueryView } from './views.js';

const DAY_MS = 86_400_000;
/** A disclosure's queries come in one answer; past this many the oldest are shown (none has come near). */
const PER_DISCLOSURE_LIMIT = 1000;

/**
 * Villagers' queries (质询) of published disclosures (村民委员会组织法 Art. 31–32; DOMAIN.md §1a): a resident
 * who may read a published disclosure asks about it or one of its entries; the committee answers within
 * OPENNESS_ANSWER_DAYS; the supervision committee and the township and above see every query and answer;
 * the asker may take an untrue answer, or no answer past the deadline, to the township, which closes it with
 * its reply. Who may take which step is query-actions.ts.
 */
@Injectable()
export class QueriesService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: QueriesRepository,
    private readonly names: PersonNames,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notices: OpennessNotices,
    @Inject(OPENNESS_SETTINGS) private readonly settings: OpennessSettings,
  ) {}

  /**
   * Villages where the caller sees every query and every asker's name: holders of the oversight reading
   * (the committee, the supervision committee, township and above: disclosure-access.ts's staff).
   */
  private staffScopes(actor: Actor): string[] {
    return actor.scopesFor('openness.oversight.read');
  }

  async ask(actor: Actor, disclosureId: string, dto: { question: string; entryId?: string }): Promise<QueryView> {
    const id = await this.db.transaction(async (em) => {
      const d = await this.repo.disclosureHead(em, disclosureId);
      if (!d || !canReadDisclosure(actor, { villageCode: d.village_code, subject: d.subject, state: d.state })) {
        throw OpennessErrors.disclosureNotFound();
      }
      // Staff read drafts too; only the village's residents ask, and only of what is published.
      if (!actor.personId || !actor.can('disclosure.query', d.village_code)) throw OpennessErrors.queryNotResident();
      if (d.state !== 'published') throw OpennessErrors.queryNotPublished(d.state);
      if (dto.entryId && !(await this.repo.entryBelongs(em, d.id, dto.entryId))) throw OpennessErrors.entryNotFound();
      const at = this.clock.now();
      const id = await this.repo.insert(em, {
        disclosureId: d.id,
        entryId: dto.entryId ?? null,
        villageCode: d.village_code,
        askerPersonId: actor.personId,
        question: dto.question,
        at,
        dueAt: new Date(at.getTime() + this.settings.answerDays * DAY_MS),
      });
      await this.audit.record(em, {
        actor,
        action: 'disclosure.query',
        targetType: 'disclosure_query',
        targetId: id,
        targetDivision: d.village_code,
        details: { disclosureId: d.id, entryId: dto.entryId ?? null },
      });
      await this.notices.toCommittee(em, d.village_code, {
        kind: 'query_asked',
        disclosureId: d.id,
        title: `村民质询：${d.title}`,
        body: `${dto.question.slice(0, 80)}（请在 ${this.settings.answerDays} 日内答复）`,
      });
      return id;
    });
    return this.one(actor, id);
  }

  /** A disclosure's queries, to whoever may read it: other askers' names masked for residents. */
  async ofDisclosure(actor: Actor, disclosureId: string): Promise<QueryView[]> {
    const d = await this.repo.disclosureHead(this.db.manager, disclosureId);
    if (!d || !canReadDisclosure(actor, { villageCode: d.village_code, subject: d.subject, state: d.state })) {
      throw OpennessErrors.disclosureNotFound();
    }
    const rows = await this.repo.rows(
      this.db.manager,
      { staffScopes: [d.village_code], askerPersonId: null, disclosureId: d.id, now: this.clock.now() },
      'asked',
      PER_DISCLOSURE_LIMIT,
    );
    return this.views(actor, rows);
  }

  /**
   * Staff: the queries of their villages (the township's `overdue=true`: those unanswered past the deadline,
   * longest overdue first). A resident: the queries they asked.
   */
  async list(
    actor: Actor,
    q: { divisionCode?: string; state?: QueryState; overdue?: boolean; page: number; pageSize: number },
  ): Promise<Page<QueryView>> {
    if (q.divisionCode && !isWithinAny(q.divisionCode, actor.scopesFor('disclosure.read'))) throw DivisionErrors.notFound();
    const f: QueryFilter = {
      staffScopes: this.staffScopes(actor),
      askerPersonId: actor.personId,
      divisionCode: q.divisionCode,
      state: q.state,
      overdue: q.overdue,
      now: this.clock.now(),
    };
    const total = await this.repo.count(f);
    const rows = await this.repo.rows(this.db.manager, f, q.overdue ? 'due' : 'newest', q.pageSize, (q.page - 1) * q.pageSize);
    return pageOf(await this.views(actor, rows), total, q);
  }

  async answer(actor: Actor, id: string, answer: string): Promise<QueryView> {
    await this.step(actor, id, 'answer', async (em, row, at) => {
      if (!actor.accountId) throw CommonErrors.forbidden();
      if (!(await this.repo.answer(em, id, row.state, { answer, by: actor.accountId, at }))) throw CommonErrors.staleState();
      // A correction keeps what was said before in the audit row: the query shows the answer now in force.
      return row.state === 'answered' ? { corrected: true, previousAnswer: row.answer } : { late: isOverdue(this.facts(row), at) };
    });
    return this.one(actor, id);
  }

  async escalate(actor: Actor, id: string, reason: string): Promise<QueryView> {
    await this.step(actor, id, 'escalate', async (em, row, at) => {
      if (!(await this.repo.escalate(em, id, row.state, { reason, at }))) throw CommonErrors.staleState();
      return { from: row.state, unanswered: row.state === 'open' };
    });
    return this.one(actor, id);
  }

  async close(actor: Actor, id: string, reply: string): Promise<QueryView> {
    await this.step(actor, id, 'close', async (em, _row, at) => {
      if (!actor.accountId) throw CommonErrors.forbidden();
      if (!(await this.repo.close(em, id, { reply, by: actor.accountId, at }))) throw CommonErrors.staleState();
      return {};
    });
    return this.one(actor, id);
  }

  /**
   * One step on a locked query: unseen (another village, a disclosure the caller may not read) is 404; then query-actions.ts
   * decides who and when; the change and its audit row in one transaction.
   */
  private async step(
    actor: Actor,
    id: string,
    action: QueryAction,
    apply: (
      em: EntityManager,
      row: NonNullable<Awaited<ReturnType<QueriesRepository['lock']>>>,
      at: Date,
    ) => Promise<Record<string, unknown>>,
  ): Promise<void> {
    await this.db.transaction(async (em) => {
      const row = await this.repo.lock(em, id);
      if (!row || !(await this.sees(em, actor, row))) throw OpennessErrors.queryNotFound();
      const at = this.clock.now();
      const refused = queryRefusal(action, this.caller(actor, row), this.facts(row), at);
      if (refused) throw refused;
      const details = await apply(em, row, at);
      await this.audit.record(em, {
        actor,
        action: `disclosure.query.${action}`,
        targetType: 'disclosure_query',
        targetId: id,
        targetDivision: row.village_code,
        details,
      });
      await this.tell(em, action, row);
    });
  }

  /** The answer to the asker; an escalation to the township; the township's reply to the asker. */
  private async tell(
    em: EntityManager,
    action: QueryAction,
    row: { disclosure_id: string; village_code: string; asker_person_id: string },
  ) {
    const disclosureId = row.disclosure_id;
    if (action === 'answer')
      await this.notices.toPerson(em, row.asker_person_id, {
        kind: 'query_answered',
        disclosureId,
        title: '您的质询已有答复',
        body: '村民委员会答复了您的质询，请查看。',
      });
    if (action === 'escalate')
      await this.notices.toTownship(em, row.village_code, {
        kind: 'query_escalated',
        disclosureId,
        title: '村民对村务公开的质询反映到乡镇',
        body: '村民认为村民委员会的答复不实或逾期未答复，请乡镇调查处理（村民委员会组织法第三十一条）。',
      });
    if (action === 'close')
      await this.notices.toPerson(em, row.asker_person_id, {
        kind: 'query_answered',
        disclosureId,
        title: '乡镇已办结您反映的质询',
        body: '乡镇已作出答复，请查看。',
      });
  }

  /** The staff of its village, the asker, and whoever reads its disclosure (where it is listed) see a query. */
  private async sees(em: EntityManager, actor: Actor, row: { disclosure_id: string; village_code: string; asker_person_id: string }) {
    if (isWithinAny(row.village_code, this.staffScopes(actor)) || row.asker_person_id === actor.personId) return true;
    const d = await this.repo.disclosureHead(em, row.disclosure_id);
    return d !== undefined && canReadDisclosure(actor, { villageCode: d.village_code, subject: d.subject, state: d.state });
  }

  private caller(actor: Actor, row: { village_code: string; asker_person_id: string }): QueryCaller {
    return {
      committee: actor.can('disclosure.write', row.village_code),
      asker: row.asker_person_id === actor.personId && actor.can('disclosure.query', row.village_code),
      township: actor.can('openness.oversee', row.village_code),
    };
  }

  private facts(row: { state: QueryState; answer_due_at: Date }) {
    return { state: row.state, answerDueAt: row.answer_due_at };
  }

  private async one(actor: Actor, id: string): Promise<QueryView> {
    const rows = await this.repo.rows(
      this.db.manager,
      { staffScopes: this.staffScopes(actor), askerPersonId: actor.personId, id, now: this.clock.now() },
      'asked',
      1,
    );
    if (!rows.length) throw OpennessErrors.queryNotFound();
    const [view] = await this.views(actor, rows);
    return view;
  }

  private async views(actor: Actor, rows: QueryRow[]): Promise<QueryView[]> {
    const names = await this.names.ofPeople(
      this.db.manager,
      rows.map((r) => r.asker_person_id),
    );
    const now = this.clock.now();
    const staff = this.staffScopes(actor);
    return rows.map((r) => {
      const name = names.get(r.asker_person_id) ?? '';
      const full = r.asker_person_id === actor.personId || isWithinAny(r.village_code, staff);
      return {
        id: r.id,
        disclosureId: r.disclosure_id,
        disclosureTitle: r.disclosure_title,
        villageCode: r.village_code,
        entryId: r.entry_id,
        askerName: full ? name : maskName(name),
        question: r.question,
        askedAt: r.asked_at.toISOString(),
        answerDueAt: r.answer_due_at.toISOString(),
        overdue: isOverdue(this.facts(r), now),
        state: r.state,
        answer: r.answer,
        answeredAt: r.answered_at?.toISOString() ?? null,
        escalationReason: r.escalation_reason,
        escalatedAt: r.escalated_at?.toISOString() ?? null,
        townshipReply: r.township_reply,
        closedAt: r.closed_at?.toISOString() ?? null,
        actions: queryActions(this.caller(actor, r), this.facts(r), now),
      };
    });
  }
}
