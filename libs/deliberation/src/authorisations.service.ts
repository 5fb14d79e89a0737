import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny } from '#divisions';
import { type Actor, Clock, type Page, pageOf, queryRows } from '#platform';
import { DeliberationErrors } from './deliberation.errors.js';
import type { AuthorisationDto } from './dto/proposal.dto.js';
import { shanghaiDay } from './electorate.js';
import { checkMatterBody } from './matter-rules.js';
import { CATEGORY_NAMES, type Category, type DecidingBody } from './names.js';
import { SqlParams } from './proposal-access.js';
import type { AuthorisationView } from './views.js';

/** Matters a 村民代表会议 decides only by the 村民会议's authorisation (matter-rules.ts `byAuthorisation`). */
export function needsAuthorisation(category: Category, body: DecidingBody): boolean {
  const fit = checkMatterBody(category, body);
  return fit.ok && fit.rule.byAuthorisation;
}

const COLS = `a.id, a.village_code AS "villageCode", d.name AS "villageName", a.categories, a.valid_from::text AS "validFrom", a.valid_to::text AS "validTo",
  a.granted_by_proposal_id AS "grantedByProposalId", gp.title AS "grantedByTitle", a.charter_clause AS "charterClause", a.note,
  a.recorded_at AS "recordedAt", rp.real_name AS "recordedByName"`;
const FROM = `representatives_authorisation a JOIN division d ON d.code = a.village_code
  LEFT JOIN proposal gp ON gp.id = a.granted_by_proposal_id LEFT JOIN account ra ON ra.id = a.recorded_by LEFT JOIN person rp ON rp.id = ra.person_id`;

/**
 * The 村民会议's authorisations of the 村民代表会议 (村民委员会组织法 Art. 24 ¶2, Art. 25): which matters,
 * for what period, granted by which decision of the 村民会议 or which clause of the 村民自治章程.
 */
@Injectable()
export class AuthorisationsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /**
   * Refuses an Art. 24 matter at a 村民代表会议 unless an authorisation of the village covers it on `day`
   * (a 长治 calendar day). Land matters there need none (decision 011 point 4); other bodies need none.
   */
  async requireAuthorisation(
    em: EntityManager,
    villageCode: string,
    category: Category,
    body: DecidingBody,
    day = shanghaiDay(this.clock.now()),
  ): Promise<void> {
    if (!needsAuthorisation(category, body)) return;
    const rows = await queryRows(
      em,
      `SELECT 1 FROM representatives_authorisation WHERE village_code = $1 AND $2 = ANY(categories) AND valid_from <= $3::date AND valid_to >= $3::date LIMIT 1`,
      [villageCode, category, day],
    );
    if (!rows.length) throw DeliberationErrors.authorisationRequired(CATEGORY_NAMES[category], day);
  }

  async record(actor: Actor, dto: AuthorisationDto): Promise<AuthorisationView> {
    if (!isWithinAny(dto.villageCode, actor.scopesFor('proposal.authorisation.write'))) throw DeliberationErrors.authorisationNotFound();
    if ((dto.grantedByProposalId === undefined) === (dto.charterClause === undefined)) {
      throw DeliberationErrors.authorisationGrantInvalid('请注明授权依据：作出授权的村民会议决定，或村民自治章程条款（二选一）');
    }
    if (dto.validTo < dto.validFrom) throw DeliberationErrors.authorisationGrantInvalid('授权截止日期不得早于起始日期');
    const categories = [...new Set(dto.categories)];
    const wrong = categories.filter((c) => !needsAuthorisation(c, 'representatives_meeting'));
    if (wrong.length) {
      throw DeliberationErrors.authorisationGrantInvalid(
        `只有《中华人民共和国村民委员会组织法》第二十四条所列、须经授权的事项可以授权村民代表会议决定；以下事项不在其列：${wrong.map((c) => CATEGORY_NAMES[c]).join('、')}`,
      );
    }
    const id = await this.db.transaction(async (em) => {
      const village = await queryRows(em, `SELECT 1 FROM division WHERE code = $1 AND level = 'village'`, [dto.villageCode]);
      if (!village.length) throw DeliberationErrors.notVillage();
      if (dto.grantedByProposalId) {
        // The grant must be a decision the 村民会议 of this village passed.
        const [g] = await queryRows<{ village_code: string; deciding_body: string; passed: boolean }>(
          em,
          `SELECT p.village_code, p.deciding_body,
                  EXISTS (SELECT 1 FROM vote v WHERE v.proposal_id = p.id AND v.purpose = 'decision' AND v.outcome = 'passed') AS passed
             FROM proposal p WHERE p.id = $1`,
          [dto.grantedByProposalId],
        );
        if (!g || g.village_code !== dto.villageCode || g.deciding_body !== 'villagers_meeting' || !g.passed) {
          throw DeliberationErrors.authorisationGrantInvalid('授权依据须为本村村民会议表决通过的议题');
        }
      }
      const [{ id }] = await queryRows<{ id: string }>(
        em,
        `INSERT INTO representatives_authorisation (village_code, categories, valid_from, valid_to, granted_by_proposal_id, charter_clause, note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          dto.villageCode,
          categories,
          dto.validFrom,
          dto.validTo,
          dto.grantedByProposalId ?? null,
          dto.charterClause ?? null,
          dto.note ?? null,
          actor.accountId,
          this.clock.now(),
        ],
      );
      await this.audit.record(em, {
        actor,
        action: 'authorisation.record',
        targetType: 'representatives_authorisation',
        targetId: id,
        targetDivision: dto.villageCode,
        details: {
          categories,
          validFrom: dto.validFrom,
          validTo: dto.validTo,
          grantedByProposalId: dto.grantedByProposalId ?? null,
          byCharter: dto.charterClause !== undefined,
        },
      });
      return id;
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<AuthorisationView> {
    const params = new SqlParams();
    const where = [params.scope('a.village_code', actor.scopesFor('proposal.read')), `a.id = ${params.add(id)}::uuid`];
    const rows = await this.query(params, where, 1, 0);
    if (!rows[0]) throw DeliberationErrors.authorisationNotFound();
    return rows[0];
  }

  async list(actor: Actor, q: { divisionCode?: string; page: number; pageSize: number }): Promise<Page<AuthorisationView>> {
    const params = new SqlParams();
    const where = [params.scope('a.village_code', actor.scopesFor('proposal.read'))];
    if (q.divisionCode) where.push(`a.village_code LIKE ${params.add(`${q.divisionCode}%`)}`);
    const [{ total }] = await queryRows<{ total: number }>(
      this.db,
      `SELECT count(*)::int AS total FROM representatives_authorisation a WHERE ${where.join(' AND ')}`,
      params.values,
    );
    return pageOf(await this.query(params, where, q.pageSize, (q.page - 1) * q.pageSize), total, q);
  }

  private async query(params: SqlParams, where: string[], limit: number, offset: number): Promise<AuthorisationView[]> {
    const today = params.add(shanghaiDay(this.clock.now()));
    return queryRows<AuthorisationView>(
      this.db,
      `SELECT ${COLS}, (a.valid_from <= ${today}::date AND a.valid_to >= ${today}::date) AS "validToday"
         FROM ${FROM} WHERE ${where.join(' AND ')}
        ORDER BY a.valid_to DESC, a.recorded_at DESC LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
      params.values,
    );
  }
}
