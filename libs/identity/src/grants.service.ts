import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { DivisionsService, isWithin, isWithinAny, levelOfCode } from '#divisions';
import { type Actor, Clock, isUniqueViolation, type Page, pageOf } from '#platform';
import { type GrantRow, GrantsRepository } from './grants.repository.js';
import { IdentityErrors } from './identity.errors.js';
import { PeopleRepository } from './people.repository.js';
import { type RepresentativesMeetingComposition, representativesMeetingComposition } from './seats.js';
import type { GrantView, RepresentativesMeetingView } from './views.js';
import { SessionCache } from './session-cache.js';
import { GRANTABLE, HELD_BESIDE, isPrivateRole, type Role, ROLE_LEVELS } from './roles.js';

/** The roles that seat a person in the 村民代表会议 (Art. 25). */
export const REPRESENTATIVES_MEETING_ROLES: readonly Role[] = ['village_representative', 'committee_member'];

/** True when some grant of the actor may hand out `role` at `divisionCode` (the no-escalation rule). */
export function mayGrant(actor: Pick<Actor, 'grants'>, role: Role, divisionCode: string): boolean {
  return actor.grants.some((g) => GRANTABLE[g.role as Role]?.includes(role) && isWithin(divisionCode, g.divisionCode));
}

@Injectable()
export class GrantsService {
  constructor(
    private readonly db: DataSource,
    private readonly grants: GrantsRepository,
    private readonly people: PeopleRepository,
    private readonly audit: AuditService,
    private readonly divisions: DivisionsService,
    private readonly clock: Clock,
    private readonly sessionCache: SessionCache,
  ) {}

  async grant(actor: Actor, personId: string, role: Role, divisionCode: string): Promise<GrantView> {
    const level = levelOfCode(divisionCode);
    if (!level || !ROLE_LEVELS[role].includes(level)) throw IdentityErrors.grantLevelMismatch(role, ROLE_LEVELS[role]);
    if (!mayGrant(actor, role, divisionCode)) {
      await this.audit.recordAlone({
        actor,
        action: 'grant.create',
        targetType: 'person',
        targetId: personId,
        targetDivision: divisionCode,
        result: 'denied',
        details: { role },
        restricted: isPrivateRole(role),
      });
      throw IdentityErrors.grantNotAllowed();
    }
    if (!(await this.divisions.exists(divisionCode))) throw IdentityErrors.grantLevelMismatch(role, ROLE_LEVELS[role]);
    const home = await this.people.homeOf(personId);
    // The person must be someone the granter can see: inside one of the granter's identity.grant scopes.
    if (!home || !isWithinAny(home, actor.scopesFor('identity.grant'))) throw IdentityErrors.personNotFound();
    try {
      const id = await this.db.transaction(async (em) => {
        // 留党察看 only beside a live party membership there (the base grant locked, so it is not revoked meanwhile).
        const base = HELD_BESIDE[role];
        if (base && !(await this.grants.lockLive(em, personId, base, divisionCode))) throw IdentityErrors.probationWithoutMembership();
        const grantId = await this.grants.insert(em, personId, role, divisionCode, actor.accountId, this.clock.now());
        await this.audit.record(em, {
          actor,
          action: 'grant.create',
          targetType: 'role_grant',
          targetId: grantId,
          targetDivision: divisionCode,
          details: { personId, role },
          restricted: isPrivateRole(role),
        });
        return grantId;
      });
      this.sessionCache.invalidatePerson(personId);
      const view = await this.get(id);
      if (!REPRESENTATIVES_MEETING_ROLES.includes(role)) return view;
      return { ...view, warnings: (await this.representativesMeetingOf(divisionCode)).warnings };
    } catch (err) {
      if (isUniqueViolation(err, 'role_grant_active_uq')) throw IdentityErrors.grantDuplicate();
      throw err;
    }
  }

  /**
   * Inside the caller's transaction: makes sure the person holds `role` at `divisionCode`, for a register
   * whose own rule already allowed the change (the collective organization's member register keeps the
   * collective_member role in step with itself). Audited; a grant already there is left as it is.
   */
  async ensureGrant(em: EntityManager, actor: Actor, personId: string, role: Role, divisionCode: string): Promise<void> {
    const grantId = await this.grants.ensure(em, personId, role, divisionCode, actor.accountId, this.clock.now());
    if (!grantId) return;
    await this.audit.record(em, {
      actor,
      action: 'grant.create',
      targetType: 'role_grant',
      targetId: grantId,
      targetDivision: divisionCode,
      details: { personId, role, byRegister: true },
      restricted: isPrivateRole(role),
    });
    this.sessionCache.invalidatePerson(personId);
  }

  /** The counterpart of ensureGrant: ends the person's active grant of `role` at `divisionCode`, if any. */
  async endGrant(em: EntityManager, actor: Actor, personId: string, role: Role, divisionCode: string): Promise<void> {
    const ended = await this.grants.endLive(em, personId, role, divisionCode, this.clock.now(), actor.accountId);
    for (const id of ended) {
      await this.audit.record(em, {
        actor,
        action: 'grant.revoke',
        targetType: 'role_grant',
        targetId: id,
        targetDivision: divisionCode,
        details: { role, byRegister: true },
        restricted: isPrivateRole(role),
      });
    }
    if (ended.length) this.sessionCache.invalidatePerson(personId);
  }

  async revoke(actor: Actor, grantId: string): Promise<void> {
    const g = await this.grants.live(grantId);
    if (!g || !isWithinAny(g.division_code, actor.scopesFor('identity.grant'))) throw IdentityErrors.grantNotFound();
    if (!mayGrant(actor, g.role, g.division_code)) {
      await this.audit.recordAlone({
        actor,
        action: 'grant.revoke',
        targetType: 'role_grant',
        targetId: grantId,
        targetDivision: g.division_code,
        result: 'denied',
        restricted: isPrivateRole(g.role),
      });
      throw IdentityErrors.grantNotAllowed();
    }
    await this.db.transaction(async (em) => {
      const count = await this.grants.revoke(em, grantId, actor.accountId, this.clock.now());
      if (count !== 1) throw IdentityErrors.grantNotFound();
      await this.audit.record(em, {
        actor,
        action: 'grant.revoke',
        targetType: 'role_grant',
        targetId: grantId,
        targetDivision: g.division_code,
        details: { role: g.role },
        restricted: isPrivateRole(g.role),
      });
    });
    // Refused on this process's very next request; answered once every other process has read the
    // trigger's NOTIFY too, so none of them allows the role on the next request either.
    this.sessionCache.invalidatePerson(g.person_id);
    await this.sessionCache.reachEveryProcess();
  }

  /** The 村民代表会议's 组成人员 in the register now, with the register's warnings (Art. 25). The caller checks scope. */
  async representativesMeeting(villageCode: string): Promise<RepresentativesMeetingView> {
    return { villageCode, ...(await this.representativesMeetingOf(villageCode)) };
  }

  /**
   * Each person once: one who holds both seats counts as a representative (the seat the law counts
   * toward 4/5); women are counted among the representatives ("妇女村民代表").
   */
  private async representativesMeetingOf(villageCode: string): Promise<RepresentativesMeetingComposition> {
    return representativesMeetingComposition(await this.grants.meetingCounts(villageCode, REPRESENTATIVES_MEETING_ROLES));
  }

  async get(id: string): Promise<GrantView> {
    const row = await this.grants.row(id);
    if (!row) throw IdentityErrors.grantNotFound();
    const [view] = await this.views([row]);
    return view;
  }

  async list(
    actor: Actor,
    q: { divisionCode?: string; role?: Role; personId?: string; page: number; pageSize: number },
  ): Promise<Page<GrantView>> {
    const scopes = actor.scopesFor('identity.grant');
    const filter = { divisionCode: q.divisionCode, role: q.role, personId: q.personId };
    const total = await this.grants.count(scopes, filter);
    const rows = await this.grants.list(scopes, filter, q.pageSize, (q.page - 1) * q.pageSize);
    return pageOf(await this.views(rows), total, q);
  }

  /** The rows with their divisions' names: one lookup for the page. */
  private async views(rows: readonly GrantRow[]): Promise<GrantView[]> {
    const names = await this.divisions.namesOf(rows.map((r) => r.divisionCode));
    return rows.map((r) => ({ ...r, divisionName: names.get(r.divisionCode) ?? r.divisionCode, grantedAt: r.grantedAt.toISOString() }));
  }
}
