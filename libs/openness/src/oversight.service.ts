import { Inject, Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { DivisionsService, isDivisionCode, isWithinAny, normalizeScopes } from '#divisions';
import { type Actor, Clock, ReadCache, ReportingDb, ROLLUP_TOPICS } from '#platform';
import { OPENNESS_SETTINGS, type OpennessSettings } from './openness-settings.js';
import { OpennessErrors } from './openness.errors.js';
import { OrdersService } from './orders.service.js';
import { OversightRepository } from './oversight.repository.js';
import { addDays, periodLabel, shanghaiDay } from './periods.js';
import { monthlySinceOf, plannedSlots, slotMonths, slotStartOf, slotStatus } from './schedule.js';
import type { OversightRow, OversightView, ScheduleSlot, VillageSchedule } from './views.js';

/** The children's code length under a division: counties under the city, townships, villages; a village is its own row. */
const CHILD_LENGTH: Record<number, number> = { 4: 6, 6: 9, 9: 12, 12: 12 };

const COUNT_KEYS = ['villages', 'published', 'due', 'overdue', 'villagesLongOverdue', 'openQueriesOverdue'] as const;

/**
 * The schedule and the township's watch (Art. 30–32): a village's slots (schedule.ts) and the roll-up of due,
 * overdue and published slots over a township, county or the city, as of a day, in one statement
 * (oversight.repository.ts; bench:openness measures it).
 */
@Injectable()
export class OversightService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repo: OversightRepository,
    private readonly divisions: DivisionsService,
    private readonly orders: OrdersService,
    @Inject(OPENNESS_SETTINGS) private readonly settings: OpennessSettings,
    private readonly reporting: ReportingDb,
    private readonly cache: ReadCache,
  ) {}

  private asOfDay(asOf?: string): string {
    return asOf ?? shanghaiDay(this.clock.now());
  }

  /** The division asked for if the caller may oversee it, else the caller's own widest one. */
  private resolveDivision(actor: Actor, divisionCode?: string): string {
    const scopes = normalizeScopes(actor.scopesFor('openness.oversight.read'));
    const code = divisionCode ?? scopes[0];
    if (!code || !isDivisionCode(code) || !isWithinAny(code, scopes)) throw OpennessErrors.oversightOutOfScope();
    return code;
  }

  async overview(actor: Actor, q: { divisionCode?: string; asOf?: string }): Promise<OversightView> {
    const code = this.resolveDivision(actor, q.divisionCode);
    const asOf = this.asOfDay(q.asOf);
    const now = this.clock.now();
    const endOfDay = new Date(Date.parse(`${addDays(asOf, 1)}T00:00:00+08:00`));
    const params = {
      code,
      childLen: CHILD_LENGTH[code.length],
      from: this.settings.scheduleFrom,
      asOf,
      months: slotMonths(this.settings.scheduleFrom, asOf, this.settings.dueDays, this.settings.longOverdueDays),
      queriesDueBefore: endOfDay < now ? endOfDay : now,
    };
    // A report: the read replica answers when there is one (decision 060), once for every reader until a
    // disclosure, a query or a village's setting changes (decision 063). Queries overdue "now" are counted
    // as of the load, at most READ_CACHE_SECONDS ago.
    const rows = await this.cache.get(
      `oversight:${code}:${asOf}`,
      () => this.reporting.read((db) => this.repo.rollup(db, params)),
      (r) => (r.length ? [ROLLUP_TOPICS.openness] : null),
    );
    if (!rows.length) throw OpennessErrors.oversightOutOfScope();
    const divisionName = rows[0].parentName ?? code;
    const total: OversightRow = { divisionCode: code, divisionName, ...Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) } as OversightRow;
    const list = rows.map(({ parentName: _, ...r }) => {
      for (const k of COUNT_KEYS) total[k] += r[k];
      return r;
    });
    return { divisionCode: code, divisionName, asOf, longOverdueDays: this.settings.longOverdueDays, rows: list, total };
  }

  async export(actor: Actor, q: { divisionCode?: string; asOf?: string }): Promise<Buffer> {
    const v = await this.overview(actor, q);
    const wb = new ExcelJS.Workbook();
    wb.creator = '三共';
    const sheet = wb.addWorksheet('村务公开督查');
    sheet.addRow([`${v.divisionName} 村务公开情况（截至 ${v.asOf}）`]);
    sheet.addRow(['单位', '村（社区）数', '已公开', '到期待公开', '逾期未公开', `逾期超过${v.longOverdueDays}天的村`, '逾期未答复的质询']);
    const line = (r: OversightRow, name = r.divisionName) => [
      name,
      r.villages,
      r.published,
      r.due,
      r.overdue,
      r.villagesLongOverdue,
      r.openQueriesOverdue,
    ];
    for (const r of v.rows) {
      const row = sheet.addRow(line(r));
      // Highlight the units with villages overdue past the setting.
      if (r.villagesLongOverdue > 0) row.getCell(6).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
    }
    sheet.addRow(line(v.total, `${v.divisionName}（合计）`));
    sheet.getColumn(1).width = 28;
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  private assertReads(actor: Actor, villageCode: string): void {
    if (villageCode.length !== 12 || !isWithinAny(villageCode, actor.scopesFor('openness.oversight.read')))
      throw OpennessErrors.villageNotFound();
  }

  async schedule(actor: Actor, villageCode: string, asOf?: string): Promise<VillageSchedule> {
    this.assertReads(actor, villageCode);
    return this.build(villageCode, this.asOfDay(asOf));
  }

  async setFinanceMonthly(actor: Actor, villageCode: string, financeMonthly: boolean): Promise<VillageSchedule> {
    if (villageCode.length !== 12 || !isWithinAny(villageCode, actor.scopesFor('openness.oversee'))) throw OpennessErrors.villageNotFound();
    if (!(await this.divisions.exists(villageCode, 'village'))) throw OpennessErrors.villageNotFound();
    await this.db.transaction(async (em) => {
      const before = await this.repo.setFinanceMonthly(em, villageCode, financeMonthly, actor.accountId!, this.clock.now());
      if (before === financeMonthly) return;
      await this.audit.record(em, {
        actor,
        action: 'openness.setting',
        targetType: 'division',
        targetId: villageCode,
        targetDivision: villageCode,
        details: { financeMonthly: { old: before ?? false, new: financeMonthly } },
      });
    });
    return this.build(villageCode, this.asOfDay());
  }

  private async build(villageCode: string, asOf: string): Promise<VillageSchedule> {
    const [names, basis, published] = await Promise.all([
      this.divisions.namesOf([villageCode]),
      this.repo.villageBasis(this.db, villageCode),
      this.repo.published(this.db, villageCode, this.settings.scheduleFrom, asOf),
    ]);
    const villageName = names.get(villageCode);
    if (villageName === undefined) throw OpennessErrors.villageNotFound();
    const monthlySince = basis.financeMonthly && basis.setOn ? monthlySinceOf(true, basis.setOn) : null;
    // The earliest published disclosure of each slot (rows come in order of publication).
    const met = new Map<string, { id: string; publishedAt: Date; publishedOn: string }>();
    for (const p of published) {
      const key = `${p.series} ${slotStartOf(p.series, p.periodStart, monthlySince)}`;
      if (!met.has(key)) met.set(key, p);
    }
    const slots: ScheduleSlot[] = plannedSlots({
      from: this.settings.scheduleFrom,
      asOf,
      dueDays: this.settings.dueDays,
      monthlySince,
      collectiveSince: basis.collectiveFirst,
    }).map((s) => {
      const m = met.get(`${s.series} ${s.periodStart}`) ?? null;
      const st = slotStatus(s, m?.publishedOn ?? null, asOf);
      return {
        ...s,
        periodLabel: periodLabel(s.periodKind, s.periodStart),
        status: st.status,
        daysOverdue: st.daysOverdue,
        publishedAt: m?.publishedAt.toISOString() ?? null,
        disclosureId: m?.id ?? null,
      };
    });
    return {
      villageCode,
      villageName,
      financeMonthly: basis.financeMonthly ?? false,
      slots,
      orders: await this.orders.ofVillage(this.db, villageCode, villageName),
    };
  }
}
