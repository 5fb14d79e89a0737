import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { DivisionsService, isWithin, isWithinAny, levelOfCode, scopeSql } from '#divisions';
import { type Actor, Clock, execute, isUniqueViolation, queryRows } from '#platform';
import { IdentityErrors } from './identity.errors.js';
import { type RepresentativesMeetingComposition, representativesMeetingComposition } from './seats.js';
import { SessionCache } from './session-cache.js';
import { GRANTABLE, type Role, ROLE_LEVELS } from './roles.js';

export interface GrantView {
  id: string;
  personId: string;
  realName: string;
  role: Role;
  divisionCode: string;
  divisionName: string;
  grantedAt: string;
  /** After a seat of the 村民代表会议 is granted: what its make-up lacks (Art. 25), if anything. */
  warnings?: string[];
}

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
      });
      throw IdentityErrors.grantNotAllowed();
    }
    if (!(await this.divisions.exists(divisionCode))) throw IdentityErrors.grantLevelMismatch(role, ROLE_LEVELS[role]);
    const person = await queryRows<{ home: string }>(this.db, `SELECT home_division_code AS home FROM person WHERE id = $1`, [personId]);
    // The person must be someone the granter can see: inside one of the granter's identity.grant scopes.
    if (!person[0] || !isWithinAny(person[0].home, actor.scopesFor('identity.grant'))) throw IdentityErrors.personNotFound();
    try {
      const id = await this.db.transaction(async (em) => {
        const [row] = await queryRows<{ id: string }>(
          em,
          `INSERT INTO role_grant (person_id, role, division_code, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [personId, role, divisionCode, actor.accountId, this.clock.now()],
        );
        await this.audit.record(em, {
          actor,
          action: 'grant.create',
          targetType: 'role_grant',
          targetId: row.id,
          targetDivision: divisionCode,
          details: { personId, role },
        });
        return row.id;
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
    const rows = await queryRows<{ id: string }>(
      em,
      `INSERT INTO role_grant (person_id, role, division_code, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (person_id, role, division_code) WHERE revoked_at IS NULL DO NOTHING RETURNING id`,
      [personId, role, divisionCode, actor.accountId, this.clock.now()],
    );
    if (!rows.length) return;
    await this.audit.record(em, {
      actor,
      action: 'grant.create',
      targetType: 'role_grant',
      targetId: rows[0].id,
      targetDivision: divisionCode,
      details: { personId, role, byRegister: true },
    });
    this.sessionCache.invalidatePerson(personId);
  }

  /** The counterpart of ensureGrant: ends the person's active grant of `role` at `divisionCode`, if any. */
  async endGrant(em: EntityManager, actor: Actor, personId: string, role: Role, divisionCode: string): Promise<void> {
    const rows = await queryRows<{ id: string }>(
      em,
      `UPDATE role_grant SET revoked_at = $4, revoked_by = $5 WHERE person_id = $1 AND role = $2 AND division_code = $3 AND revoked_at IS NULL RETURNING id`,
      [personId, role, divisionCode, this.clock.now(), actor.accountId],
    );
    for (const r of rows) {
      await this.audit.record(em, {
        actor,
        action: 'grant.revoke',
        targetType: 'role_grant',
        targetId: r.id,
        targetDivision: divisionCode,
        details: { role, byRegister: true },
      });
    }
    if (rows.length) this.sessionCache.invalidatePerson(personId);
  }

  async revoke(actor: Actor, grantId: string): Promise<void> {
    const [g] = await queryRows<{ role: Role; division_code: string; person_id: string }>(
      this.db,
      `SELECT role, division_code, person_id FROM role_grant WHERE id = $1 AND revoked_at IS NULL`,
      [grantId],
    );
    if (!g || !isWithinAny(g.division_code, actor.scopesFor('identity.grant'))) throw IdentityErrors.grantNotFound();
    if (!mayGrant(actor, g.role, g.division_code)) {
      await this.audit.recordAlone({
        actor,
        action: 'grant.revoke',
        targetType: 'role_grant',
        targetId: grantId,
        targetDivision: g.division_code,
        result: 'denied',
      });
      throw IdentityErrors.grantNotAllowed();
    }
    await this.db.transaction(async (em) => {
      const count = await execute(em, `UPDATE role_grant SET revoked_at = $3, revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL`, [
        grantId,
        actor.accountId,
        this.clock.now(),
      ]);
      if (count !== 1) throw IdentityErrors.grantNotFound();
      await this.audit.record(em, {
        actor,
        action: 'grant.revoke',
        targetType: 'role_grant',
        targetId: grantId,
        targetDivision: g.division_code,
        details: { role: g.role },
      });
    });
    // Refused on this process's very next request; other processes hear it from the trigger's NOTIFY.
    this.sessionCache.invalidatePerson(g.person_id);
  }

  /** The 村民代表会议's 组成人员 in the register now, with the register's warnings (Art. 25). The caller checks scope. */
  async representativesMeeting(villageCode: string): Promise<RepresentativesMeetingComposition & { villageCode: string }> {
    return { villageCode, ...(await this.representativesMeetingOf(villageCode)) };
  }

  /**
   * Each person once: one who holds both seats counts as a representative (the seat the law counts
   * toward 4/5); women are counted among the representatives ("妇女村民代表").
   */
  private async representativesMeetingOf(villageCode: string): Promise<RepresentativesMeetingComposition> {
    const [c] = await queryRows<{ committee: number; reps: number; women: number }>(
      this.db,
      `SELECT count(*) FILTER (WHERE NOT rep)::int AS committee, count(*) FILTER (WHERE rep)::int AS reps,
              count(*) FILTER (WHERE rep AND gender = 'F')::int AS women
         FROM (SELECT p.id, p.gender, bool_or(g.role = 'village_representative') AS rep
                 FROM role_grant g JOIN person p ON p.id = g.person_id
                WHERE g.division_code = $1 AND g.revoked_at IS NULL AND g.role = ANY($2::text[])
                GROUP BY p.id, p.gender) x`,
      [villageCode, REPRESENTATIVES_MEETING_ROLES],
    );
    return representativesMeetingComposition({ committeeMembers: c.committee, representatives: c.reps, womenRepresentatives: c.women });
  }

  async get(id: string): Promise<GrantView> {
    const [row] = await queryRows<GrantView>(
      this.db,
      `SELECT g.id, g.person_id AS "personId", p.real_name AS "realName", g.role, g.division_code AS "divisionCode",
              d.name AS "divisionName", g.granted_at AS "grantedAt"
         FROM role_grant g JOIN person p ON p.id = g.person_id JOIN division d ON d.code = g.division_code WHERE g.id = $1`,
      [id],
    );
    if (!row) throw IdentityErrors.grantNotFound();
    return row;
  }

  async list(actor: Actor, q: { divisionCode?: string; role?: string; personId?: string; page: number; pageSize: number }) {
    const scope = scopeSql('g.division_code', actor.scopesFor('identity.grant'), 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql, 'g.revoked_at IS NULL'];
    if (q.divisionCode) {
      params.push(`${q.divisionCode}%`);
      where.push(`g.division_code LIKE $${params.length}`);
    }
    if (q.role) {
      params.push(q.role);
      where.push(`g.role = $${params.length}`);
    }
    if (q.personId) {
      params.push(q.personId);
      where.push(`g.person_id = $${params.length}::uuid`);
    }
    const w = where.join(' AND ');
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM role_grant g WHERE ${w}`, params);
    const items = await queryRows<GrantView>(
      this.db,
      `SELECT g.id, g.person_id AS "personId", p.real_name AS "realName", g.role, g.division_code AS "divisionCode",
              d.name AS "divisionName", g.granted_at AS "grantedAt"
         FROM role_grant g JOIN person p ON p.id = g.person_id JOIN division d ON d.code = g.division_code
        WHERE ${w} ORDER BY g.division_code, g.role, p.real_name LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { items, total, page: q.page, pageSize: q.pageSize };
  }
}
