import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { isDivisionCode, isWithinAny, levelOfCode } from '#divisions';
import { type Actor, ReadCache, ReportingDb } from '#platform';
import { DeliberationErrors } from './deliberation.errors.js';
import { PROPOSAL_STATES, type ProposalState, STATE_NAMES } from './proposal-lifecycle.js';
import { ProposalStatsRepository } from './proposal-stats.repository.js';
import type { ProposalStats, ProposalStatsUnit } from './views.js';

export type { ProposalStats, ProposalStatsUnit } from './views.js';

const DECIDED: readonly ProposalState[] = ['passed', 'rejected', 'no_quorum', 'announced', 'awaiting_approval', 'not_approved', 'closed'];

const statsNotFound = DeliberationErrors.statsScopeNotFound;

/**
 * 议事统计: proposals by state and decision-vote turnout, for a division and each division one level
 * below it. Counts only: no choices of an open vote are ever involved (closed votes' stored tallies give
 * the participants).
 */
@Injectable()
export class ProposalStatsService {
  constructor(
    private readonly repo: ProposalStatsRepository,
    private readonly reporting: ReportingDb,
    private readonly cache: ReadCache,
  ) {}

  async report(actor: Actor, divisionCode?: string): Promise<ProposalStats> {
    const scopes = actor.scopesFor('proposal.stats.read');
    const code = divisionCode ?? scopes[0];
    if (!code || !isDivisionCode(code) || !isWithinAny(code, scopes)) throw statsNotFound();
    const level = levelOfCode(code);
    // Units: the children of the division (a village is its own only unit).
    const childLen = { city: 6, county: 9, township: 12, village: 12 }[level!];
    // A report: the read replica answers when there is one (decision 060); computed once for every reader of
    // the division until a proposal or vote of one of its villages changes (decision 063).
    const rows = await this.cache.get(
      `proposal-stats:${code}`,
      () => this.reporting.read((db) => this.repo.units(db, code, childLen, level === 'village')),
      () => [code],
    );
    const scopeRow = rows.find((r) => r.is_scope);
    if (!scopeRow) throw statsNotFound();
    const units = rows
      .filter((r) => !r.is_scope)
      .map((r) => unitOf(r.code, r.name, r.states ?? {}, r.votes ?? 0, r.electorate ?? 0, r.participants ?? 0));
    const sum = (k: 'votes' | 'electorate' | 'participants') => units.reduce((s, u) => s + u[k], 0);
    const byState: Record<string, number> = {};
    for (const u of units) for (const s of PROPOSAL_STATES) byState[s] = (byState[s] ?? 0) + u.byState[s];
    return {
      divisionCode: code,
      divisionName: scopeRow.name,
      total: unitOf(code, `${scopeRow.name}（合计）`, byState, sum('votes'), sum('electorate'), sum('participants')),
      units,
    };
  }

  async excel(actor: Actor, divisionCode?: string): Promise<Buffer> {
    const r = await this.report(actor, divisionCode);
    const wb = new ExcelJS.Workbook();
    wb.creator = '三共';
    const states = wb.addWorksheet('按状态');
    states.addRow(['状态', '议题数']);
    for (const s of PROPOSAL_STATES) states.addRow([STATE_NAMES[s], r.total.byState[s]]);
    const units = wb.addWorksheet('按下级区划');
    units.addRow(['区划代码', '区划', '议题总数', '表决中', '已表决', '表决次数', '应参加人数', '实际参加人数', '参与率']);
    for (const u of [...r.units, r.total]) {
      units.addRow([u.code, u.name, u.total, u.voting, u.decided, u.votes, u.electorate, u.participants, u.turnout]);
    }
    units.getColumn(9).numFmt = '0.00%';
    units.getColumn(2).width = 28;
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}

function unitOf(
  code: string,
  name: string,
  states: Record<string, number>,
  votes: number,
  electorate: number,
  participants: number,
): ProposalStatsUnit {
  const byState = Object.fromEntries(PROPOSAL_STATES.map((s) => [s, Number(states[s] ?? 0)])) as Record<ProposalState, number>;
  return {
    code,
    name,
    total: PROPOSAL_STATES.reduce((s, k) => s + byState[k], 0),
    byState,
    voting: byState.voting,
    decided: DECIDED.reduce((s, k) => s + byState[k], 0),
    votes,
    electorate,
    participants,
    turnout: electorate ? Math.round((participants / electorate) * 10000) / 10000 : null,
  };
}
