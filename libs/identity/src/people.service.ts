import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { DivisionsService, isWithinAny, scopeSql } from '#divisions';
import {
  type Actor,
  checkResidentId,
  Clock,
  isMobile,
  maskMobile,
  maskResidentId,
  normalizeResidentId,
  type Page,
  pageOf,
  PiiCipher,
  queryRows,
  textProblem,
  type Permission,
} from '#platform';
import { activationCodeHash } from './auth.service.js';
import { IdentityErrors } from './identity.errors.js';
import type { Role } from './roles.js';

export interface PersonInput {
  realName: string;
  idNumber: string;
  phone?: string | null;
  householdNo?: string | null;
  /** Village-level roles beyond resident: representative, party member, collective member. */
  extraRoles?: Role[];
}

export interface PersonView {
  id: string;
  realName: string;
  idNumberMasked: string;
  phoneMasked: string | null;
  gender: 'M' | 'F';
  birthDate: string;
  homeDivisionCode: string;
  householdNo: string | null;
  roles: string[];
  accountStatus: string | null;
  isDemo: boolean;
}

export interface RegisterResult {
  personId: string;
  created: boolean;
  /** One-time code for the resident to set a password; shown once, only to the committee. */
  activationCode: string | null;
}

const ACTIVATION_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const ACTIVATION_TTL_MS = 30 * 86_400_000;

function newActivationCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ACTIVATION_ALPHABET[randomInt(ACTIVATION_ALPHABET.length)];
  return s;
}

const VIEW_SQL = `SELECT p.id, p.real_name AS "realName", p.id_number_masked AS "idNumberMasked", p.phone_masked AS "phoneMasked",
       p.gender, to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate", p.home_division_code AS "homeDivisionCode",
       p.household_no AS "householdNo", p.is_demo AS "isDemo", a.status AS "accountStatus",
       COALESCE((SELECT array_agg(DISTINCT g.role ORDER BY g.role) FROM role_grant g
                  WHERE g.person_id = p.id AND g.revoked_at IS NULL AND g.division_code = p.home_division_code), '{}') AS roles
  FROM person p LEFT JOIN account a ON a.person_id = p.id`;

/** The village register: people, their resident grants, and their accounts. */
@Injectable()
export class PeopleService {
  constructor(
    private readonly db: DataSource,
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
    private readonly divisions: DivisionsService,
    private readonly clock: Clock,
  ) {}

  /** Checks one input; returns the problems as (column, code, message) without touching the database. */
  validate(input: PersonInput): { column: string; code: string; message: string }[] {
    const errs: { column: string; code: string; message: string }[] = [];
    const name = input.realName?.trim() ?? '';
    const nameProblem = textProblem(name, 'line');
    if (name.length < 1 || name.length > 50) errs.push({ column: '姓名', code: 'NAME_INVALID', message: '姓名应为 1–50 个字符' });
    else if (nameProblem) errs.push({ column: '姓名', code: 'NAME_INVALID', message: `姓名${nameProblem}` });
    const id = checkResidentId(input.idNumber ?? '');
    if (!id.ok) {
      const e = IdentityErrors.idNumberInvalid(id.problem);
      errs.push({ column: '身份证号', code: e.code, message: e.message });
    }
    if (input.phone && !isMobile(input.phone)) {
      errs.push({ column: '手机号', code: 'MOBILE_INVALID', message: IdentityErrors.mobileInvalid().message });
    }
    const householdProblem = input.householdNo ? textProblem(input.householdNo, 'line') : null;
    if (input.householdNo && input.householdNo.length > 40) errs.push({ column: '户号', code: 'HOUSEHOLD_INVALID', message: '户号过长' });
    else if (householdProblem) errs.push({ column: '户号', code: 'HOUSEHOLD_INVALID', message: `户号${householdProblem}` });
    return errs;
  }

  /**
   * Registers (or updates) a resident of `villageCode` inside the caller's transaction: the person,
   * the resident grant (and extra village roles), and a pending account with an activation code
   * when a phone is given and no account exists yet.
   */
  async registerResident(
    em: EntityManager,
    actor: Actor,
    villageCode: string,
    input: PersonInput,
    opts: { isDemo?: boolean; passwordHash?: string } = {},
  ): Promise<RegisterResult> {
    // A password set without the policy (the published demo password) is for demo people only.
    if (opts.passwordHash && !opts.isDemo) throw new Error('registerResident: passwordHash is only for demo people');
    const idNumber = normalizeResidentId(input.idNumber);
    const checked = checkResidentId(idNumber);
    if (!checked.ok) throw IdentityErrors.idNumberInvalid(checked.problem);
    if (input.phone && !isMobile(input.phone)) throw IdentityErrors.mobileInvalid();
    const idHash = this.pii.hash('id', idNumber);
    const phone = input.phone || null;
    const phoneHash = phone ? this.pii.hash('phone', phone) : null;
    const existing = await queryRows<{
      id: string;
      home_division_code: string;
      real_name: string;
      phone_hash: Buffer | null;
      household_no: string | null;
    }>(em, `SELECT id, home_division_code, real_name, phone_hash, household_no FROM person WHERE id_number_hash = $1 FOR UPDATE`, [idHash]);
    let personId: string;
    let created = false;
    let changed = false;
    const e = existing[0];
    if (e) {
      personId = e.id;
      // A person registered in another village is moved only by someone whose scope covers the old village too.
      if (e.home_division_code !== villageCode && !isWithinAny(e.home_division_code, actor.scopesFor('identity.register.write'))) {
        throw IdentityErrors.personDuplicate();
      }
      const same =
        e.home_division_code === villageCode &&
        e.real_name === input.realName.trim() &&
        (e.household_no ?? null) === (input.householdNo || null) &&
        ((e.phone_hash === null && phoneHash === null) || (!!e.phone_hash && !!phoneHash && e.phone_hash.equals(phoneHash)));
      if (!same) {
        changed = true;
        await em.query(
          `UPDATE person SET real_name = $2, phone_enc = $3, phone_hash = $4, phone_masked = $5, household_no = $6,
                  home_division_code = $7, updated_at = now() WHERE id = $1`,
          [
            personId,
            input.realName.trim(),
            phone ? this.pii.encrypt(phone) : null,
            phoneHash,
            phone ? maskMobile(phone) : null,
            input.householdNo || null,
            villageCode,
          ],
        );
      }
    } else {
      const rows = await queryRows<{ id: string }>(
        em,
        `INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender,
                             phone_enc, phone_hash, phone_masked, home_division_code, household_no, is_demo)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          input.realName.trim(),
          this.pii.encrypt(idNumber),
          idHash,
          maskResidentId(idNumber),
          checked.birthDate,
          checked.gender,
          phone ? this.pii.encrypt(phone) : null,
          phoneHash,
          phone ? maskMobile(phone) : null,
          villageCode,
          input.householdNo || null,
          opts.isDemo ?? false,
        ],
      );
      personId = rows[0].id;
      created = true;
    }
    const roles = ['resident', ...(input.extraRoles ?? [])] as Role[];
    const added = await queryRows<{ role: string }>(
      em,
      `INSERT INTO role_grant (person_id, role, division_code, granted_by)
       SELECT $1, r, $3, $4 FROM unnest($2::text[]) AS r
       ON CONFLICT (person_id, role, division_code) WHERE revoked_at IS NULL DO NOTHING RETURNING role`,
      [personId, roles, villageCode, actor.accountId],
    );
    if (added.length) changed = true;
    let activationCode: string | null = null;
    if (phone) {
      const acct = await queryRows<{ id: string }>(em, `SELECT id FROM account WHERE person_id = $1`, [personId]);
      if (!acct.length) {
        const taken = await queryRows(em, `SELECT 1 FROM account WHERE login_phone_hash = $1`, [phoneHash]);
        if (taken.length) throw IdentityErrors.phoneTaken();
        if (opts.passwordHash) {
          await em.query(`INSERT INTO account (person_id, login_phone_hash, password_hash, status) VALUES ($1, $2, $3, 'active')`, [
            personId,
            phoneHash,
            opts.passwordHash,
          ]);
          changed = true;
        } else {
          activationCode = newActivationCode();
          await em.query(
            `INSERT INTO account (person_id, login_phone_hash, status, activation_code_hash, activation_expires_at)
             VALUES ($1, $2, 'pending', $3, $4)`,
            [personId, phoneHash, activationCodeHash(activationCode), new Date(this.clock.now().getTime() + ACTIVATION_TTL_MS)],
          );
        }
      }
    }
    if (activationCode) changed = true;
    if (!created && !changed) return { personId, created, activationCode };
    await this.audit.record(em, {
      actor,
      action: created ? 'register.person_create' : 'register.person_update',
      targetType: 'person',
      targetId: personId,
      targetDivision: villageCode,
      details: { rolesAdded: added.map((a) => a.role), account: activationCode ? 'pending' : null },
    });
    return { personId, created, activationCode };
  }

  async assertVillageInScope(actor: Actor, villageCode: string, permission: Permission): Promise<void> {
    if (!isWithinAny(villageCode, actor.scopesFor(permission))) throw IdentityErrors.personNotFound();
    if (!(await this.divisions.exists(villageCode, 'village'))) throw IdentityErrors.divisionNotVillage();
  }

  async list(
    actor: Actor,
    q: { divisionCode?: string; q?: string; role?: string; page: number; pageSize: number },
  ): Promise<Page<PersonView>> {
    const params: unknown[] = [];
    const scopes = actor.scopesFor('identity.person.read');
    const scope = scopeSql('p.home_division_code', scopes, 1);
    params.push(...scope.params);
    const where = [scope.sql];
    if (q.divisionCode) {
      params.push(`${q.divisionCode}%`);
      where.push(`p.home_division_code LIKE $${params.length}`);
    }
    if (q.q) {
      params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`p.real_name LIKE $${params.length}`);
    }
    if (q.role) {
      params.push(q.role);
      where.push(`EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p.id AND g.revoked_at IS NULL AND g.role = $${params.length})`);
    }
    const w = where.join(' AND ');
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM person p WHERE ${w}`, params);
    const items = await queryRows<PersonView>(
      this.db,
      `${VIEW_SQL} WHERE ${w} ORDER BY p.home_division_code, p.household_no NULLS LAST, p.real_name, p.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return pageOf(items, total, q);
  }

  async get(actor: Actor, personId: string, permission: Permission = 'identity.person.read'): Promise<PersonView> {
    const rows = await queryRows<PersonView>(this.db, `${VIEW_SQL} WHERE p.id = $1`, [personId]);
    const p = rows[0];
    if (!p || !isWithinAny(p.homeDivisionCode, actor.scopesFor(permission))) throw IdentityErrors.personNotFound();
    return p;
  }

  /** The one way a full ID number or phone leaves the server: permission-checked and audited. */
  async reveal(actor: Actor, personId: string, field: 'idNumber' | 'phone'): Promise<{ field: string; value: string | null }> {
    const p = await this.get(actor, personId, 'identity.person.reveal');
    const [row] = await this.db.query(`SELECT id_number_enc, phone_enc FROM person WHERE id = $1`, [personId]);
    const blob: Buffer | null = field === 'idNumber' ? row.id_number_enc : row.phone_enc;
    const value = blob ? this.pii.decrypt(blob) : null;
    await this.db.transaction((em) =>
      this.audit.record(em, {
        actor,
        action: 'pii.reveal',
        targetType: 'person',
        targetId: personId,
        targetDivision: p.homeDivisionCode,
        details: { field },
      }),
    );
    return { field, value };
  }

  /** Resolves a person by ID number (keyed hash lookup), for registration forms and imports. */
  async findIdByIdNumber(em: EntityManager, idNumber: string): Promise<string | null> {
    const rows = await queryRows<{ id: string }>(em, `SELECT id FROM person WHERE id_number_hash = $1`, [
      this.pii.hash('id', normalizeResidentId(idNumber)),
    ]);
    return rows[0]?.id ?? null;
  }
}
