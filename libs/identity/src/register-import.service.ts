import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Actor, checkResidentId, normalizeResidentId, parseCsv, PiiCipher } from '#platform';
import { AccountsRepository } from './accounts.repository.js';
import { IdentityErrorCode, IdentityErrors } from './identity.errors.js';
import { PeopleRepository } from './people.repository.js';
import { PeopleService, type PersonInput } from './people.service.js';
import type { Role } from './roles.js';
import type { RegisterImportResult, RegisterRowError } from './views.js';

export type RowError = RegisterRowError;

const REQUIRED = ['姓名', '身份证号'];
const ROLE_COLUMNS: Record<string, Role> = {
  村民代表: 'village_representative',
  党员: 'party_member',
  预备党员: 'probationary_party_member',
  // 是 while the member is under 留党察看 (with 党员 是 on the same row); the sanction's end is a revocation on the grants page.
  留党察看: 'party_member_under_probation',
  村民委员会成员: 'committee_member',
  集体经济组织成员: 'collective_member',
};
const YES = new Set(['是', 'Y', 'y', '1', 'TRUE', 'true', '√']);
const NO = new Set(['否', 'N', 'n', '0', 'FALSE', 'false', '×']);
const NO_SMARTPHONE = '无智能手机';

/** 无智能手机's cell: 是 / 否, or empty (a person registered again keeps their flag; a new one is false). */
function yesNo(cell: string | undefined): boolean | undefined | 'invalid' {
  const v = (cell ?? '').trim();
  if (!v) return undefined;
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return 'invalid';
}

/**
 * CSV import of a village register. Columns: 姓名, 身份证号, 手机号, 户号, and optional 是/否 columns
 * 村民代表, 党员, 预备党员, 留党察看, 村民委员会成员, 集体经济组织成员 (是 adds the role; nothing removes one) and 无智能手机
 * (是 or 否 sets the flag, empty leaves it; the helper is chosen on the person's page). All-or-nothing: every row is checked first and any error aborts with
 * a row-by-row report; re-importing the same file changes nothing.
 */
@Injectable()
export class RegisterImportService {
  constructor(
    private readonly db: DataSource,
    private readonly people: PeopleService,
    private readonly register: PeopleRepository,
    private readonly accounts: AccountsRepository,
    private readonly pii: PiiCipher,
  ) {}

  parse(csv: string): { inputs: { row: number; input: PersonInput }[]; errors: RowError[] } {
    const { header, rows } = parseCsv(csv);
    if (!header.length) throw IdentityErrors.csvEmpty();
    const missing = REQUIRED.filter((h) => !header.includes(h));
    if (missing.length) throw IdentityErrors.csvHeader(missing);
    const errors: RowError[] = [];
    const inputs: { row: number; input: PersonInput }[] = [];
    const seenIds = new Map<string, number>();
    const seenPhones = new Map<string, number>();
    for (const r of rows) {
      const v = r.values;
      const noSmartphone = yesNo(v[NO_SMARTPHONE]);
      if (noSmartphone === 'invalid')
        errors.push({
          row: r.line,
          column: NO_SMARTPHONE,
          code: IdentityErrorCode.yesNoInvalid,
          message: '无智能手机一栏应填"是"或"否"，或留空',
        });
      const input: PersonInput = {
        realName: v['姓名'] ?? '',
        idNumber: normalizeResidentId(v['身份证号'] ?? ''),
        phone: v['手机号'] || null,
        householdNo: v['户号'] || null,
        extraRoles: Object.entries(ROLE_COLUMNS)
          .filter(([col]) => YES.has(v[col] ?? ''))
          .map(([, role]) => role),
        noSmartphone: noSmartphone === 'invalid' ? undefined : noSmartphone,
      };
      for (const e of this.people.validate(input)) errors.push({ row: r.line, ...e });
      if (checkResidentId(input.idNumber).ok) {
        const prev = seenIds.get(input.idNumber);
        if (prev)
          errors.push({ row: r.line, column: '身份证号', code: IdentityErrorCode.duplicateInFile, message: `与第 ${prev} 行身份证号重复` });
        else seenIds.set(input.idNumber, r.line);
      }
      if (input.phone) {
        const prev = seenPhones.get(input.phone);
        if (prev)
          errors.push({ row: r.line, column: '手机号', code: IdentityErrorCode.duplicateInFile, message: `与第 ${prev} 行手机号重复` });
        else seenPhones.set(input.phone, r.line);
      }
      inputs.push({ row: r.line, input });
    }
    return { inputs, errors };
  }

  async import(actor: Actor, villageCode: string, csv: string, opts: { dryRun?: boolean } = {}): Promise<RegisterImportResult> {
    await this.people.assertVillageInScope(actor, villageCode, 'identity.register.write');
    const { inputs, errors } = this.parse(csv);
    // Conflicts with the database: an ID number registered in a village outside the caller's scope,
    // a phone already used by another person's account.
    if (!errors.length && inputs.length) {
      // Each row's hashes once, looked up by hex: a search per answer row made a re-import quadratic (80 s for 5,000).
      const idHashes = inputs.map((i) => this.pii.hash('id', i.input.idNumber));
      const byIdHash = new Map(idHashes.map((h, k) => [h.toString('hex'), inputs[k]]));
      const elsewhere = await this.register.homesByIdNumberHashes(idHashes);
      const writable = actor.scopesFor('identity.register.write');
      for (const e of elsewhere) {
        if (e.home !== villageCode && !writable.some((s) => e.home.startsWith(s))) {
          const i = byIdHash.get(e.h.toString('hex'))!;
          errors.push({ row: i.row, column: '身份证号', code: IdentityErrorCode.personDuplicate, message: '该身份证号已在其他村登记' });
        }
      }
      const withPhone = inputs.flatMap((i, k) =>
        i.input.phone ? [{ i, h: this.pii.hash('phone', i.input.phone), idh: idHashes[k] }] : [],
      );
      const byPhoneHash = new Map(withPhone.map((w) => [w.h.toString('hex'), w]));
      for (const pr of await this.accounts.phoneHolders(withPhone.map((w) => w.h))) {
        const w = byPhoneHash.get(pr.h.toString('hex'))!;
        if (!w.idh.equals(pr.idh)) {
          errors.push({ row: w.i.row, column: '手机号', code: IdentityErrorCode.phoneTaken, message: '该手机号已被其他人的账号使用' });
        }
      }
    }
    if (errors.length) {
      errors.sort((a, b) => a.row - b.row);
      throw IdentityErrors.csvRows(errors);
    }
    if (opts.dryRun) return { total: inputs.length, created: 0, updated: 0, dryRun: true, activationCodes: [] };
    const registered = await this.db.transaction((em) =>
      this.people.registerResidents(
        em,
        actor,
        villageCode,
        inputs.map((i) => i.input),
      ),
    );
    const results = registered.map((r, k) => ({ ...r, row: inputs[k].row, realName: inputs[k].input.realName }));
    return {
      total: inputs.length,
      created: results.filter((r) => r.created).length,
      updated: results.filter((r) => !r.created).length,
      dryRun: false,
      activationCodes: results.flatMap((r) =>
        r.activationCode ? [{ row: r.row, realName: r.realName, personId: r.personId, activationCode: r.activationCode }] : [],
      ),
    };
  }
}
