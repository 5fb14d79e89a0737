import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { ancestorCodes, DivisionsService, isWithinAny } from '#divisions';
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
  ReadCache,
  textProblem,
  type Permission,
} from '#platform';
import { AccountsRepository } from './accounts.repository.js';
import { activationCodeHash } from './auth.service.js';
import { GrantsRepository } from './grants.repository.js';
import { IdentityErrors } from './identity.errors.js';
import { PeopleRepository } from './people.repository.js';
import { permissionsOf } from './permissions.js';
import { ROLE_NAMES, type Role } from './roles.js';
import { IdentityErrorCode } from './identity.errors.js';
import type { MeView, PersonView, RegisteredResident, RegisterResult, RevealedField } from './views.js';

export interface PersonInput {
  realName: string;
  idNumber: string;
  phone?: string | null;
  householdNo?: string | null;
  /** Village-level roles beyond resident: representative, party member, collective member. */
  extraRoles?: Role[];
  /** 无智能手机; undefined keeps what a person registered again has (a new person: false). */
  noSmartphone?: boolean;
  /** The helper who relays notices (checkHelper); undefined keeps what the person has. */
  helperPersonId?: string | null;
}

/** What to set of 无智能手机 and the helper: undefined leaves a field as it is, a null helper removes it. */
interface OfflineWish {
  noSmartphone?: boolean;
  helperPersonId?: string | null;
}

/** The 长治 calendar day of an instant, 'YYYY-MM-DD' (a helper is 18 or over on that day). */
const shanghaiDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

const ACTIVATION_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const ACTIVATION_TTL_MS = 30 * 86_400_000;

function newActivationCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ACTIVATION_ALPHABET[randomInt(ACTIVATION_ALPHABET.length)];
  return s;
}

/** The village register: people, their resident grants, and their accounts. */
@Injectable()
export class PeopleService {
  constructor(
    private readonly db: DataSource,
    private readonly people: PeopleRepository,
    private readonly accounts: AccountsRepository,
    private readonly grants: GrantsRepository,
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
    private readonly divisions: DivisionsService,
    private readonly clock: Clock,
    private readonly cache: ReadCache,
  ) {}

  /** Checks one input; returns the problems as (column, code, message) without touching the database. */
  validate(input: PersonInput): { column: string; code: string; message: string }[] {
    const errs: { column: string; code: string; message: string }[] = [];
    const name = input.realName?.trim() ?? '';
    const nameProblem = textProblem(name, 'line');
    if (name.length < 1 || name.length > 50)
      errs.push({ column: '姓名', code: IdentityErrorCode.nameInvalid, message: '姓名应为 1–50 个字符' });
    else if (nameProblem) errs.push({ column: '姓名', code: IdentityErrorCode.nameInvalid, message: `姓名${nameProblem}` });
    const id = checkResidentId(input.idNumber ?? '');
    if (!id.ok) {
      const e = IdentityErrors.idNumberInvalid(id.problem);
      errs.push({ column: '身份证号', code: e.code, message: e.message });
    }
    if (input.phone && !isMobile(input.phone)) {
      errs.push({ column: '手机号', code: IdentityErrorCode.mobileInvalid, message: IdentityErrors.mobileInvalid().message });
    }
    const householdProblem = input.householdNo ? textProblem(input.householdNo, 'line') : null;
    if (input.householdNo && input.householdNo.length > 40)
      errs.push({ column: '户号', code: IdentityErrorCode.householdInvalid, message: '户号过长' });
    else if (householdProblem) errs.push({ column: '户号', code: IdentityErrorCode.householdInvalid, message: `户号${householdProblem}` });
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
    const e = await this.people.lockByIdNumberHash(em, idHash);
    let personId: string;
    let created = false;
    let changed = false;
    let helpersCleared = 0;
    if (e) {
      personId = e.id;
      // A person registered in another village is moved only by someone whose scope covers the old village too.
      if (e.home_division_code !== villageCode && !isWithinAny(e.home_division_code, actor.scopesFor('identity.register.write'))) {
        throw IdentityErrors.personDuplicate();
      }
      // A helper is of the same village: a move ends the helping both ways.
      if (e.home_division_code !== villageCode) helpersCleared = await this.people.clearHelpersOnMove(em, personId);
      const same =
        e.home_division_code === villageCode &&
        e.real_name === input.realName.trim() &&
        (e.household_no ?? null) === (input.householdNo || null) &&
        ((e.phone_hash === null && phoneHash === null) || (!!e.phone_hash && !!phoneHash && e.phone_hash.equals(phoneHash)));
      if (!same) {
        changed = true;
        await this.people.update(em, personId, {
          real_name: input.realName.trim(),
          phone_enc: phone ? this.pii.encrypt(phone) : null,
          phone_hash: phoneHash,
          phone_masked: phone ? maskMobile(phone) : null,
          household_no: input.householdNo || null,
          home_division_code: villageCode,
        });
      }
    } else {
      personId = await this.people.insert(em, {
        real_name: input.realName.trim(),
        id_number_enc: this.pii.encrypt(idNumber),
        id_number_hash: idHash,
        id_number_masked: maskResidentId(idNumber),
        birth_date: checked.birthDate,
        gender: checked.gender,
        phone_enc: phone ? this.pii.encrypt(phone) : null,
        phone_hash: phoneHash,
        phone_masked: phone ? maskMobile(phone) : null,
        home_division_code: villageCode,
        household_no: input.householdNo || null,
        is_demo: opts.isDemo ?? false,
      });
      created = true;
    }
    const offline = await this.applyOffline(em, personId, villageCode, {
      noSmartphone: input.noSmartphone,
      helperPersonId: input.helperPersonId,
    });
    if (offline) changed = true;
    const roles: Role[] = ['resident', ...(input.extraRoles ?? [])];
    const added = await this.grants.ensureMany(em, personId, roles, villageCode, actor.accountId);
    if (added.length) changed = true;
    let activationCode: string | null = null;
    if (phone && phoneHash) {
      if (!(await this.accounts.accountIdOfPerson(em, personId))) {
        if (await this.accounts.phoneTaken(em, phoneHash)) throw IdentityErrors.phoneTaken();
        if (opts.passwordHash) {
          await this.accounts.addActiveAccount(em, personId, phoneHash, opts.passwordHash);
          changed = true;
        } else {
          activationCode = newActivationCode();
          const expires = new Date(this.clock.now().getTime() + ACTIVATION_TTL_MS);
          await this.accounts.addPendingAccount(em, personId, phoneHash, activationCodeHash(activationCode), expires);
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
      details: {
        rolesAdded: added,
        account: activationCode ? 'pending' : null,
        ...(offline ?? {}),
        ...(helpersCleared ? { helpersCleared } : {}),
      },
    });
    return { personId, created, activationCode };
  }

  /** Registers one resident of the village (its own transaction) and answers the person as now registered. */
  async register(actor: Actor, villageCode: string, input: PersonInput): Promise<RegisteredResident> {
    await this.assertVillageInScope(actor, villageCode, 'identity.register.write');
    const result = await this.db.transaction((em) => this.registerResident(em, actor, villageCode, input));
    return { ...result, person: await this.get(actor, result.personId) };
  }

  /**
   * Sets 无智能手机 and the helper of a person of `villageCode` (locked), where they differ from what is
   * stored; answers what changed (for the audit), or null. A helper must be a registered person of the same
   * village, 18 or over today, and not the person. The same household is not required: a grown child who
   * set up a household of their own (分户) is the usual helper of an elderly parent (docs/decisions/018).
   */
  private async applyOffline(
    em: EntityManager,
    personId: string,
    villageCode: string,
    want: OfflineWish,
  ): Promise<{ noSmartphone?: { from: boolean; to: boolean }; helperPersonId?: { from: string | null; to: string | null } } | null> {
    if (want.noSmartphone === undefined && want.helperPersonId === undefined) return null;
    const now = await this.people.lockOfflineFacts(em, personId);
    if (!now) throw IdentityErrors.personNotFound();
    const noSmartphone = want.noSmartphone ?? now.noSmartphone;
    const helper = want.helperPersonId === undefined ? now.helperPersonId : want.helperPersonId;
    if (helper !== null && helper !== now.helperPersonId) await this.checkHelper(em, personId, villageCode, helper);
    if (noSmartphone === now.noSmartphone && helper === now.helperPersonId) return null;
    await this.people.setOffline(em, personId, { no_smartphone: noSmartphone, helper_person_id: helper });
    return {
      ...(noSmartphone !== now.noSmartphone ? { noSmartphone: { from: now.noSmartphone, to: noSmartphone } } : {}),
      ...(helper !== now.helperPersonId ? { helperPersonId: { from: now.helperPersonId, to: helper } } : {}),
    };
  }

  private async checkHelper(em: EntityManager, personId: string, villageCode: string, helperId: string): Promise<void> {
    if (helperId === personId) throw IdentityErrors.helperIsSelf();
    const h = await this.people.helperFacts(em, helperId, shanghaiDay(this.clock.now()));
    if (!h || h.homeDivisionCode !== villageCode) throw IdentityErrors.helperNotInVillage();
    if (!h.adult) throw IdentityErrors.helperUnderage();
  }

  /** 无智能手机 and the helper of one person, by a cadre whose scope holds the person's village; audited. */
  async setOffline(actor: Actor, personId: string, body: { noSmartphone: boolean; helperPersonId: string | null }): Promise<PersonView> {
    await this.db.transaction(async (em) => {
      const home = (await this.people.lockOfflineFacts(em, personId))?.homeDivisionCode;
      if (!home || !isWithinAny(home, actor.scopesFor('identity.register.write'))) throw IdentityErrors.personNotFound();
      const changes = await this.applyOffline(em, personId, home, body);
      if (!changes) return;
      await this.audit.record(em, {
        actor,
        action: 'register.person_offline',
        targetType: 'person',
        targetId: personId,
        targetDivision: home,
        details: changes,
      });
    });
    return this.get(actor, personId);
  }

  async assertVillageInScope(actor: Actor, villageCode: string, permission: Permission): Promise<void> {
    if (!isWithinAny(villageCode, actor.scopesFor(permission))) throw IdentityErrors.personNotFound();
    if (!(await this.divisions.exists(villageCode, 'village'))) throw IdentityErrors.divisionNotVillage();
  }

  async list(
    actor: Actor,
    q: { divisionCode?: string; q?: string; role?: Role; noSmartphone?: boolean; page: number; pageSize: number },
  ): Promise<Page<PersonView>> {
    const scopes = actor.scopesFor('identity.person.read');
    const filter = { divisionCode: q.divisionCode, q: q.q, role: q.role, noSmartphone: q.noSmartphone };
    const total = await this.people.count(scopes, filter);
    const items = await this.people.list(scopes, filter, q.pageSize, (q.page - 1) * q.pageSize);
    return pageOf(items, total, q);
  }

  async get(actor: Actor, personId: string, permission: Permission = 'identity.person.read'): Promise<PersonView> {
    const p = await this.people.view(personId);
    if (!p || !isWithinAny(p.homeDivisionCode, actor.scopesFor(permission))) throw IdentityErrors.personNotFound();
    return p;
  }

  /** The one way a full ID number or phone leaves the server: permission-checked and audited. */
  async reveal(actor: Actor, personId: string, field: 'idNumber' | 'phone'): Promise<RevealedField> {
    const p = await this.get(actor, personId, 'identity.person.reveal');
    const row = await this.people.secrets(personId);
    if (!row) throw IdentityErrors.personNotFound();
    const blob = field === 'idNumber' ? row.id_number_enc : row.phone_enc;
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
    return this.people.idByIdNumberHash(em, this.pii.hash('id', normalizeResidentId(idNumber)));
  }

  /** The signed-in person's register entry, grants and the names of their divisions (GET /me). */
  async me(actor: Actor): Promise<MeView> {
    const personId = actor.personId;
    // From the read cache, which a change of the person's row drops (`person:<id>`, decision 062).
    const p = personId
      ? await this.cache.get(
          `profile:${personId}`,
          () => this.people.profile(personId),
          (v) => (v ? [`person:${personId}`] : null),
        )
      : undefined;
    if (!p) throw IdentityErrors.personNotFound();
    const codes = [p.homeDivisionCode, ...actor.grants.map((g) => g.divisionCode)];
    const names = await this.divisions.namesOf([...codes, ...codes.flatMap(ancestorCodes)]);
    // 长治市 / 长子县 / …: the division's registered ancestors, the city first, then itself.
    const fullName = (code: string) =>
      [...ancestorCodes(code), code]
        .map((c) => names.get(c))
        .filter((n) => n !== undefined)
        .join(' / ');
    return {
      accountId: actor.accountId,
      personId: actor.personId,
      ...p,
      homeDivisionName: names.get(p.homeDivisionCode) ?? p.homeDivisionCode,
      grants: actor.grants.map((g) => {
        const role = g.role as Role;
        return {
          role,
          roleName: ROLE_NAMES[role],
          divisionCode: g.divisionCode,
          divisionName: names.get(g.divisionCode) ?? g.divisionCode,
          divisionFullName: names.has(g.divisionCode) ? fullName(g.divisionCode) : g.divisionCode,
          permissions: permissionsOf(role),
        };
      }),
    };
  }
}
