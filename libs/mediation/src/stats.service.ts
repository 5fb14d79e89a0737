import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DivisionsService, isWithinAny } from '#divisions';
import { type Actor, ReadCache, ReportingDb, ROLLUP_TOPICS } from '#platform';
import { CASE_SOURCES, DISPUTE_TYPE_NAMES, DISPUTE_TYPES, SOURCE_NAMES, type MediationStatsQueryDto } from './dto/case.dto.js';
import { MediationErrors } from './mediation.errors.js';
import type { CaseSource, DisputeType } from './names.js';
import { type Rollup, StatsRepository, type StatsSums } from './stats.repository.js';
import { monthRange, rate } from './stats.js';
import type { StatsReport, UnitStats } from './views.js';

export type { StatsReport, UnitStats } from './views.js';

/** Units per page by default: a county's committees fit on one page; the city's 2,628 take six. */
export const STATS_PAGE_SIZE = 500;

/**
 * Cases received in the period (by intake month, CST), counted where they were received (the origin
 * committee), so an escalated case still counts for the committee that escalated it. Reads the
 * trigger-maintained rollups in mediation_stats_cell (see the migration).
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly repo: StatsRepository,
    private readonly divisions: DivisionsService,
    private readonly reporting: ReportingDb,
    private readonly cache: ReadCache,
  ) {}

  async report(actor: Actor, q: MediationStatsQueryDto): Promise<StatsReport> {
    const scopes = actor.scopesFor('mediation.stats.read');
    const divisionCode = q.divisionCode ?? scopes[0];
    if (!divisionCode || !isWithinAny(divisionCode, scopes)) throw MediationErrors.divisionNotFound();
    const { from, to } = monthRange(q.year, q.month);
    // The smallest rollup that answers: a county's months for the month view over a county or more,
    // committees' years for a whole year, committees' months otherwise.
    const rollup: Rollup =
      q.groupBy === 'month' && divisionCode.length <= 6
        ? 'county_month'
        : q.month || q.groupBy === 'month'
          ? 'committee_month'
          : 'committee_year';
    // A report: the read replica answers when there is one (decision 060), once for every reader until a
    // case changes the rollups (decision 063).
    const rows = await this.cache.get(
      `mediation-stats:${JSON.stringify([rollup, q.groupBy, divisionCode, from, to])}`,
      () => this.reporting.read((db) => this.repo.sums(db, rollup, q.groupBy, divisionCode, from, to)),
      () => [ROLLUP_TOPICS.mediation],
    );
    // The units' names and the scope's (for the total line), in one lookup.
    const names = await this.divisions.namesOf([divisionCode, ...rows.map((r) => r.unit)]);
    const units = rows.map((r) => ({ ...toUnit(r.unit, r), unitName: names.get(r.unit) ?? r.unit }));
    const total = toUnit(divisionCode, sumRows(rows));
    total.unitName = `${names.get(divisionCode) ?? divisionCode}（合计）`;
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? STATS_PAGE_SIZE;
    return {
      divisionCode,
      groupBy: q.groupBy,
      year: q.year,
      month: q.month ?? null,
      total,
      units: units.slice((page - 1) * pageSize, page * pageSize),
      unitCount: units.length,
      page,
      pageSize,
    };
  }

  async excel(actor: Actor, q: MediationStatsQueryDto): Promise<Buffer> {
    // The file lists every unit: no paging.
    const r = await this.report(actor, { ...q, page: 1, pageSize: Number.MAX_SAFE_INTEGER });
    const wb = new ExcelJS.Workbook();
    wb.creator = '三共';
    const period = `${r.year}年${r.month ? `${r.month}月` : ''}`;
    const summary = wb.addWorksheet('汇总');
    summary.addRow([`人民调解统计 ${period}`]);
    summary.addRow([
      '单位',
      '受理数',
      '调解成功',
      '调解终止',
      '不予受理',
      '在办',
      '调解成功率',
      '按期办结率',
      '上报数',
      '上报率',
      '平均办结天数',
      '逾期数',
    ]);
    const line = (u: UnitStats) => [
      u.unitName,
      u.received,
      u.byOutcome.agreed,
      u.byOutcome.terminated,
      u.byOutcome.declined,
      u.byOutcome.pending,
      u.successRate,
      u.onTimeRate,
      u.escalated,
      u.escalationRate,
      u.averageDaysToConclude,
      u.overdue,
    ];
    for (const u of r.units) summary.addRow(line(u));
    summary.addRow(line(r.total));
    for (const col of [7, 8, 10]) summary.getColumn(col).numFmt = '0.00%';
    summary.getColumn(1).width = 28;
    const byType = wb.addWorksheet('按纠纷类型');
    byType.addRow(['单位', ...DISPUTE_TYPES.map((t) => DISPUTE_TYPE_NAMES[t])]);
    for (const u of [...r.units, r.total]) byType.addRow([u.unitName, ...DISPUTE_TYPES.map((t) => u.byType[t])]);
    const bySource = wb.addWorksheet('按案件来源');
    bySource.addRow(['单位', ...CASE_SOURCES.map((s) => SOURCE_NAMES[s])]);
    for (const u of [...r.units, r.total]) bySource.addRow([u.unitName, ...CASE_SOURCES.map((s) => u.bySource[s])]);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

function sumRows(rows: StatsSums[]): StatsSums {
  const t: StatsSums = {
    unit: '',
    received: 0,
    agreed: 0,
    terminated: 0,
    declined: 0,
    onTime: 0,
    escalated: 0,
    overdue: 0,
    concludedDays: '0',
    byType: zeros<DisputeType>(DISPUTE_TYPES),
    bySource: zeros<CaseSource>(CASE_SOURCES),
  };
  let days = 0;
  for (const r of rows) {
    t.received += r.received;
    t.agreed += r.agreed;
    t.terminated += r.terminated;
    t.declined += r.declined;
    t.onTime += r.onTime;
    t.escalated += r.escalated;
    t.overdue += r.overdue;
    for (const k of DISPUTE_TYPES) t.byType[k] += r.byType[k];
    for (const k of CASE_SOURCES) t.bySource[k] += r.bySource[k];
    days += Number(r.concludedDays);
  }
  t.concludedDays = String(days);
  return t;
}

function toUnit(unit: string, r: StatsSums): UnitStats {
  const concluded = r.agreed + r.terminated;
  return {
    unit,
    unitName: unit,
    received: r.received,
    byType: { ...r.byType },
    bySource: { ...r.bySource },
    byOutcome: { agreed: r.agreed, terminated: r.terminated, declined: r.declined, pending: r.received - concluded - r.declined },
    concluded,
    successRate: rate(r.agreed, concluded),
    onTime: r.onTime,
    onTimeRate: rate(r.onTime, concluded),
    escalated: r.escalated,
    escalationRate: rate(r.escalated, r.received),
    averageDaysToConclude: concluded ? Math.round((Number(r.concludedDays) / concluded) * 10) / 10 : null,
    overdue: r.overdue,
  };
}
