import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { isDivisionCode, isWithinAny, levelOfCode } from '#divisions';
import { type Actor, DomainError, queryRows } from '#platform';
import { PROPOSAL_STATES, type ProposalState, STATE_NAMES } from './proposal-lifecycle.js';

const DECIDED: readonly ProposalState[] = ['passed', 'rejected', 'no_quorum', 'announced', 'awaiting_approval', 'not_approved', 'closed'];

export interface ProposalStatsUnit {
  code: string;
  name: string;
  total: number;
  byState: Record<ProposalState, number>;
  voting: number;
  decided: number;
  /** Closed decision votes (not 审议 votes) and their frozen denominators and participants. */
  votes: number;
  electorate: number;
  participants: number;
  /** participants / electorate over those votes; null when there were none. */
  turnout: number | null;
}

export interface ProposalStats {
  divisionCode: string;
  divisionName: string;
  total: ProposalStatsUnit;
  units: ProposalStatsUnit[];
}

const statsNotFound = () => new DomainError('not_found', 'DIVISION_NOT_FOUND', '统计范围不存在或不在您的辖区内');

/**
 * 议事统计: proposals by state and decision-vote turnout, for a division and each division one level
 * below it. Counts only: no choices of an open vote are ever involved (closed votes' stored tallies give
 * the participants).
 */
@Injectable()
export class ProposalStatsService {
  constructor(private readonly db: DataSource) {}

  async report(actor: Actor, divisionCode?: string): Promise<ProposalStats> {
    const scopes = actor.scopesFor('proposal.stats.read');
    const code = divisionCode ?? scopes[0];
    if (!code || !isDivisionCode(code) || !isWithinAny(code, scopes)) throw statsNotFound();
    const level = levelOfCode(code);
    // Units: the children of the division (a village is its own only unit).
    const childLen = { city: 6, county: 9, township: 12, village: 12 }[level!];
    const rows = await queryRows<{
      code: string;
      name: string;
      states: Record<string, number> | null;
      votes: number | null;
      electorate: number | null;
      participants: number | null;
      is_scope: boolean;
    }>(
      this.db,
      `WITH units AS (
              SELECT code, name, false AS is_scope FROM division WHERE ${level === 'village' ? 'code = $1' : 'parent_code = $1'}
              UNION ALL SELECT code, name, true FROM division WHERE code = $1),
            p AS (SELECT left(village_code, $2) AS unit, status, count(*)::int AS n
                    FROM proposal WHERE village_code LIKE $3 GROUP BY 1, 2),
            t AS (SELECT left(pr.village_code, $2) AS unit, count(*)::int AS votes, sum(v.electorate)::int AS electorate,
                         sum(v.participants)::int AS participants
                    FROM vote v JOIN proposal pr ON pr.id = v.proposal_id
                   WHERE pr.village_code LIKE $3 AND v.purpose = 'decision' AND v.status = 'closed' GROUP BY 1)
       SELECT u.code, u.name, u.is_scope,
              (SELECT json_object_agg(p.status, p.n) FROM p WHERE p.unit = u.code) AS states,
              t.votes, t.electorate, t.participants
         FROM units u LEFT JOIN t ON t.unit = u.code AND NOT u.is_scope
        ORDER BY u.is_scope, u.code`,
      [code, childLen, `${code}%`],
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
