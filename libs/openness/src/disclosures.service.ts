import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { NoticesService } from '#deliberation';
import { DivisionsService, isWithinAny } from '#divisions';
import { PersonNames } from '#identity';
import { type Actor, Clock, CommonErrors, type Page, pageOf } from '#platform';
import { canReadDisclosure, isOpennessStaff, visibleDisclosuresSql } from './disclosure-access.js';
import { disclosureActions, EDITABLE, NEXT } from './disclosure-actions.js';
import { type DisclosureRow, DisclosuresRepository } from './disclosures.repository.js';
import { CATEGORY_DIRECTION, type DisclosureAction, type ScheduleSeries } from './names.js';
import { OpennessErrors } from './openness.errors.js';
import { OpennessNotices } from './openness-notices.js';
import { OPENNESS_SETTINGS, type OpennessSettings } from './openness-settings.js';
import { dueOn, periodLabel, periodOf, shanghaiDay, within, yuan } from './periods.js';
import type { CreateDisclosureBody, DisclosureAttachmentBody, DisclosureQuery, EditDisclosureBody, FinanceEntryBody } from './routes.js';
import type { DisclosureAttachmentView, DisclosureDetail, DisclosureSummary, FinanceEntryView, FinanceFigures } from './views.js';

const MAX_FEN = 10n ** 15n;
const FILE_TYPES: Record<string, Buffer> = {
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]),
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  'application/pdf': Buffer.from('%PDF-'),
};

/** The schedule series a disclosure counts for (the database checks the same rule). */
export function seriesOf(kind: CreateDisclosureBody['kind'], subject: CreateDisclosureBody['subject']): ScheduleSeries | null {
  if (kind === 'finance') return subject === 'village' ? 'finance' : 'collective_finance';
  return kind === 'annual_reports' ? null : 'general';
}

/** A fen amount given as a string of digits (optionally negative): a bigint within ±10^15, else null. */
export function fenOf(s: string | undefined, allowNegative: boolean): bigint | null {
  if (s === undefined || !/^-?\d{1,16}$/.test(s)) return null;
  const v = BigInt(s);
  if (v <= -MAX_FEN || v >= MAX_FEN || (!allowNegative && v < 0n)) return null;
  return v;
}

/**
 * Disclosures (村务公开、财务公开; 村民委员会组织法 Art. 30–32, 农村集体经济组织法 Art. 45): the committee
 * prepares them (finance with its entries and balances), the 村务监督委员会 signs them off or returns them
 * with reasons, the committee publishes; readers are who canReadDisclosure says. Every step is audited.
 */
@Injectable()
export class DisclosuresService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly repo: DisclosuresRepository,
    private readonly divisions: DivisionsService,
    private readonly names: PersonNames,
    private readonly notices: OpennessNotices,
    private readonly decisions: NoticesService,
    @Inject(OPENNESS_SETTINGS) private readonly settings: OpennessSettings,
  ) {}

  /** The disclosure, if the actor may read it (else: not found). */
  async load(em: EntityManager, actor: Actor, id: string, lock = false): Promise<DisclosureRow> {
    const d = await this.repo.find(em, id, lock);
    if (!d || !canReadDisclosure(actor, d)) throw OpennessErrors.disclosureNotFound();
    return d;
  }

  private roles(actor: Actor, villageCode: string) {
    return { committee: actor.can('disclosure.write', villageCode), supervision: actor.can('disclosure.review', villageCode) };
  }

  private requireCommittee(actor: Actor, d: DisclosureRow, action: DisclosureAction): void {
    if (!actor.can('disclosure.write', d.villageCode)) throw OpennessErrors.stepForbidden(action, '村民委员会');
  }

  private requireEditable(d: DisclosureRow): void {
    if (!EDITABLE.includes(d.state)) throw OpennessErrors.notEditable(d.state);
  }

  async create(actor: Actor, b: CreateDisclosureBody): Promise<DisclosureDetail> {
    if (b.villageCode.length !== 12) throw OpennessErrors.notVillage();
    if (!actor.can('disclosure.write', b.villageCode)) throw CommonErrors.forbidden();
    const series = seriesOf(b.kind, b.subject);
    if (b.kind !== 'finance' && (b.subject === 'collective') !== (b.kind === 'annual_reports')) throw OpennessErrors.kindSubjectMismatch();
    const period = periodOf(b.periodKind, b.periodStart);
    if ('problem' in period) throw OpennessErrors.periodInvalid(period.problem);
    const finance = b.kind === 'finance';
    if (finance && b.periodKind !== 'month' && b.periodKind !== 'quarter') throw OpennessErrors.periodInvalid('财务公开按月或按季度');
    const opening = finance ? fenOf(b.openingBalanceFen, true) : null;
    if (finance && opening === null) throw OpennessErrors.financeFieldsInvalid('财务公开须填写期初余额（以分为单位的整数）');
    if (!finance && b.openingBalanceFen !== undefined) throw OpennessErrors.financeFieldsInvalid('只有财务公开有期初余额');
    const now = this.clock.now();
    const id = await this.db.transaction(async (em) => {
      if (!(await this.repo.villageExists(em, b.villageCode))) throw OpennessErrors.notVillage();
      const id = await this.repo.insert(em, {
        villageCode: b.villageCode,
        subject: b.subject,
        kind: b.kind,
        series,
        title: b.title,
        body: b.body ?? '',
        periodKind: b.periodKind,
        periodStart: period.start,
        periodEnd: period.end,
        openingBalanceFen: opening === null ? null : opening.toString(),
        publicityDays: b.publicityDays ?? this.settings.publicityDays,
        createdBy: this.account(actor),
        at: now,
      });
      if (!id) throw OpennessErrors.financePeriodTaken(periodLabel(b.periodKind, period.start));
      await this.audit.record(em, {
        actor,
        action: 'disclosure.create',
        targetType: 'disclosure',
        targetId: id,
        targetDivision: b.villageCode,
        details: { kind: b.kind, subject: b.subject, periodKind: b.periodKind, periodStart: period.start },
      });
      return id;
    });
    return this.detail(actor, id);
  }

  private account(actor: Actor): string {
    if (!actor.accountId) throw CommonErrors.forbidden();
    return actor.accountId;
  }

  async list(actor: Actor, q: DisclosureQuery & { page: number; pageSize: number }): Promise<Page<DisclosureSummary>> {
    const visible = visibleDisclosuresSql(actor);
    const f = { visible, divisionPrefix: q.divisionCode, kind: q.kind, state: q.state, year: q.year, q: q.q };
    const total = await this.repo.count(this.db, f);
    const rows = await this.repo.list(this.db, f, q.pageSize, (q.page - 1) * q.pageSize);
    const names = await this.divisions.namesOf(rows.map((r) => r.villageCode));
    return pageOf(
      rows.map((r) => this.summary(r, names.get(r.villageCode) ?? '')),
      total,
      q,
    );
  }

  private summary(r: DisclosureRow, villageName: string): DisclosureSummary {
    return {
      id: r.id,
      villageCode: r.villageCode,
      villageName,
      subject: r.subject,
      kind: r.kind,
      title: r.title,
      periodKind: r.periodKind,
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      periodLabel: periodLabel(r.periodKind, r.periodStart),
      state: r.state,
      dueOn: r.series ? dueOn(r.periodKind, r.periodEnd, this.settings.dueDays) : null,
      publishedAt: r.publishedAt?.toISOString() ?? null,
      publicityUntil: r.publicityUntil?.toISOString() ?? null,
      openQueries: r.openQueries,
      isDemo: r.isDemo,
    };
  }

  async detail(actor: Actor, id: string): Promise<DisclosureDetail> {
    const em = this.db.manager;
    const d = await this.load(em, actor, id);
    const [names, entries, attachments, categories] = await Promise.all([
      this.divisions.namesOf([d.villageCode]),
      d.kind === 'finance' ? this.repo.entries(em, id) : Promise.resolve([]),
      this.repo.attachments(em, id),
      d.kind === 'finance' ? this.repo.byCategory(em, id) : Promise.resolve([]),
    ]);
    const reviewer = d.reviewedBy ? (await this.names.ofAccounts(em, [d.reviewedBy])).get(d.reviewedBy) : undefined;
    const decisionNotices = d.kind === 'decisions' ? await this.decisions.decisionsOf(d.villageCode, d.periodStart, d.periodEnd) : [];
    const roles = this.roles(actor, d.villageCode);
    return {
      ...this.summary(d, names.get(d.villageCode) ?? ''),
      body: d.body,
      proposalId: d.proposalId,
      publicityDays: d.publicityDays,
      submittedAt: d.submittedAt?.toISOString() ?? null,
      reviewedAt: d.reviewedAt?.toISOString() ?? null,
      reviewedBy: d.reviewedBy ? (reviewer ?? null) : null,
      returnReason: d.returnReason,
      finance: d.kind === 'finance' ? figures(d, categories) : null,
      entries: entries.map((e): FinanceEntryView => ({ ...e })),
      attachments,
      decisionNotices,
      actions: disclosureActions(d.state, roles),
      mayQuery: d.state === 'published' && actor.can('disclosure.query', d.villageCode),
    };
  }

  async edit(actor: Actor, id: string, b: EditDisclosureBody): Promise<DisclosureDetail> {
    await this.db.transaction(async (em) => {
      const d = await this.load(em, actor, id, true);
      this.requireCommittee(actor, d, 'edit');
      this.requireEditable(d);
      const finance = d.kind === 'finance';
      const opening = b.openingBalanceFen === undefined ? undefined : fenOf(b.openingBalanceFen, true);
      const closing = b.closingBalanceFen === undefined ? undefined : fenOf(b.closingBalanceFen, true);
      if (!finance && (b.openingBalanceFen !== undefined || b.closingBalanceFen !== undefined))
        throw OpennessErrors.financeFieldsInvalid('只有财务公开有期初、期末余额');
      if (opening === null || closing === null) throw OpennessErrors.financeFieldsInvalid('余额应为以分为单位的整数');
      await this.repo.edit(
        em,
        id,
        {
          title: b.title,
          body: b.body,
          openingBalanceFen: opening?.toString(),
          closingBalanceFen: closing?.toString(),
          publicityDays: b.publicityDays,
        },
        this.clock.now(),
      );
      await this.audit.record(em, {
        actor,
        action: 'disclosure.edit',
        targetType: 'disclosure',
        targetId: id,
        targetDivision: d.villageCode,
        details: { fields: Object.keys(b).filter((k) => b[k as keyof EditDisclosureBody] !== undefined) },
      });
    });
    return this.detail(actor, id);
  }

  /**
   * A step of the workflow (submit, return, sign off, publish): who may take it, from which states, and
   * for a finance disclosure, that it balances before it leaves the committee. One conditional update:
   * of two concurrent steps only one moves it.
   */
  async step(actor: Actor, id: string, action: Exclude<DisclosureAction, 'edit'>, reason?: string): Promise<DisclosureDetail> {
    const rule = NEXT[action];
    await this.db.transaction(async (em) => {
      const d = await this.load(em, actor, id, true);
      const permitted =
        rule.by === 'committee' ? actor.can('disclosure.write', d.villageCode) : actor.can('disclosure.review', d.villageCode);
      if (!permitted) throw OpennessErrors.stepForbidden(action, rule.by === 'committee' ? '村民委员会' : '村务监督委员会');
      if (!rule.from.includes(d.state)) throw OpennessErrors.stepIllegal(d.state, action);
      if (action === 'submit' && d.kind === 'finance') requireBalanced(d);
      const now = this.clock.now();
      const moved = await this.repo.step(em, id, rule.from, rule.to, {
        at: now,
        by: this.account(actor),
        reason,
        publicityUntil: action === 'publish' ? new Date(now.getTime() + d.publicityDays * 86_400_000) : undefined,
      });
      if (!moved) throw OpennessErrors.stepIllegal(d.state, action);
      await this.audit.record(em, {
        actor,
        action: `disclosure.${action}`,
        targetType: 'disclosure',
        targetId: id,
        targetDivision: d.villageCode,
        details: reason ? { from: d.state, to: rule.to, reason } : { from: d.state, to: rule.to },
      });
      if (action === 'submit')
        await this.notices.toSupervision(em, d.villageCode, {
          kind: 'disclosure_submitted',
          disclosureId: id,
          title: `待审核：${d.title}`,
          body: `村民委员会提交了"${d.title}"（${periodLabel(d.periodKind, d.periodStart)}），请村务监督委员会审核后签署意见或退回。`,
        });
      if (action === 'return')
        await this.notices.toCommittee(em, d.villageCode, {
          kind: 'disclosure_returned',
          disclosureId: id,
          title: `监委会退回：${d.title}`,
          body: `退回理由：${reason ?? ''}`,
        });
    });
    return this.detail(actor, id);
  }

  async addEntry(actor: Actor, id: string, b: FinanceEntryBody): Promise<FinanceEntryView> {
    return this.db.transaction(async (em) => {
      const d = await this.load(em, actor, id, true);
      this.requireCommittee(actor, d, 'edit');
      this.requireEditable(d);
      if (d.kind !== 'finance') throw OpennessErrors.financeFieldsInvalid('只有财务公开有收支明细');
      const problems: { field: string; message: string }[] = [];
      if (!within(b.entryDate, d.periodStart, d.periodEnd))
        problems.push({ field: 'entryDate', message: `日期 ${b.entryDate} 不在公开期间（${d.periodStart} 至 ${d.periodEnd}）内` });
      const amount = fenOf(b.amountFen, false);
      if (amount === null || amount === 0n) problems.push({ field: 'amountFen', message: '金额应为大于 0 的整数（分）' });
      if (problems.length) throw OpennessErrors.entryInvalid(problems);
      const entry = {
        entryDate: b.entryDate,
        voucherNo: b.voucherNo,
        item: b.item,
        counterpart: b.counterpart ?? null,
        category: b.category,
        direction: CATEGORY_DIRECTION[b.category],
        amountFen: amount!.toString(),
      };
      const { id: entryId, lineNo } = await this.repo.addEntry(em, id, entry);
      await this.repo.resum(em, id, this.clock.now());
      await this.audit.record(em, {
        actor,
        action: 'disclosure.entry.add',
        targetType: 'disclosure',
        targetId: id,
        targetDivision: d.villageCode,
        details: { entryId, lineNo, category: b.category, amountFen: entry.amountFen },
      });
      return { id: entryId, lineNo, ...entry };
    });
  }

  async deleteEntry(actor: Actor, id: string, entryId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const d = await this.load(em, actor, id, true);
      this.requireCommittee(actor, d, 'edit');
      this.requireEditable(d);
      if (!(await this.repo.deleteEntry(em, id, entryId))) throw OpennessErrors.entryNotFound();
      await this.repo.resum(em, id, this.clock.now());
      await this.audit.record(em, {
        actor,
        action: 'disclosure.entry.delete',
        targetType: 'disclosure',
        targetId: id,
        targetDivision: d.villageCode,
        details: { entryId },
      });
    });
  }

  /** Photos of vouchers and of the posted board, and reports: JPEG, PNG or PDF, at most 2 MB; the committee's, before publication. */
  async addAttachment(actor: Actor, id: string, b: DisclosureAttachmentBody): Promise<DisclosureAttachmentView> {
    const content = Buffer.from(b.contentBase64, 'base64');
    const magic = FILE_TYPES[b.contentType];
    if (!magic || !content.subarray(0, magic.length).equals(magic) || content.length > 2 * 1024 * 1024)
      throw OpennessErrors.attachmentInvalid();
    return this.db.transaction(async (em) => {
      const d = await this.load(em, actor, id, true);
      this.requireCommittee(actor, d, 'edit');
      // The photo of the posted board comes after publication; everything else before it.
      if (b.purpose !== 'board') this.requireEditable(d);
      const attachmentId = await this.repo.addAttachment(em, {
        disclosureId: id,
        purpose: b.purpose,
        name: b.name,
        content,
        contentType: b.contentType,
        by: this.account(actor),
        at: this.clock.now(),
      });
      await this.audit.record(em, {
        actor,
        action: 'disclosure.attachment.add',
        targetType: 'disclosure',
        targetId: id,
        targetDivision: d.villageCode,
        details: { attachmentId, purpose: b.purpose, name: b.name, bytes: content.length },
      });
      return { id: attachmentId, purpose: b.purpose, name: b.name, contentType: b.contentType, sizeBytes: content.length };
    });
  }

  async attachment(actor: Actor, id: string, attachmentId: string): Promise<{ name: string; content: Buffer; contentType: string }> {
    await this.load(this.db.manager, actor, id);
    const a = await this.repo.attachment(this.db, id, attachmentId);
    if (!a) throw OpennessErrors.attachmentNotFound();
    return a;
  }

  /** Whether the actor reads drafts of the village (for other parts of the lib). */
  isStaff(actor: Actor, villageCode: string): boolean {
    return isOpennessStaff(actor, villageCode) && isWithinAny(villageCode, actor.scopesFor('disclosure.read'));
  }

  /** Today in 长治 (the day a disclosure is due, answered…). */
  today(): string {
    return shanghaiDay(this.clock.now());
  }
}

/** opening + income − expenditure, and whether the closing balance says so. */
function figures(d: DisclosureRow, byCategory: FinanceFigures['byCategory']): FinanceFigures {
  const opening = BigInt(d.openingBalanceFen ?? '0');
  const income = BigInt(d.incomeFen ?? '0');
  const expense = BigInt(d.expenseFen ?? '0');
  const expected = opening + income - expense;
  return {
    openingBalanceFen: opening.toString(),
    incomeFen: income.toString(),
    expenseFen: expense.toString(),
    closingBalanceFen: d.closingBalanceFen,
    expectedClosingFen: expected.toString(),
    balanced: d.closingBalanceFen !== null && BigInt(d.closingBalanceFen) === expected,
    byCategory,
  };
}

function requireBalanced(d: DisclosureRow): void {
  const f = figures(d, []);
  if (!f.balanced)
    throw OpennessErrors.unbalanced(yuan(f.expectedClosingFen), d.closingBalanceFen === null ? null : yuan(d.closingBalanceFen));
}
