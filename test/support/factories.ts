import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashPassword, type Role } from '#identity';
import { maskMobile, maskResidentId, PiiCipher, residentIdCheckChar } from '#platform';
import type { Api } from './http.js';
import { queryRows } from './sql.js';

export const TEST_PASSWORD = 'Village-Test-2026';

/** Two villages in two townships of 长子县, for testing every scope rule from inside and outside. */
export const VILLAGE_A = '140428101200'; // 鲍店东街村, 鲍店镇
export const VILLAGE_A2 = '140428101201'; // 鲍店南街村, 鲍店镇
export const TOWNSHIP_A = '140428101';
export const VILLAGE_B = '140428102200'; // 石哲西村, 石哲镇
export const TOWNSHIP_B = '140428102';
export const COUNTY = '140428';
export const CITY = '1404';

export interface GivenPerson {
  personId: string;
  idNumber: string;
  phone: string | null;
  realName: string;
}

export interface GivenUser extends GivenPerson {
  accountId: string;
  phone: string;
  password: string;
  token: string;
  refreshToken: string;
}

let passwordHash: Promise<string> | null = null;
let counter = randomInt(0, 900_000);

/** A valid ID number with a chosen birth date, unique within the run. */
export function makeIdNumber(birth = '1980-06-15', male = true): string {
  counter++;
  const seq = String((counter % 500) * 2 + (male ? 1 : 0)).padStart(3, '0');
  // Vary the address code's last digits too, so numbers stay unique across many people per day.
  const addr = `1404${String(Math.floor(counter / 500) % 100).padStart(2, '0')}`;
  const body = `${addr}${birth.replace(/-/g, '')}${seq}`;
  return body + residentIdCheckChar(body);
}

export function makePhone(): string {
  counter++;
  return `17${String(counter).padStart(9, '0').slice(-9)}`;
}

export class Factories {
  private readonly pii: PiiCipher;

  constructor(
    private readonly db: DataSource,
    private readonly api: Api,
    app: NestFastifyApplication,
  ) {
    this.pii = app.get(PiiCipher);
  }

  /** A person in the register of `home` with the given village roles (resident always). */
  async person(
    home: string,
    opts: { birth?: string; roles?: Role[]; phone?: string | null; name?: string; household?: string } = {},
  ): Promise<GivenPerson> {
    const idNumber = makeIdNumber(opts.birth ?? '1980-06-15', counter % 2 === 0);
    const phone = opts.phone === undefined ? makePhone() : opts.phone;
    const realName = opts.name ?? `测试${counter}`;
    const [{ id }] = await queryRows<{ id: string }>(
      this.db,
      `INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, phone_enc, phone_hash, phone_masked, home_division_code, household_no)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        realName,
        this.pii.encrypt(idNumber),
        this.pii.hash('id', idNumber),
        maskResidentId(idNumber),
        opts.birth ?? '1980-06-15',
        Number(idNumber[16]) % 2 === 1 ? 'M' : 'F',
        phone ? this.pii.encrypt(phone) : null,
        phone ? this.pii.hash('phone', phone) : null,
        phone ? maskMobile(phone) : null,
        home,
        opts.household ?? null,
      ],
    );
    for (const role of opts.roles ?? []) await this.grant(id, role, home);
    return { personId: id, idNumber, phone, realName };
  }

  async grant(personId: string, role: Role, divisionCode: string): Promise<void> {
    await this.db.query(
      `INSERT INTO role_grant (person_id, role, division_code) VALUES ($1, $2, $3)
       ON CONFLICT (person_id, role, division_code) WHERE revoked_at IS NULL DO NOTHING`,
      [personId, role, divisionCode],
    );
  }

  /** A person with an active account holding `role` at `divisionCode`, logged in over HTTP. */
  async user(role: Role, divisionCode: string, opts: { home?: string; extraRoles?: Role[]; birth?: string } = {}): Promise<GivenUser> {
    const home = opts.home ?? (divisionCode.length === 12 ? divisionCode : divisionCode);
    const p = await this.person(home, { birth: opts.birth });
    await this.grant(p.personId, role, divisionCode);
    for (const r of opts.extraRoles ?? []) await this.grant(p.personId, r, divisionCode);
    passwordHash ??= hashPassword(TEST_PASSWORD);
    const [{ id: accountId }] = await queryRows<{ id: string }>(
      this.db,
      `INSERT INTO account (person_id, login_phone_hash, password_hash, status) VALUES ($1, $2, $3, 'active') RETURNING id`,
      [p.personId, this.pii.hash('phone', p.phone!), await passwordHash],
    );
    const res = await this.api.post('/api/v1/auth/login', { phone: p.phone, password: TEST_PASSWORD });
    if (res.status !== 200) throw new Error(`login failed for test user: ${res.status} ${JSON.stringify(res.body)}`);
    return { ...p, phone: p.phone!, accountId, password: TEST_PASSWORD, token: res.body.accessToken, refreshToken: res.body.refreshToken };
  }
}
