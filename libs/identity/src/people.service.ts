import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { type AuditEntry, AuditService } from '#audit';
import { ancestorCodes, DivisionsService, isWithinAny, normalizeScopes } from '#divisions';
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
import { IdentityErrors, PROBATION_WITHOUT_MEMBERSHIP } from './identity.errors.js';
import { type NewPerson, PeopleRepository, type PersonColumns } from './people.repository.js';
import { permissionsOf } from './permissions.js';
import { GRANTABLE, HELD_BESIDE, isPrivateRole, ROLE_NAMES, type Role } from './roles.js';
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

/** What an offline edit changed, as the audit row tells it. */
type OfflineChanges = {
  noSmartphone?: { from: boolean; to: boolean };
  helperPersonId?: { from: string | null; to: string | null };
};

/** A role given without the role it is held beside (留党察看 without 党员, HELD_BESIDE). */
const baseRoleMissing = (roles: readonly Role[]): boolean =>
  roles.some((r) => HELD_BESIDE[r] !== undefined && !roles.includes(HELD_BESIDE[r]));

/** Where the actor sees a private role on another person: the divisions at and under the grants that may grant it. */
const privateRoleScopes = (actor: Actor, role: Role): string[] =>
  normalizeScopes(actor.grants.filter((g) => GRANTABLE[g.role as Role]?.includes(role)).map((g) => g.divisionCode));

/** The divisions inside both sets of scopes. */
const intersectScopes = (a: readonly string[], b: readonly string[]): string[] =>
  normalizeScopes([...a.filter((s) => isWithinAny(s, b)), ...b.filter((s) => isWithinAny(s, a))]);

/**
 * The person's roles as this reader may see them: a private role (留党察看, a disciplinary sanction) only for
 * a reader who may grant it at the person's village (decision 065); the 村务监督委员会, which reads the
 * register but grants nothing, does not see it.
 */
function withVisibleRoles(actor: Actor, p: PersonView): PersonView {
  const hidden = p.roles.filter((r) => isPrivateRole(r) && !isWithinAny(p.homeDivisionCode, privateRoleScopes(actor, r)));
  return hidden.length ? { ...p, roles: p.roles.filter((r) => !hidden.includes(r)) } : p;
}

/** The 长治 calendar day of an instant, 'YYYY-MM-DD' (a helper is 18 or over on that day). */
const shanghaiDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

const ACTIVATION_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const ACTIVATION_TTL_MS = 30 * 86_400_000;
/** The register's list counts up to this many matching people and then says "more than" (Page.totalCapped). */
export const PEOPLE_COUNT_CAP = 10_000;

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
    if (baseRoleMissing(input.extraRoles ?? []))
      errs.push({ column: '留党察看', code: IdentityErrorCode.probationWithoutMembership, message: PROBATION_WITHOUT_MEMBERSHIP });
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
    return (await this.registerResidents(em, actor, villageCode, [input], opts))[0];
  }

  /**
   * registerResident for many people (a register import), with a statement per step for all of them
   * instead of some eight per person: a 5,000-person register was 35,000 round trips. A person registered
   * again as they are (same village, name, household and phone; no new role, flag or account) is neither
   * written nor audited. The first problem found fails the whole batch, with the caller's transaction.
   */
  async registerResidents(
    em: EntityManager,
    actor: Actor,
    villageCode: string,
    inputs: readonly PersonInput[],
    opts: { isDemo?: boolean; passwordHash?: string } = {},
  ): Promise<RegisterResult[]> {
    // A password set without the policy (the published demo password) is for demo people only.
    if (opts.passwordHash && !opts.isDemo) throw new Error('registerResident: passwordHash is only for demo people');
    const rows = inputs.map((input) => {
      if (baseRoleMissing(input.extraRoles ?? [])) throw IdentityErrors.probationWithoutMembership();
      const idNumber = normalizeResidentId(input.idNumber);
      const checked = checkResidentId(idNumber);
      if (!checked.ok) throw IdentityErrors.idNumberInvalid(checked.problem);
      if (input.phone && !isMobile(input.phone)) throw IdentityErrors.mobileInvalid();
      const phone = input.phone || null;
      return {
        input,
        idNumber,
        birth: checked,
        idHash: this.pii.hash('id', idNumber),
        phone,
        phoneHash: phone ? this.pii.hash('phone', phone) : null,
        personId: '',
        created: false,
        changed: false,
        helpersCleared: 0,
      };
    });
    if (new Set(rows.map((r) => r.idHash.toString('hex'))).size !== rows.length) throw new Error('registerResidents: an ID number twice');

    const locked = await this.people.lockByIdNumberHashes(
      em,
      rows.map((r) => r.idHash),
    );
    const registered = new Map(locked.map((e) => [e.id_number_hash.toString('hex'), e]));
    const writable = actor.scopesFor('identity.register.write');
    const updates: (PersonColumns & { id: string })[] = [];
    const fresh: NewPerson[] = [];
    for (const r of rows) {
      const e = registered.get(r.idHash.toString('hex'));
      // The phone is encrypted only for a row that is written (a fresh nonce each time).
      const columns = (): PersonColumns => ({
        real_name: r.input.realName.trim(),
        phone_enc: r.phone ? this.pii.encrypt(r.phone) : null,
        phone_hash: r.phoneHash,
        phone_masked: r.phone ? maskMobile(r.phone) : null,
        household_no: r.input.householdNo || null,
        home_division_code: villageCode,
      });
      if (!e) {
        fresh.push({
          ...columns(),
          id_number_enc: this.pii.encrypt(r.idNumber),
          id_number_hash: r.idHash,
          id_number_masked: maskResidentId(r.idNumber),
          birth_date: r.birth.birthDate,
          gender: r.birth.gender,
          is_demo: opts.isDemo ?? false,
        });
        r.created = true;
        continue;
      }
      r.personId = e.id;
      // A person registered in another village is moved only by someone whose scope covers the old village too.
      if (e.home_division_code !== villageCode && !isWithinAny(e.home_division_code, writable)) throw IdentityErrors.personDuplicate();
      // A helper is of the same village: a move ends the helping both ways.
      if (e.home_division_code !== villageCode) r.helpersCleared = await this.people.clearHelpersOnMove(em, e.id);
      const same =
        e.home_division_code === villageCode &&
        e.real_name === r.input.realName.trim() &&
        (e.household_no ?? null) === (r.input.householdNo || null) &&
        ((e.phone_hash === null && r.phoneHash === null) || (!!e.phone_hash && !!r.phoneHash && e.phone_hash.equals(r.phoneHash)));
      if (!same) {
        r.changed = true;
        updates.push({ ...columns(), id: e.id });
      }
    }
    await this.people.updateMany(em, updates);
    const ids = await this.people.insertMany(em, fresh);
    for (const r of rows) if (r.created) r.personId = ids.get(r.idHash.toString('hex'))!;

    const offline = await this.applyOfflineMany(
      em,
      villageCode,
      rows.map((r) => ({ personId: r.personId, want: { noSmartphone: r.input.noSmartphone, helperPersonId: r.input.helperPersonId } })),
    );
    const added = new Map<string, Role[]>();
    for (const g of await this.grants.ensureManyOf(
      em,
      rows.map((r) => ({ personId: r.personId, roles: ['resident', ...(r.input.extraRoles ?? [])] as Role[] })),
      villageCode,
      actor.accountId,
    )) {
      added.set(g.personId, [...(added.get(g.personId) ?? []), g.role]);
    }

    // An account for each person given a phone who has none; a phone another account signs in with is refused.
    const withPhone = rows.filter((r) => r.phoneHash);
    const hasAccount = await this.accounts.personsWithAccounts(
      em,
      withPhone.map((r) => r.personId),
    );
    const needAccount = withPhone.filter((r) => !hasAccount.has(r.personId));
    const taken = await this.accounts.phonesTaken(
      em,
      needAccount.map((r) => r.phoneHash!),
    );
    const activation = new Map<string, string>();
    const expires = new Date(this.clock.now().getTime() + ACTIVATION_TTL_MS);
    const accounts = needAccount.map((r) => {
      const h = r.phoneHash!.toString('hex');
      if (taken.has(h)) throw IdentityErrors.phoneTaken();
      taken.add(h);
      if (opts.passwordHash)
        return { personId: r.personId, phoneHash: r.phoneHash!, passwordHash: opts.passwordHash, codeHash: null, expires: null };
      const code = newActivationCode();
      activation.set(r.personId, code);
      return { personId: r.personId, phoneHash: r.phoneHash!, passwordHash: null, codeHash: activationCodeHash(code), expires };
    });
    await this.accounts.addAccounts(em, accounts);
    const gotAccount = new Set(accounts.map((a) => a.personId));

    const audited: AuditEntry[] = [];
    const results = rows.map((r): RegisterResult => {
      const rolesAdded = added.get(r.personId) ?? [];
      const offlineChanges = offline.get(r.personId) ?? null;
      const activationCode = activation.get(r.personId) ?? null;
      const changed = r.changed || offlineChanges !== null || rolesAdded.length > 0 || gotAccount.has(r.personId);
      if (r.created || changed)
        audited.push({
          actor,
          action: r.created ? 'register.person_create' : 'register.person_update',
          targetType: 'person',
          targetId: r.personId,
          targetDivision: villageCode,
          details: {
            rolesAdded,
            account: activationCode ? 'pending' : null,
            ...(offlineChanges ?? {}),
            ...(r.helpersCleared ? { helpersCleared: r.helpersCleared } : {}),
          },
          restricted: rolesAdded.some(isPrivateRole),
        });
      return { personId: r.personId, created: r.created, activationCode };
    });
    await this.audit.recordMany(em, audited);
    return results;
  }

  /** Registers one resident of the village (its own transaction) and answers the person as now registered. */
  async register(actor: Actor, villageCode: string, input: PersonInput): Promise<RegisteredResident> {
    await this.assertVillageInScope(actor, villageCode, 'identity.register.write');
    const result = await this.db.transaction((em) => this.registerResident(em, actor, villageCode, input));
    return { ...result, person: await this.get(actor, result.personId) };
  }

  /**
   * Sets 无智能手机 and the helper of people of `villageCode` (locked), where they differ from what is
   * stored; answers what changed for each (for the audit; absent: nothing). A helper must be a registered
   * person of the same village, 18 or over today, and not the person. The same household is not required:
   * a grown child who set up a household of their own (分户) is the usual helper of an elderly parent
   * (docs/decisions/018).
   */
  private async applyOfflineMany(
    em: EntityManager,
    villageCode: string,
    wishes: readonly { personId: string; want: OfflineWish }[],
  ): Promise<Map<string, OfflineChanges>> {
    const asked = wishes.filter((w) => w.want.noSmartphone !== undefined || w.want.helperPersonId !== undefined);
    const facts = new Map(
      (
        await this.people.lockOfflineFactsOf(
          em,
          asked.map((w) => w.personId),
        )
      ).map((f) => [f.id, f]),
    );
    const out = new Map<string, OfflineChanges>();
    const updates: { id: string; no_smartphone: boolean; helper_person_id: string | null }[] = [];
    for (const { personId, want } of asked) {
      const now = facts.get(personId);
      if (!now) throw IdentityErrors.personNotFound();
      const noSmartphone = want.noSmartphone ?? now.noSmartphone;
      const helper = want.helperPersonId === undefined ? now.helperPersonId : want.helperPersonId;
      if (helper !== null && helper !== now.helperPersonId) await this.checkHelper(em, personId, villageCode, helper);
      if (noSmartphone === now.noSmartphone && helper === now.helperPersonId) continue;
      updates.push({ id: personId, no_smartphone: noSmartphone, helper_person_id: helper });
      out.set(personId, {
        ...(noSmartphone !== now.noSmartphone ? { noSmartphone: { from: now.noSmartphone, to: noSmartphone } } : {}),
        ...(helper !== now.helperPersonId ? { helperPersonId: { from: now.helperPersonId, to: helper } } : {}),
      });
    }
    await this.people.setOfflineMany(em, updates);
    return out;
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
      const changes = (await this.applyOfflineMany(em, home, [{ personId, want: body }])).get(personId);
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
    // Asked for the holders of a private role: only where the reader may see it (elsewhere nobody is listed).
    const listed = q.role && isPrivateRole(q.role) ? intersectScopes(scopes, privateRoleScopes(actor, q.role)) : scopes;
    // The same for every reader of the same divisions: from the read cache, dropped by any change to a person,
    // account status or grant of a village inside (`register:<village>`, decision 063).
    const { total, items } = await this.cache.get(
      `people:${JSON.stringify([listed, filter, q.page, q.pageSize])}`,
      async () => ({
        total: await this.people.count(listed, filter, PEOPLE_COUNT_CAP),
        items: await this.people.list(listed, filter, q.pageSize, (q.page - 1) * q.pageSize),
      }),
      () => (filter.divisionCode ? [filter.divisionCode] : listed).map((c) => `register:${c}`),
    );
    const visible = items.map((p) => withVisibleRoles(actor, p));
    return total > PEOPLE_COUNT_CAP ? { ...pageOf(visible, PEOPLE_COUNT_CAP, q), totalCapped: true } : pageOf(visible, total, q);
  }

  async get(actor: Actor, personId: string, permission: Permission = 'identity.person.read'): Promise<PersonView> {
    const p = await this.people.view(personId);
    if (!p || !isWithinAny(p.homeDivisionCode, actor.scopesFor(permission))) throw IdentityErrors.personNotFound();
    return withVisibleRoles(actor, p);
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
