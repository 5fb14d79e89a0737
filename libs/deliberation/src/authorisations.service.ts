import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { DivisionsService, isWithinAny } from '#divisions';
import { PersonNames } from '#identity';
import { type Actor, Clock, type Page, pageOf } from '#platform';
import { type AuthorisationFilter, AuthorisationsRepository } from './authorisations.repository.js';
import { DeliberationErrors } from './deliberation.errors.js';
import type { AuthorisationDto } from './dto/proposal.dto.js';
import { shanghaiDay } from './electorate.js';
import { checkMatterBody } from './matter-rules.js';
import { CATEGORIES, CATEGORY_NAMES, type Category, type DecidingBody } from './names.js';
import type { AuthorisationView } from './views.js';

const isCategory = (c: string): c is Category => (CATEGORIES as readonly string[]).includes(c);

/** Matters a 村民代表会议 decides only by the 村民会议's authorisation (matter-rules.ts `byAuthorisation`). */
export function needsAuthorisation(category: Category, body: DecidingBody): boolean {
  const fit = checkMatterBody(category, body);
  return fit.ok && fit.rule.byAuthorisation;
}

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
    private readonly repo: AuthorisationsRepository,
    private readonly divisions: DivisionsService,
    private readonly names: PersonNames,
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
    if (!(await this.repo.covers(em, villageCode, category, day)))
      throw DeliberationErrors.authorisationRequired(CATEGORY_NAMES[category], day);
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
    const recordedBy = actor.accountId;
    if (!recordedBy) throw DeliberationErrors.authorisationNotFound();
    const id = await this.db.transaction(async (em) => {
      if (!(await this.divisions.exists(dto.villageCode, 'village'))) throw DeliberationErrors.notVillage();
      if (dto.grantedByProposalId) {
        // The grant must be a decision the 村民会议 of this village passed.
        const g = await this.repo.grantingProposal(em, dto.grantedByProposalId);
        if (!g || g.villageCode !== dto.villageCode || g.decidingBody !== 'villagers_meeting' || !g.passed) {
          throw DeliberationErrors.authorisationGrantInvalid('授权依据须为本村村民会议表决通过的议题');
        }
      }
      const id = await this.repo.insert(em, {
        villageCode: dto.villageCode,
        categories,
        validFrom: dto.validFrom,
        validTo: dto.validTo,
        grantedByProposalId: dto.grantedByProposalId ?? null,
        charterClause: dto.charterClause ?? null,
        note: dto.note ?? null,
        recordedBy,
        recordedAt: this.clock.now(),
      });
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
    const rows = await this.views({ scopes: actor.scopesFor('proposal.read'), id }, 1, 0);
    if (!rows[0]) throw DeliberationErrors.authorisationNotFound();
    return rows[0];
  }

  async list(actor: Actor, q: { divisionCode?: string; page: number; pageSize: number }): Promise<Page<AuthorisationView>> {
    const f: AuthorisationFilter = { scopes: actor.scopesFor('proposal.read'), within: q.divisionCode };
    const total = await this.repo.count(this.db, f);
    return pageOf(await this.views(f, q.pageSize, (q.page - 1) * q.pageSize), total, q);
  }

  /** A page of views: the rows, then the villages' and recorders' names in one lookup each. */
  private async views(f: AuthorisationFilter, limit: number, offset: number): Promise<AuthorisationView[]> {
    const rows = await this.repo.list(this.db, f, shanghaiDay(this.clock.now()), limit, offset);
    const villages = await this.divisions.namesOf(rows.map((r) => r.villageCode));
    const recorders = await this.names.ofAccounts(
      this.db,
      rows.map((r) => r.recordedBy),
    );
    return rows.map(({ recordedBy, recordedAt, categories, ...r }) => ({
      ...r,
      villageName: villages.get(r.villageCode) ?? '',
      categories: categories.filter(isCategory),
      recordedAt: recordedAt.toISOString(),
      recordedByName: recorders.get(recordedBy) ?? null,
    }));
  }
}
