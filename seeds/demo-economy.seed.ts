import type { DataSource, EntityManager } from 'typeorm';
import { systemActor } from '#identity';
import { sql } from 'kysely';
import { creditCodeCheckChar, CREDIT_ALPHABET, dbOf, startingWith } from '#platform';
import { demoName } from './demo-ids.js';

/**
 * Demo 集体经济 data for 长子县 (140428), marked is_demo: a collective economic organization for every
 * village, a county platform company, township companies (not in every township, so the roll-up shows
 * townships still without one) with shareholders drawn from the township's real villages, an industry
 * alliance, and three years of figures with a plausible spread, some villages under the 100,000-yuan
 * "weak" line. Deterministic (a fixed-seed generator, records keyed by their credit codes) and
 * idempotent: rows that exist are left alone, so a second run changes nothing.
 */
const COUNTY = '140428';
const YEARS = [2023, 2024, 2025] as const;
/** Townships given a demo platform company; the others (e.g. 碾张乡, 常张乡, 开发区) have none yet. */
const TOWNSHIPS_WITH_COMPANY = ['140428100', '140428101', '140428102', '140428103', '140428104', '140428105', '140428106', '140428107'];
/** The last villages of the county (by code) have not reported the latest year: the roll-ups show them as 未填报. */
export const DEMO_UNREPORTED_VILLAGES = 2;
/**
 * One organization registered before the 2018 redistricting, in 上党区 (formerly 长治县): its credit
 * code still carries 长治县's 140421. Only a city-wide account sees it (the demo county is 长子县).
 */
export const DEMO_OLD_CODE_VILLAGE = '140404102209'; // 行马村委会

function generator(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function body9(prefix: string, n: number): string {
  let s = '';
  let v = n;
  for (let i = 0; i < 9 - prefix.length; i++) {
    s = CREDIT_ALPHABET[v % 31] + s;
    v = Math.floor(v / 31);
  }
  return prefix + s;
}

const withCheck = (first17: string) => first17 + creditCodeCheckChar(first17);
export const demoOrgCode = (i: number) => withCheck(`N2${COUNTY}${body9('DM', i)}`);
export const demoCompanyCode = (i: number) => withCheck(`91${COUNTY}${body9('DM', i)}`);
export const demoOldCodeOrgCode = () => withCheck(`N2140421${body9('DM', 0)}`);
const shortName = (village: string) => village.replace(/(村民委员会|村委会|居委会|居民委员会)$/, '');

export interface EconomySeedReport {
  orgsCreated: number;
  companiesCreated: number;
}

export async function seedDemoEconomy(db: DataSource): Promise<EconomySeedReport> {
  return db.transaction((em) => seed(em));
}

async function seed(em: EntityManager): Promise<EconomySeedReport> {
  const rnd = generator(140428);
  const q = dbOf(em);
  const villages = await q
    .selectFrom('division')
    .select(['code', 'name'])
    .where('level', '=', 'village')
    .where('code', 'like', startingWith(COUNTY))
    .where('name', 'like', '%村委会')
    .orderBy('code')
    .execute();
  const townships = await q
    .selectFrom('division')
    .select(['code', 'name'])
    .where('level', '=', 'township')
    .where('parent_code', '=', COUNTY)
    .orderBy('code')
    .execute();
  if (!villages.length) return { orgsCreated: 0, companiesCreated: 0 };

  // Organizations, one per village, with three years of figures.
  const orgRows = villages.map((v, i) => {
    const members = 150 + rnd(1800);
    // Spread: about one in five villages stays under the weak line; a few strong ones earn millions.
    const tier = rnd(100);
    const base = tier < 20 ? 20_000 + rnd(75_000) : tier < 85 ? 100_000 + rnd(400_000) : 500_000 + rnd(2_500_000);
    return {
      code: v.code,
      name: `${shortName(v.name)}股份经济合作社集体经济组织`,
      creditCode: demoOrgCode(i),
      registrationNo: `晋长子农经登字〔2020〕第${String(i + 1).padStart(4, '0')}号`,
      registeredOn: `2020-${String(3 + (i % 9)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`,
      charterFiledOn: `2020-${String(2 + (i % 9)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`,
      chair: demoName(1000 + i),
      members,
      shares: members * (1 + rnd(3)),
      baseYuan: base,
      figures: YEARS.map((y, k) => {
        const op = Math.round(base * (1 + (k * (rnd(30) - 5)) / 100)) * 100;
        const tot = op + (50_000 + rnd(300_000)) * 100;
        const reserve = Math.round((tot * (10 + rnd(10))) / 100 / 100) * 100;
        const dist = op >= 10_000_000 ? Math.round((tot * (5 + rnd(20))) / 100 / 100) * 100 : 0;
        return { year: y, op, tot, reserve, dist };
      }),
    };
  });
  type Created = { id: string; credit_code: string; division_code: string };
  const { rows: inserted } = await sql<Created>`
    INSERT INTO collective_org (level, division_code, name, credit_code, registration_no, registered_on, charter_filed_on, chair_name, member_count, total_shares, is_demo)
    SELECT 'village', d, n, c, r, ro::date, cf::date, ch, m, s, true
      FROM unnest(${orgRows.map((o) => o.code)}::text[], ${orgRows.map((o) => o.name)}::text[], ${orgRows.map((o) => o.creditCode)}::text[],
                  ${orgRows.map((o) => o.registrationNo)}::text[], ${orgRows.map((o) => o.registeredOn)}::text[],
                  ${orgRows.map((o) => o.charterFiledOn)}::text[], ${orgRows.map((o) => o.chair)}::text[],
                  ${orgRows.map((o) => o.members)}::int[], ${orgRows.map((o) => o.shares)}::bigint[]) AS t(d, n, c, r, ro, cf, ch, m, s)
    ON CONFLICT DO NOTHING RETURNING id, credit_code, division_code`.execute(q);
  const orgIds = new Map(
    (
      await q
        .selectFrom('collective_org')
        .select(['id', 'credit_code'])
        .where('credit_code', '=', (eb) => eb.fn.any(eb.val(orgRows.map((o) => o.creditCode))))
        .execute()
    ).map((r) => [r.credit_code, r.id]),
  );
  const unreported = new Set(orgRows.slice(-DEMO_UNREPORTED_VILLAGES).map((o) => o.creditCode));
  const latest = YEARS[YEARS.length - 1];
  const figs = orgRows.flatMap((o) =>
    orgIds.has(o.creditCode)
      ? o.figures.filter((f) => !(unreported.has(o.creditCode) && f.year === latest)).map((f) => ({ id: orgIds.get(o.creditCode)!, ...f }))
      : [],
  );
  await sql`
    INSERT INTO org_year_figures (org_id, year, operating_income_fen, total_income_fen, reserve_fund_fen, distributed_fen)
    SELECT * FROM unnest(${figs.map((f) => f.id)}::uuid[], ${figs.map((f) => f.year)}::int[], ${figs.map((f) => f.op)}::bigint[],
                         ${figs.map((f) => f.tot)}::bigint[], ${figs.map((f) => f.reserve)}::bigint[], ${figs.map((f) => f.dist)}::bigint[])
    ON CONFLICT DO NOTHING`.execute(q);

  // The organization with a pre-2018 code, with fixed figures (not drawn, so the county's data stays as it was).
  const { rows: oldCode } = await sql<Created>`
    INSERT INTO collective_org (level, division_code, name, credit_code, registration_no, registered_on, charter_filed_on, chair_name, member_count, total_shares, is_demo)
    SELECT 'village', ${DEMO_OLD_CODE_VILLAGE}::varchar, '行马股份经济合作社集体经济组织', ${demoOldCodeOrgCode()}, '晋长治县农经登字〔2017〕第0012号', '2017-11-20', '2017-10-30', ${demoName(1999)}, 640, 1280, true
     WHERE EXISTS (SELECT 1 FROM division WHERE code = ${DEMO_OLD_CODE_VILLAGE}::varchar)
    ON CONFLICT DO NOTHING RETURNING id, credit_code, division_code`.execute(q);
  for (const o of oldCode) {
    await sql`
      INSERT INTO org_year_figures (org_id, year, operating_income_fen, total_income_fen, reserve_fund_fen, distributed_fen)
      SELECT ${o.id}::uuid, y, op, op + 4000000, 1200000, 0 FROM unnest(${[...YEARS]}::int[], ${[8_600_000, 9_300_000, 11_800_000]}::bigint[]) AS t(y, op)
      ON CONFLICT DO NOTHING`.execute(q);
  }
  inserted.push(...oldCode);

  // Platform companies: the county's and one per township listed above.
  const townshipName = new Map(townships.map((t) => [t.code, t.name]));
  const plans = [
    {
      level: 'county' as const,
      division: COUNTY,
      name: '长子县强村富民投资发展有限公司',
      rep: demoName(2000),
      capital: 50_000_000,
      scope: '农业产业投资、农产品收购加工销售、乡村旅游开发',
    },
    ...townshipsWithCompany(townshipName).map((t, k) => ({
      level: 'township' as const,
      division: t.code,
      name: `长子县${t.name}强村实业有限公司`,
      rep: demoName(2001 + k),
      capital: (2 + rnd(9)) * 1_000_000,
      scope: ['小米、青椒种植与销售', '农机作业服务、仓储', '光伏发电、物业服务', '中药材种植、农产品初加工'][k % 4],
    })),
  ];
  let companiesCreated = 0;
  for (const [k, p] of plans.entries()) {
    const code = demoCompanyCode(k);
    const paid = Math.round(p.capital * (40 + rnd(61))) / 100;
    const status =
      p.level === 'county'
        ? 'operating'
        : (['operating', 'operating', 'operating', 'preparing', 'operating', 'suspended', 'operating', 'operating'] as const)[k % 8];
    const created = await q
      .insertInto('platform_company')
      .values({
        level: p.level,
        division_code: p.division,
        name: p.name,
        credit_code: code,
        legal_rep: p.rep,
        registered_capital_fen: p.capital * 100,
        paid_in_capital_fen: Math.round(paid * 100),
        founded_on: `202${1 + (k % 3)}-0${1 + (k % 9)}-15`,
        business_scope: p.scope,
        status,
        is_demo: true,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!created) continue;
    companiesCreated++;
    const companyId = created.id;
    // Shareholders: collective organizations of its area (real village names), the rest held by others.
    const area = orgRows.filter((o) => o.code.startsWith(p.division) && orgIds.has(o.creditCode));
    const picked = area.filter((_, i) => i % Math.max(1, Math.floor(area.length / 8)) === 0).slice(0, 8);
    const eachBp = p.level === 'county' ? 500 : Math.floor(10000 / (picked.length + 1) / 100) * 100;
    const holders = picked.map((o) => ({ orgId: orgIds.get(o.creditCode)!, name: o.name, bp: eachBp }));
    const others =
      p.level === 'county'
        ? [{ orgId: null, name: '长子县国有资本投资运营有限公司', bp: 10000 - eachBp * holders.length }]
        : [{ orgId: null, name: `${townshipName.get(p.division)}农业综合服务中心`, bp: 10000 - eachBp * holders.length }];
    const all = [...holders, ...others].filter((h) => h.bp > 0);
    await sql`
      INSERT INTO company_shareholder (company_id, org_id, holder_name, contribution_fen, share_bp)
      SELECT ${companyId}::uuid, o, n, c, b
        FROM unnest(${all.map((h) => h.orgId)}::uuid[], ${all.map((h) => h.name)}::text[],
                    ${all.map((h) => Math.round((p.capital * 100 * h.bp) / 10000))}::bigint[], ${all.map((h) => h.bp)}::int[]) AS t(o, n, c, b)`.execute(
      q,
    );
    const alliance = {
      kinds: ['enterprise', 'cooperative', ...holders.slice(0, 2).map(() => 'collective_org')],
      orgIds: [null, null, ...holders.slice(0, 2).map((h) => h.orgId)],
      names: [
        `长子县${['丰源', '绿禾', '上党', '金谷'][k % 4]}农业科技有限公司`,
        `长子县${['青椒', '小米', '中药材', '食用菌'][k % 4]}种植专业合作社`,
        ...holders.slice(0, 2).map((h) => h.name),
      ],
      joined: ['2022-04-01', '2022-06-15', '2022-04-01', '2023-03-01'].slice(0, 2 + Math.min(2, holders.length)),
      roles: ['牵头企业', '成员单位', '成员单位', '成员单位'].slice(0, 2 + Math.min(2, holders.length)),
    };
    await sql`
      INSERT INTO alliance_member (company_id, kind, org_id, name, joined_on, role)
      SELECT ${companyId}::uuid, k, o, n, j::date, r
        FROM unnest(${alliance.kinds}::text[], ${alliance.orgIds}::uuid[], ${alliance.names}::text[], ${alliance.joined}::text[], ${alliance.roles}::text[])
          AS t(k, o, n, j, r)`.execute(q);
    if (status === 'preparing') continue;
    for (const [y, year] of YEARS.entries()) {
      const revenue = (p.level === 'county' ? 8_000_000 : 600_000) * (1 + y * 0.2) + rnd(400_000);
      const profit = Math.round(revenue * (rnd(20) - 3)) / 100;
      await q
        .insertInto('company_year_figures')
        .values({ company_id: companyId, year, revenue_fen: Math.round(revenue * 100), profit_fen: Math.round(profit * 100) })
        .execute();
      if (profit <= 0) continue;
      const pool = profit * 0.4;
      await sql`
        INSERT INTO company_dividend (company_id, year, org_id, amount_fen)
        SELECT ${companyId}::uuid, ${year}::int, o, a
          FROM unnest(${holders.map((h) => h.orgId)}::uuid[], ${holders.map((h) => Math.round((pool * h.bp) / 10000) * 100)}::bigint[]) AS t(o, a)`.execute(
        q,
      );
    }
  }
  if (inserted.length || companiesCreated) {
    const actor = systemActor('seed');
    await sql`
      INSERT INTO economy_change (entity_type, entity_id, division_code, action, changes, changed_at, account_id, actor_name)
      SELECT 'org', id, division_code, 'create', '{"demo": {"old": null, "new": true}}', now(), NULL, '系统（演示数据）'
        FROM unnest(${inserted.map((r) => r.id)}::uuid[], ${inserted.map((r) => r.division_code)}::text[]) AS t(id, division_code)`.execute(
      q,
    );
    await q
      .insertInto('audit_log')
      .values({
        account_id: null,
        actor_roles: 'system',
        actor_division: actor.divisionCode,
        action: 'economy.demo_seed',
        target_type: 'economy',
        target_division: COUNTY,
        result: 'success',
        request_id: actor.requestId,
        details: JSON.stringify({ orgsCreated: inserted.length, companiesCreated }),
      })
      .execute();
  }
  return { orgsCreated: inserted.length, companiesCreated };
}

function townshipsWithCompany(names: Map<string, string>): { code: string; name: string }[] {
  return TOWNSHIPS_WITH_COMPANY.filter((c) => names.has(c)).map((code) => ({ code, name: names.get(code)! }));
}
