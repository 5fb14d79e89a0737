import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { AuditService } from '#audit';
import { hashPassword } from '#identity';
import { checkResidentId, loadConfig, maskResidentId, PiiCipher } from '#platform';
import { createApp } from '../../apps/api/src/bootstrap.js';
import { CITY_BENCH_PASSWORD, type CityReport, seedCity } from '../../seeds/city/city.js';
import { createTestDatabase } from '../support/test-db.js';

// The city generator (npm run seed:city) at a tiny scale, checked on the rows it wrote.
const SCALE = 0.0005;
let database: { url: string; drop: () => Promise<void> };
let db: pg.Client;
let report: CityReport;
let app: NestFastifyApplication;
const config = loadConfig({ NODE_ENV: 'test', JOBS_ENABLED: 'false', DB_POOL_SIZE: '4' });
const pii = new PiiCipher(config.piiEncryptionKey, config.piiHashKey);

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await db.query(sql, params)).rows[0] as T;
}

beforeAll(async () => {
  database = await createTestDatabase();
  report = await seedCity({ url: database.url, scale: SCALE, pii, passwordHash: await hashPassword(CITY_BENCH_PASSWORD) });
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  app = await createApp({ ...config, databaseUrl: database.url });
  await app.listen({ port: 0, host: '127.0.0.1' });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await db?.end();
  await database?.drop();
});

const rowsOf = (table: string) => report.parts.reduce((n, p) => n + (p.rows[table] ?? 0), 0);

describe('seed:city', () => {
  it('writes the counts it reports, every part of the city, and a third or more of the people with accounts', async () => {
    for (const table of [
      'person',
      'account',
      'role_grant',
      'proposal',
      'vote',
      'ballot_choice',
      'mediation_case',
      'collective_org',
      'disclosure',
      'audit_log',
    ]) {
      const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect({ table, n }).toEqual({ table, n: rowsOf(table) });
      expect(n).toBeGreaterThan(0);
    }
    expect(rowsOf('person')).toBeGreaterThanOrEqual(Math.round(1_500_000 * SCALE));
    expect(rowsOf('audit_log')).toBe(Math.round(50_000_000 * SCALE));
    expect(rowsOf('account') * 3).toBeGreaterThanOrEqual(rowsOf('person'));
    // Every role the benchmark signs in as, each in a division of its own level.
    const levels: Record<string, number> = { resident: 12, township_staff: 9, county_admin: 6, city_admin: 4, village_committee: 12 };
    for (const [role, len] of Object.entries(levels)) {
      const sample = report.manifest.accounts[role];
      expect(sample?.length).toBeGreaterThan(0);
      const g = await one<{ n: number }>(
        `SELECT count(*)::int AS n FROM role_grant g JOIN account a ON a.person_id = g.person_id WHERE a.id = $1 AND g.role = $2 AND g.division_code = $3`,
        [sample[0].accountId, role, sample[0].divisionCode],
      );
      expect({ role, n: g.n, len: sample[0].divisionCode.length }).toEqual({ role, n: 1, len });
    }
  });

  it('stores ID numbers the app can decrypt: valid check characters, unique, hashed and masked as the register does', async () => {
    const { rows } = await db.query<{
      id_number_enc: Buffer;
      id_number_hash: Buffer;
      id_number_masked: string;
      birth_date: string;
      gender: string;
    }>(`SELECT id_number_enc, id_number_hash, id_number_masked, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, gender FROM person`);
    const seen = new Set<string>();
    const bad: string[] = [];
    for (const r of rows) {
      const idn = pii.decrypt(r.id_number_enc);
      const c = checkResidentId(idn);
      if (!c.ok || c.birthDate !== r.birth_date || c.gender !== r.gender) bad.push(idn);
      if (!pii.hash('id', idn).equals(r.id_number_hash) || maskResidentId(idn) !== r.id_number_masked) bad.push(idn);
      seen.add(idn);
    }
    expect(bad).toEqual([]);
    expect(seen.size).toBe(rows.length);
  });

  it('lets a generated account sign in with the documented password', async () => {
    const acc = report.manifest.accounts.resident[0];
    const { phone_enc } = await one<{ phone_enc: Buffer }>(`SELECT phone_enc FROM person WHERE id = $1`, [acc.personId]);
    const res = await fetch(`${await app.getUrl()}/api/v1/auth/login`.replace('[::1]', '127.0.0.1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: pii.decrypt(phone_enc), password: CITY_BENCH_PASSWORD }),
    });
    expect(res.status).toBeLessThan(300);
    const me = await fetch(`${await app.getUrl()}/api/v1/me`, {
      headers: { authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` },
    });
    expect(((await me.json()) as { personId: string }).personId).toBe(acc.personId);
  });

  it('keeps every vote count equal to its ballots, and secret choices unnamed', async () => {
    const mismatched = await one<{ n: number }>(`
      SELECT count(*)::int AS n FROM vote v
       WHERE v.status = 'closed' AND (
             v.participants <> (SELECT count(*) FROM ballot_participation b WHERE b.vote_id = v.id)
          OR v.participants <> (SELECT count(*) FROM ballot_choice c WHERE c.vote_id = v.id)
          OR v.yes_count <> (SELECT count(*) FROM ballot_choice c WHERE c.vote_id = v.id AND c.choice = 'yes')
          OR v.no_count <> (SELECT count(*) FROM ballot_choice c WHERE c.vote_id = v.id AND c.choice = 'no')
          OR v.abstain_count <> (SELECT count(*) FROM ballot_choice c WHERE c.vote_id = v.id AND c.choice = 'abstain')
          OR v.electorate <> (SELECT count(*) FROM vote_elector e WHERE e.vote_id = v.id))`);
    expect(mismatched.n).toBe(0);
    const closed = await one<{ n: number }>(`SELECT count(*)::int AS n FROM vote WHERE status = 'closed' AND participants > 0`);
    expect(closed.n).toBeGreaterThan(0);
    const named = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM ballot_choice WHERE (ballot_type = 'secret') = (voter_person_id IS NOT NULL)`,
    );
    expect(named.n).toBe(0);
    // A decided proposal's state follows its vote's outcome.
    const off = await one<{ n: number }>(`
      SELECT count(*)::int AS n FROM proposal p JOIN vote v ON v.proposal_id = p.id AND v.status = 'closed'
       WHERE NOT (CASE v.outcome WHEN 'passed' THEN p.status IN ('passed', 'announced', 'closed') ELSE p.status = v.outcome END)`);
    expect(off.n).toBe(0);
  });

  it('leaves every foreign key and index in place and valid, and the derived figures consistent', async () => {
    const fk = await one<{ n: number; invalid: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT convalidated)::int AS invalid FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
    );
    expect(fk.n).toBe(report.parts.find((p) => p.part === 'indexes and foreign keys')!.rows.foreign_keys);
    expect(fk.invalid).toBe(0);
    const idx = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid WHERE c.relnamespace = 'public'::regnamespace AND NOT (x.indisvalid AND x.indisready)`,
    );
    expect(idx.n).toBe(0);
    const stats = await one<{ cells: number; cases: number }>(
      `SELECT (SELECT sum(received)::int FROM mediation_stats_cell WHERE rollup = 'committee_year') AS cells, (SELECT count(*)::int FROM mediation_case) AS cases`,
    );
    expect(stats.cells).toBe(stats.cases);
    const over = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM collective_org o WHERE o.total_shares < (SELECT coalesce(sum(shares), 0) FROM collective_member m WHERE m.org_id = o.id)
          OR o.member_count <> (SELECT count(*) FROM collective_member m WHERE m.org_id = o.id)`,
    );
    expect(over.n).toBe(0);
  });

  it("writes an audit chain that the app's own verifier accepts, and that the app's sealer continues", async () => {
    const audit = app.get(AuditService);
    // The sign-in above wrote a row of the app's own: sealed after the generated head.
    const sealed = await audit.seal();
    expect(sealed).toBeGreaterThan(0);
    const r = await audit.verify();
    expect(r).toMatchObject({ ok: true, checked: rowsOf('audit_log') + sealed, unsealed: 0, firstBroken: null });
  });
});
