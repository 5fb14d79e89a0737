import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { isWithinAny } from '#divisions';
import { type Actor, queryRows } from '#platform';
import { CASE_SOURCES, DISPUTE_TYPE_NAMES, DISPUTE_TYPES, SOURCE_NAMES, type StatsQueryDto } from './dto/case.dto.js';
import { MediationErrors } from './mediation.errors.js';
import { monthRange, rate } from './stats.js';

export interface UnitStats {
  unit: string;
  unitName: string;
  received: number;
  byType: Record<string, number>;
  bySource: Record<string, number>;
  byOutcome: { agreed: number; terminated: number; declined: number; pending: number };
  concluded: number;
  successRate: number | null;
  onTime: number;
  onTimeRate: number | null;
  escalated: number;
  escalationRate: number | null;
  averageDaysToConclude: number | null;
  overdue: number;
}

export interface StatsReport {
  divisionCode: string;
  groupBy: StatsQueryDto['groupBy'];
  year: number;
  month: number | null;
  total: UnitStats;
  /** One page of units (`unitCount` in all); the total line covers every unit. */
  units: UnitStats[];
  unitCount: number;
  page: number;
  pageSize: number;
}

/** Units per page by default: a county's committees fit on one page; the city's 2,628 take six. */
export const STATS_PAGE_SIZE = 500;

interface Row {
  unit: string;
  received: number;
  agreed: number;
  terminated: number;
  declined: number;
  on_time: number;
  escalated: number;
  overdue: number;
  concluded_days: string;
  [column: string]: number | string;
}

const SUMS = [
  'received',
  'agreed',
  'terminated',
  'declined',
  'on_time',
  'escalated',
  'overdue',
  ...DISPUTE_TYPES.map((t) => `type_${t}`),
  ...CASE_SOURCES.map((s) => `source_${s}`),
];

/**
 * Cases received in the period (by intake month, CST), counted where they were received (the origin
 * committee), so an escalated case still counts for the committee that escalated it. Reads the
 * trigger-maintained rollups in mediation_stats_cell (see the migration).
 */
@Injectable()
export class StatsService {
  constructor(private readonly db: DataSource) {}

  async report(actor: Actor, q: StatsQueryDto): Promise<StatsReport> {
    const scopes = actor.scopesFor('mediation.stats.read');
    const divisionCode = q.divisionCode ?? scopes[0];
    if (!divisionCode || !isWithinAny(divisionCode, scopes)) throw MediationErrors.divisionNotFound();
    const { from, to } = monthRange(q.year, q.month);
    // The smallest rollup that answers: a county's months for the month view over a county or more,
    // committees' years for a whole year, committees' months otherwise.
    const rollup =
      q.groupBy === 'month' && divisionCode.length <= 6
        ? 'county_month'
        : q.month || q.groupBy === 'month'
          ? 'committee_month'
          : 'committee_year';
    const unitSql = {
      committee: `m.unit_code`,
      township: `left(m.unit_code, 9)`,
      county: `left(m.unit_code, 6)`,
      month: `to_char(m.period_start, 'YYYY-MM')`,
    }[q.groupBy];
    // Sum per unit, and the unit's name (and the scope's, for the total line) in the same round trip.
    const rows = await queryRows<Row & { unit_name: string | null }>(
      this.db,
      `SELECT s.*, d.name AS unit_name
         FROM (SELECT ${unitSql} AS unit, ${SUMS.map((c) => `sum(m.${c})::int AS ${c}`).join(', ')}, sum(m.concluded_days)::text AS concluded_days
                 FROM mediation_stats_cell m
                WHERE m.rollup = $1 AND m.unit_code LIKE $2 AND m.period_start >= $3::date AND m.period_start < $4::date
                GROUP BY 1 HAVING sum(m.received) > 0) s
         LEFT JOIN division d ON d.code = s.unit
        UNION ALL
       SELECT NULL, ${SUMS.map(() => '0').join(', ')}, '0', name FROM division WHERE code = $5
        ORDER BY 1`,
      [rollup, `${divisionCode}%`, from, to, divisionCode],
    );
    const scopeName = rows.find((r) => r.unit === null)?.unit_name ?? divisionCode;
    const unitRows = rows.filter((r) => r.unit !== null);
    const units = unitRows.map((r) => ({ ...toUnit(r.unit, r), unitName: r.unit_name ?? r.unit }));
    const total = toUnit(divisionCode, sumRows(unitRows));
    total.unitName = `${scopeName}（合计）`;
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

  async excel(actor: Actor, q: StatsQueryDto): Promise<Buffer> {
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

function sumRows(rows: Row[]): Row {
  const t: Row = {
    unit: '',
    received: 0,
    agreed: 0,
    terminated: 0,
    declined: 0,
    on_time: 0,
    escalated: 0,
    overdue: 0,
    concluded_days: '0',
  };
  let days = 0;
  for (const r of rows) {
    for (const c of SUMS) t[c] = Number(t[c] ?? 0) + Number(r[c]);
    days += Number(r.concluded_days);
  }
  t.concluded_days = String(days);
  return t;
}

function toUnit(unit: string, r: Row): UnitStats {
  const concluded = r.agreed + r.terminated;
  return {
    unit,
    unitName: unit,
    received: r.received,
    byType: Object.fromEntries(DISPUTE_TYPES.map((t) => [t, Number(r[`type_${t}`] ?? 0)])),
    bySource: Object.fromEntries(CASE_SOURCES.map((s) => [s, Number(r[`source_${s}`] ?? 0)])),
    byOutcome: { agreed: r.agreed, terminated: r.terminated, declined: r.declined, pending: r.received - concluded - r.declined },
    concluded,
    successRate: rate(r.agreed, concluded),
    onTime: r.on_time,
    onTimeRate: rate(r.on_time, concluded),
    escalated: r.escalated,
    escalationRate: rate(r.escalated, r.received),
    averageDaysToConclude: concluded ? Math.round((Number(r.concluded_days) / concluded) * 10) / 10 : null,
    overdue: r.overdue,
  };
}
