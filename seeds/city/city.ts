import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { chainHash, GENESIS_HASH, type ChainRow } from '#audit';
import { BODY_NAMES, decideVote, type DecidingBody } from '#deliberation';
import { creditCodeCheckChar, maskMobile, maskResidentId, type PiiCipher } from '#platform';
import { CopySink } from './copy-sink.js';
import { dropForLoad, restoreAfterLoad } from './load-plan.js';
import { cityUuid, idNumber, isoMicro, jsonbText, line, personName, receiptCode, Rng, TAG, ymd } from './gen.js';

/** The full city: what scale 1 means (issue 16). */
export const FULL = {
  people: 1_500_000,
  proposals: 100_000,
  mediationCases: 300_000,
  auditRows: 50_000_000,
} as const;

/** The password of every generated account (never in production: seed-city refuses there). */
export const CITY_BENCH_PASSWORD = 'CityBench@2026';

const DAY = 86_400_000;
const YEAR_MS = 365.25 * DAY;

export interface CityOptions {
  url: string;
  scale: number;
  pii: PiiCipher;
  /** A precomputed hash of CITY_BENCH_PASSWORD (argon2, as the app stores it). */
  passwordHash: string;
  now?: Date;
  seed?: number;
  /** Distinguishes this run's ids from an earlier run's in the same database (1–255). */
  run?: number;
  log?: (msg: string) => void;
}

export interface PartTiming {
  part: string;
  rows: Record<string, number>;
  seconds: number;
}

export interface CityManifest {
  scale: number;
  password: string;
  generatedAt: string;
  counties: string[];
  townships: string[];
  villages: number;
  accounts: Record<string, { accountId: string; personId: string; divisionCode: string }[]>;
  residentsWithOpenVote: { accountId: string; personId: string; divisionCode: string; proposalId: string }[];
  proposals: { id: string; villageCode: string; status: string }[];
  people: { personId: string; villageCode: string; name: string }[];
  auditTargets: { targetType: string; targetId: string }[];
  nameSamples: string[];
}

export interface CityReport {
  parts: PartTiming[];
  seconds: number;
  manifest: CityManifest;
}

interface Village {
  code: string;
  name: string;
  township: string;
  townshipName: string;
  county: string;
  countyName: string;
  first: number; // first person index
  end: number; // one past the last
  adults: number[];
  committee: number[];
  supervision: number[];
  mediators: number[];
  reps: number[];
  members: number[];
  householdsCount: number;
  orgIdx: number;
}

// person flags
const F_ADULT = 1;
const F_ACCOUNT = 2;
const F_MEMBER = 4;
const F_MALE = 8;

const BODY_CATEGORIES: Record<string, string[]> = {
  villagers_meeting: ['public_welfare', 'work_subsidy', 'collective_project', 'collective_income', 'other'],
  representatives_meeting: ['public_welfare', 'work_subsidy', 'collective_project', 'collective_income', 'other'],
  members_assembly: ['collective_income', 'budget_distribution', 'investment', 'internal_rules', 'collective_property'],
};
const TITLES: Record<string, string[]> = {
  public_welfare: ['村内道路硬化', '安装路灯', '修缮文化广场', '修建蓄水池', '村卫生室改造'],
  work_subsidy: ['村干部误工补贴标准', '护林员补贴发放', '保洁员补贴调整'],
  collective_project: ['光伏发电项目', '香菇大棚建设', '小米加工厂扩建', '农机合作社购置设备'],
  collective_income: ['集体收益使用方案', '机动地承包收益使用', '集体林地收益分配'],
  other: ['村规民约修订', '移风易俗倡议', '环境整治方案'],
  budget_distribution: ['年度收益分配方案', '年度财务预算'],
  investment: ['入股县强村公司', '对外投资合作社'],
  internal_rules: ['集体经济组织内部管理制度', '财务管理办法修订'],
  collective_property: ['集体厂房出租', '闲置校舍处置'],
};
const DISPUTES = ['neighbor', 'marriage_family', 'damages', 'land_contract', 'homestead', 'labor', 'contract', 'property_mgmt', 'other'];

/** Which villages get people at this scale: all of them from about 1/14 on; fewer, spread over the counties, below. */
function populatedVillages(
  all: Omit<
    Village,
    'first' | 'end' | 'adults' | 'committee' | 'supervision' | 'mediators' | 'reps' | 'members' | 'householdsCount' | 'orgIdx'
  >[],
  people: number,
) {
  const want = Math.max(3, Math.min(all.length, Math.floor(people / 40)));
  if (want >= all.length) return all;
  // Every k-th village: spread over counties and townships.
  const step = all.length / want;
  return Array.from({ length: want }, (_, i) => all[Math.floor(i * step)]);
}

/**
 * Fills the database at `url` (migrated, divisions seeded, otherwise empty) with a city's worth of
 * data times `scale`, by COPY. Foreign keys are dropped before and re-added (so validated) after;
 * the largest tables' secondary indexes are built after their load.
 */
export async function seedCity(o: CityOptions): Promise<CityReport> {
  const log = o.log ?? (() => undefined);
  const now = (o.now ?? new Date()).getTime();
  const run = o.run ?? 1;
  const rng = new Rng(o.seed ?? 20260101);
  const uid = (tag: number, n: number) => cityUuid(run, tag, n);
  const t0 = performance.now();
  const parts: PartTiming[] = [];
  const admin = new pg.Client({ connectionString: o.url });
  await admin.connect();
  const timed = async (part: string, fn: () => Promise<Record<string, number>>) => {
    const s = performance.now();
    log(`${part} …`);
    const rows = await fn();
    const seconds = (performance.now() - s) / 1000;
    parts.push({ part, rows, seconds });
    const total = Object.values(rows).reduce((a, b) => a + b, 0);
    log(`${part}: ${JSON.stringify(rows)} in ${seconds.toFixed(1)} s (${Math.round(total / Math.max(seconds, 0.001))} rows/s)`);
  };
  const open = (table: string, cols: string[]) => new CopySink(table, cols).open(o.url);

  // ---------- divisions
  const { rows: divs } = await admin.query<{ code: string; name: string; level: string; parent_code: string | null }>(
    `SELECT code, name, level, parent_code FROM division ORDER BY code`,
  );
  const byCode = new Map(divs.map((d) => [d.code, d]));
  const allVillages = divs
    .filter((d) => d.level === 'village')
    .map((d) => {
      const t = byCode.get(d.parent_code!)!;
      const c = byCode.get(t.parent_code!)!;
      return { code: d.code, name: d.name, township: t.code, townshipName: t.name, county: c.code, countyName: c.name };
    });
  let deferred: Awaited<ReturnType<typeof dropForLoad>> | null = null;
  await timed('drop foreign keys and bulk indexes', async () => {
    deferred = await dropForLoad(admin);
    return { foreign_keys: deferred.foreignKeys.length, indexes: deferred.indexes.length };
  });
  const peopleTotal = Math.max(120, Math.round(FULL.people * o.scale));
  const chosen = populatedVillages(allVillages, peopleTotal);
  const perVillage = peopleTotal / chosen.length;

  // ---------- what the later parts need about people (typed arrays: 1.5 M people stay small)
  // Each village's size first, so the arrays below are exactly as long as the register.
  const sizes = chosen.map(() => Math.max(40, Math.round(perVillage * (0.7 + 0.6 * rng.next()))));
  const registerSize = sizes.reduce((a, b) => a + b, 0);
  const flags = new Uint8Array(registerSize);
  const household = new Int32Array(registerSize);
  const idNumbers: string[] = [];
  const names: string[] = [];
  const villages: Village[] = [];
  const seqByCountyDate = new Map<string, number>();
  const accountOf = (p: number) => uid(TAG.account, p);
  const personOf = (p: number) => uid(TAG.person, p);
  const roleSamples: CityManifest['accounts'] = {};
  const sample = (role: string, p: number, division: string) => {
    const list = (roleSamples[role] ??= []);
    if (list.length < 40) list.push({ accountId: accountOf(p), personId: personOf(p), divisionCode: division });
  };
  let grants = 0;

  await timed('people', async () => {
    const person = await open('person', [
      'id',
      'real_name',
      'id_number_enc',
      'id_number_hash',
      'id_number_masked',
      'birth_date',
      'gender',
      'phone_enc',
      'phone_hash',
      'phone_masked',
      'home_division_code',
      'household_no',
      'created_at',
      'updated_at',
    ]);
    const grant = await open('role_grant', ['id', 'person_id', 'role', 'division_code', 'granted_at']);
    const account = await open('account', ['id', 'person_id', 'login_phone_hash', 'password_hash', 'status', 'created_at', 'updated_at']);
    let p = 0;
    let hh = 0;
    const createdAt = new Date(now - 5 * YEAR_MS - 30 * DAY).toISOString();
    const addGrant = (pi: number, role: string, division: string) =>
      grant.put(line([uid(TAG.grant, grants++), personOf(pi), role, division, createdAt]));
    for (const [vi, v] of chosen.entries()) {
      const n = sizes[vi];
      const first = p;
      const adults: number[] = [];
      const members: number[] = [];
      let left = n;
      let householdsCount = 0;
      while (left > 0) {
        const size = Math.min(left, 1 + rng.int(5));
        hh++;
        householdsCount++;
        for (let k = 0; k < size; k++) {
          const male = rng.chance(0.51);
          const age = k === 0 ? 25 + rng.int(60) : rng.int(86);
          const birthMs = now - age * YEAR_MS - rng.int(365) * DAY;
          const birth = ymd(birthMs);
          const key = v.county + birth;
          const seq = seqByCountyDate.get(key) ?? 0;
          seqByCountyDate.set(key, seq + 1);
          const idn = idNumber(v.county, birth.replace(/-/g, ''), seq % 500, male);
          const name = personName(rng, male);
          const adult = age >= 18;
          const hasAccount = adult && (adults.length < 30 || rng.chance(0.42));
          let f = (adult ? F_ADULT : 0) | (male ? F_MALE : 0) | (hasAccount ? F_ACCOUNT : 0);
          if (adult && rng.chance(0.75)) f |= F_MEMBER;
          flags[p] = f;
          household[p] = hh;
          idNumbers.push(idn);
          names.push(name);
          const phone = hasAccount || (adult && rng.chance(0.3)) ? `1${3 + (p % 7)}${String(100_000_000 + p).slice(-9)}` : null;
          const phoneHash = phone ? o.pii.hash('phone', phone) : null;
          await person.put(
            line([
              personOf(p),
              name,
              o.pii.encrypt(idn),
              o.pii.hash('id', idn),
              maskResidentId(idn),
              birth,
              male ? 'M' : 'F',
              phone ? o.pii.encrypt(phone) : null,
              phoneHash,
              phone ? maskMobile(phone) : null,
              v.code,
              `${v.code.slice(6)}-${String(householdsCount).padStart(4, '0')}`,
              createdAt,
              createdAt,
            ]),
          );
          if (hasAccount) await account.put(line([accountOf(p), personOf(p), phoneHash, o.passwordHash, 'active', createdAt, createdAt]));
          await addGrant(p, 'resident', v.code);
          if (adult) adults.push(p);
          if (f & F_MEMBER) {
            members.push(p);
            await addGrant(p, 'collective_member', v.code);
          }
          if (adult && rng.chance(0.07)) await addGrant(p, 'party_member', v.code);
          if (adult && hasAccount) sample('resident', p, v.code);
          p++;
          left--;
        }
      }
      // The first adults (all with accounts) hold the village's offices.
      const committee = adults.slice(0, 5);
      const supervision = adults.slice(5, 8);
      const mediators = adults.slice(8, 10);
      const reps = adults.filter((_, k) => k >= 10 && k % Math.max(2, Math.round(adults.length / 25)) === 0).slice(0, 40);
      for (const c of committee) await addGrant(c, 'village_committee', v.code);
      for (const c of supervision) await addGrant(c, 'supervision_committee', v.code);
      for (const c of mediators) await addGrant(c, 'mediator', v.code);
      for (const c of reps) await addGrant(c, 'village_representative', v.code);
      sample('village_committee', committee[0], v.code);
      sample('supervision_committee', supervision[0], v.code);
      sample('village_representative', reps[0], v.code);
      // Township, county and city officials live in the first populated village of their unit.
      const firstOfTownship = vi === 0 || chosen[vi - 1].township !== v.township;
      const firstOfCounty = vi === 0 || chosen[vi - 1].county !== v.county;
      if (firstOfTownship) {
        for (const c of adults.slice(10, 14)) await addGrant(c, 'township_staff', v.township);
        await addGrant(adults[14], 'mediator', v.township);
        sample('township_staff', adults[10], v.township);
        sample('township_mediator', adults[14], v.township);
      }
      if (firstOfCounty) {
        for (const c of adults.slice(15, 17)) await addGrant(c, 'county_admin', v.county);
        await addGrant(adults[17], 'mediator', v.county);
        sample('county_admin', adults[15], v.county);
        sample('county_mediator', adults[17], v.county);
      }
      if (vi === 0) {
        for (const c of adults.slice(18, 20)) await addGrant(c, 'city_admin', '1404');
        sample('city_admin', adults[18], '1404');
      }
      sample('mediator', mediators[0], v.code);
      villages.push({ ...v, first, end: p, adults, committee, supervision, mediators, reps, members, householdsCount, orgIdx: vi });
    }
    const rows = { person: person.rows, role_grant: grant.rows, account: account.rows };
    await Promise.all([person.close(), grant.close(), account.close()]);
    return rows;
  });
  const peopleCount = villages[villages.length - 1].end;
  const townships = [...new Set(villages.map((v) => v.township))];
  const counties = [...new Set(villages.map((v) => v.county))];
  const committeeAccount = (v: Village) => accountOf(v.committee[0]);
  const townshipStaff = new Map<string, number>();
  for (const v of villages) if (!townshipStaff.has(v.township)) townshipStaff.set(v.township, v.adults[10]);

  // ---------- economy
  const orgIds: string[] = villages.map((_, i) => uid(TAG.org, i));
  const years = [1, 2, 3, 4, 5].map((k) => new Date(now).getUTCFullYear() - k);
  await timed('economy', async () => {
    const org = await open('collective_org', [
      'id',
      'level',
      'division_code',
      'name',
      'credit_code',
      'registration_no',
      'registered_on',
      'charter_filed_on',
      'chair_name',
      'member_count',
      'total_shares',
      'status',
    ]);
    const officer = await open('collective_org_officer', ['org_id', 'person_id', 'role', 'since']);
    const member = await open('collective_member', ['id', 'org_id', 'person_id', 'joined_on', 'shares']);
    const orgFig = await open('org_year_figures', [
      'org_id',
      'year',
      'operating_income_fen',
      'total_income_fen',
      'reserve_fund_fen',
      'distributed_fen',
    ]);
    const company = await open('platform_company', [
      'id',
      'level',
      'division_code',
      'name',
      'credit_code',
      'legal_rep',
      'registered_capital_fen',
      'paid_in_capital_fen',
      'founded_on',
      'business_scope',
      'status',
    ]);
    const holder = await open('company_shareholder', ['id', 'company_id', 'org_id', 'holder_name', 'contribution_fen', 'share_bp']);
    const compFig = await open('company_year_figures', ['company_id', 'year', 'revenue_fen', 'profit_fen']);
    const dividend = await open('company_dividend', ['company_id', 'year', 'org_id', 'amount_fen']);
    let memberN = 0;
    for (const [i, v] of villages.entries()) {
      const body17 = `N2${v.county}${String(100_000_000 + i).slice(-9)}`;
      const shares = v.members.map(() => 1 + rng.int(10));
      const total = shares.reduce((a, b) => a + b, 0);
      await org.put(
        line([
          orgIds[i],
          'village',
          v.code,
          `${v.name.replace(/村民委员会$|委员会$/, '')}股份经济合作社集体经济组织`,
          body17 + creditCodeCheckChar(body17),
          `晋长治农经登字〔2020〕第${String(i + 1).padStart(5, '0')}号`,
          '2020-06-30',
          '2020-06-01',
          names[v.committee[0]],
          v.members.length,
          total + Math.round(total * 0.1),
          'active',
        ]),
      );
      await officer.put(line([orgIds[i], personOf(v.committee[0]), 'chair', '2021-01-01']));
      await officer.put(line([orgIds[i], personOf(v.committee[1]), 'director', '2021-01-01']));
      await officer.put(line([orgIds[i], personOf(v.committee[2]), 'director', '2021-01-01']));
      await officer.put(line([orgIds[i], personOf(v.supervision[0]), 'supervisor', '2021-01-01']));
      for (const [k, m] of v.members.entries())
        await member.put(line([uid(TAG.member, memberN++), orgIds[i], personOf(m), '2020-06-30', shares[k]]));
      for (const y of years) {
        const op = 200_000_00 + rng.int(3_000_000_00);
        await orgFig.put(line([orgIds[i], y, op, op + rng.int(50_000_000), Math.round(op * 0.1), Math.round(op * 0.3)]));
      }
    }
    // One platform company per township and per county (强村公司); the villages' organizations hold shares.
    let c = 0;
    const companies: { id: string; level: string; code: string; name: string; orgs: number[] }[] = [];
    for (const t of townships) {
      const vs = villages.map((v, i) => [v, i] as const).filter(([v]) => v.township === t);
      companies.push({
        id: uid(TAG.company, c++),
        level: 'township',
        code: t,
        name: `${vs[0][0].townshipName}强村发展有限公司`,
        orgs: vs.map(([, i]) => i),
      });
    }
    for (const ct of counties) {
      const vs = villages.map((v, i) => [v, i] as const).filter(([v]) => v.county === ct);
      companies.push({
        id: uid(TAG.company, c++),
        level: 'county',
        code: ct,
        name: `${vs[0][0].countyName}乡村振兴投资有限公司`,
        orgs: vs.slice(0, 20).map(([, i]) => i),
      });
    }
    for (const [k, co] of companies.entries()) {
      const body17 = `91${co.code.slice(0, 6)}MA${String(10_000_000 + k).slice(-7)}`;
      const capital = 10_000_000_00;
      await company.put(
        line([
          co.id,
          co.level,
          co.code,
          co.name,
          body17 + creditCodeCheckChar(body17),
          names[villages[co.orgs[0]].committee[1]],
          capital,
          capital,
          '2021-03-01',
          '农产品加工、销售；物业管理；光伏发电',
          'operating',
        ]),
      );
      const bp = Math.floor(10_000 / co.orgs.length);
      for (const [j, oi] of co.orgs.entries())
        await holder.put(
          line([
            uid(TAG.holder, k * 1000 + j),
            co.id,
            orgIds[oi],
            `${villages[oi].name}股份经济合作社`,
            Math.round(capital * (bp / 10_000)),
            bp,
          ]),
        );
      for (const y of years) {
        const revenue = 5_000_000_00 + rng.int(20_000_000_00);
        const profit = Math.round(revenue * 0.08);
        await compFig.put(line([co.id, y, revenue, profit]));
        for (const oi of co.orgs) await dividend.put(line([co.id, y, orgIds[oi], Math.round((profit * 0.5 * bp) / 10_000)]));
      }
    }
    const rows = {
      collective_org: org.rows,
      collective_org_officer: officer.rows,
      collective_member: member.rows,
      org_year_figures: orgFig.rows,
      platform_company: company.rows,
      company_shareholder: holder.rows,
      company_year_figures: compFig.rows,
      company_dividend: dividend.rows,
    };
    await Promise.all([org, officer, member, orgFig, company, holder, compFig, dividend].map((s) => s.close()));
    return rows;
  });

  // ---------- deliberation: proposals, votes, frozen electorates, ballots, notices, notifications
  const voteVillage: number[] = [];
  const proposalVillage: number[] = [];
  const openVoteOf = new Map<number, { proposal: string; vote: number }>(); // village → one open vote
  const manifestProposals: CityManifest['proposals'] = [];
  const residentsWithOpenVote: CityManifest['residentsWithOpenVote'] = [];
  await timed('deliberation', async () => {
    const proposal = await open('proposal', [
      'id',
      'village_code',
      'title',
      'body',
      'category',
      'deciding_body',
      'ballot_type',
      'status',
      'deliberation_started_at',
      'created_by',
      'created_at',
      'updated_at',
      'deliberation_days',
      'publicity_days',
    ]);
    const event = await open('proposal_event', [
      'id',
      'proposal_id',
      'action',
      'from_status',
      'to_status',
      'at',
      'actor_account_id',
      'actor_name',
    ]);
    const vote = await open('vote', [
      'id',
      'proposal_id',
      'purpose',
      'body',
      'ballot_type',
      'allow_change',
      'opens_at',
      'closes_at',
      'reference_date',
      'electorate',
      'households',
      'status',
      'ballots_shuffled',
      'result_notified',
      'participants',
      'households_represented',
      'yes_count',
      'no_count',
      'abstain_count',
      'outcome',
      'rule',
      'tallied_at',
      'threshold',
      'representatives',
      'representatives_yes',
      'spoiled_count',
      'online_participants',
      'assisted_participants',
      'onsite_participants',
    ]);
    const elector = await open('vote_elector', ['vote_id', 'person_id', 'household_no', 'seat']);
    const part = await open('ballot_participation', ['vote_id', 'person_id', 'voted_on', 'channel']);
    const choice = await open('ballot_choice', ['vote_id', 'ballot_type', 'receipt_code', 'choice', 'voter_person_id', 'seat']);
    const notice = await open('notice', [
      'id',
      'proposal_id',
      'village_code',
      'kind',
      'title',
      'body',
      'outcome',
      'committee_name',
      'published_at',
      'publicity_ends_at',
    ]);
    const notif = await open('notification', ['id', 'person_id', 'kind', 'proposal_id', 'title', 'body', 'created_at', 'read_at']);
    const total = Math.max(villages.length * 3, Math.round(FULL.proposals * o.scale));
    let pn = 0;
    let vn = 0;
    let en = 0;
    let nn = 0;
    let nt = 0;
    const start = now - 5 * YEAR_MS;
    for (const [vi, v] of villages.entries()) {
      const count = Math.round(total / villages.length);
      // Filed at least 20 days ago: a decided one has closed its vote by now.
      const times = Array.from({ length: count }, () => start + rng.next() * (5 * YEAR_MS - 20 * DAY)).sort((a, b) => a - b);
      const actor = committeeAccount(v);
      const actorName = names[v.committee[0]];
      for (const [k, created] of times.entries()) {
        const pid = uid(TAG.proposal, pn);
        proposalVillage.push(vi);
        pn++;
        const r = rng.next();
        const body = (r < 0.25 ? 'villagers_meeting' : r < 0.75 ? 'representatives_meeting' : 'members_assembly') as DecidingBody;
        const category = rng.pick(BODY_CATEGORIES[body]);
        const ballotType = rng.chance(0.4) ? 'secret' : 'open';
        const title = `关于${rng.pick(TITLES[category])}的议题（${new Date(created).getUTCFullYear()}-${k + 1}）`;
        const ageDays = (now - created) / DAY;
        // The last proposals of each village are under way; the older ones are decided.
        const recent = ageDays < 45 || k >= count - 2;
        let status: string;
        const x = rng.next();
        if (!recent) status = x < 0.05 ? 'withdrawn' : 'decided';
        else if (k === count - 1 && !openVoteOf.has(vi)) status = 'voting';
        else status = x < 0.1 ? 'draft' : x < 0.2 ? 'proposed' : x < 0.45 ? 'pending_review' : x < 0.7 ? 'deliberation' : 'decided';
        const delibStart = created + 2 * DAY;
        const events: [string, string | null, string, number][] = [['edit', null, 'draft', created]];
        if (status !== 'draft') events.push(['record_merged_meeting', 'draft', 'pending_review', created + DAY]);
        if (!['draft', 'proposed', 'pending_review', 'withdrawn'].includes(status))
          events.push(['approve', 'pending_review', 'deliberation', delibStart]);
        if (status === 'proposed') events.pop();
        if (status === 'withdrawn') events.push(['withdraw', 'pending_review', 'withdrawn', created + 2 * DAY]);
        let updated = events[events.length - 1][3];
        if (status === 'decided' || status === 'voting') {
          const vid = uid(TAG.vote, vn);
          voteVillage.push(vi);
          const voteNo = vn++;
          const isOpen = status === 'voting';
          const opensAt = isOpen ? Math.max(delibStart + DAY, now - DAY) : delibStart + 10 * DAY;
          const closesAt = isOpen ? now + 2 * DAY : opensAt + 3 * DAY;
          events.push(['open_voting', 'deliberation', 'voting', opensAt]);
          const roll =
            body === 'villagers_meeting'
              ? v.adults.map((pi) => [pi, null] as const)
              : body === 'members_assembly'
                ? v.members.map((pi) => [pi, null] as const)
                : [...v.reps.map((pi) => [pi, 'representative'] as const), ...v.committee.map((pi) => [pi, 'committee'] as const)].sort(
                    (a, b) => a[0] - b[0],
                  );
          const turnout = isOpen
            ? 0.2 + rng.next() * 0.3
            : body === 'representatives_meeting'
              ? 0.6 + rng.next() * 0.4
              : 0.4 + rng.next() * 0.5;
          const pYes = 0.45 + rng.next() * 0.5;
          const houses = new Set<number>();
          const took = new Set<number>();
          const receipts = new Set<string>();
          let yes = 0;
          let no = 0;
          let abstain = 0;
          let repsIn = 0;
          let repsYes = 0;
          let waiting: number | null = null;
          for (const [pi, seat] of roll) {
            houses.add(household[pi]);
            if (seat === 'representative') repsIn++;
            const hh = `${v.code.slice(6)}-${household[pi]}`;
            await elector.put(line([vid, personOf(pi), hh, seat]));
            if (rng.next() >= turnout) {
              if (waiting === null && flags[pi] & F_ACCOUNT) waiting = pi;
              continue;
            }
            took.add(household[pi]);
            const c = rng.next();
            const ch = c < pYes ? 'yes' : c < pYes + (1 - pYes) * 0.7 ? 'no' : 'abstain';
            if (ch === 'yes') yes++;
            else if (ch === 'no') no++;
            else abstain++;
            if (seat === 'representative' && ch === 'yes') repsYes++;
            let rc = receiptCode(rng);
            while (receipts.has(rc)) rc = receiptCode(rng);
            receipts.add(rc);
            await part.put(line([vid, personOf(pi), ymd(opensAt + rng.next() * (Math.min(closesAt, now) - opensAt)), 'online']));
            await choice.put(line([vid, ballotType, rc, ch, ballotType === 'open' ? personOf(pi) : null, seat]));
          }
          const participants = yes + no + abstain;
          const households = body === 'villagers_meeting' ? houses.size : 0;
          const recentVote = opensAt > now - YEAR_MS;
          if (isOpen) {
            openVoteOf.set(vi, { proposal: pid, vote: voteNo });
            // An elector who has not voted yet: a "needs my vote" sample.
            if (waiting !== null && residentsWithOpenVote.length < 200)
              residentsWithOpenVote.push({
                accountId: accountOf(waiting),
                personId: personOf(waiting),
                divisionCode: v.code,
                proposalId: pid,
              });
            await vote.put(
              line([
                vid,
                pid,
                'decision',
                body,
                ballotType,
                false,
                isoMicro(opensAt),
                isoMicro(closesAt),
                ymd(opensAt),
                roll.length,
                households,
                'open',
                false,
                false,
                ...Array<null>(15).fill(null),
              ]),
            );
            updated = opensAt;
          } else {
            const counts = {
              electorate: roll.length,
              households,
              participants,
              householdsRepresented: body === 'villagers_meeting' ? took.size : 0,
              yes,
              no,
              abstain,
              spoiled: 0,
              representatives: body === 'representatives_meeting' ? repsIn : 0,
              representativesYes: body === 'representatives_meeting' ? repsYes : 0,
            };
            const d = decideVote('decision', category as never, body, counts);
            const reps = body === 'representatives_meeting';
            await vote.put(
              line([
                vid,
                pid,
                'decision',
                body,
                ballotType,
                false,
                isoMicro(opensAt),
                isoMicro(closesAt),
                ymd(opensAt),
                roll.length,
                households,
                'closed',
                true,
                true,
                participants,
                counts.householdsRepresented,
                yes,
                no,
                abstain,
                d.outcome,
                JSON.stringify(d.rule),
                isoMicro(closesAt),
                d.threshold,
                reps ? repsIn : null,
                reps ? repsYes : null,
                0,
                participants,
                0,
                0,
              ]),
            );
            const after = d.outcome === 'passed' ? 'passed' : d.outcome;
            events.push([
              `vote_${d.outcome === 'passed' ? 'passed' : d.outcome === 'rejected' ? 'rejected' : 'no_quorum'}`,
              'voting',
              after,
              closesAt,
            ]);
            status = after;
            if (d.outcome === 'passed' && !recent) {
              const published = closesAt + DAY;
              events.push(['publish_resolution', 'passed', 'announced', published]);
              status = 'announced';
              if (rng.chance(0.3)) {
                events.push(['close', 'announced', 'closed', published + 30 * DAY]);
                status = 'closed';
              }
              const outcome = {
                outcome: d.outcome,
                body,
                bodyName: BODY_NAMES[body],
                ballotType,
                electorate: counts.electorate,
                households,
                participants,
                householdsRepresented: counts.householdsRepresented,
                yes,
                no,
                abstain,
                rule: d.rule,
                talliedAt: new Date(closesAt).toISOString(),
                threshold: d.threshold,
                representatives: reps ? repsIn : null,
                representativesYes: reps ? repsYes : null,
                spoiled: 0,
              };
              await notice.put(
                line([
                  uid(TAG.notice, nn++),
                  pid,
                  v.code,
                  'resolution',
                  `${title}决议公告`,
                  `${v.name}就"${title}"完成表决，应参加 ${counts.electorate} 人，实际参加 ${participants} 人，结果为：通过。`,
                  JSON.stringify(outcome),
                  `${v.name}村民委员会`,
                  isoMicro(published),
                  isoMicro(published + 7 * DAY),
                ]),
              );
            }
            updated = events[events.length - 1][3];
          }
          if (recentVote) {
            // The residents' inbox: "voting opened" and, once counted, "result published".
            for (const [pi] of roll) {
              if (!(flags[pi] & F_ACCOUNT)) continue;
              await notif.put(
                line([
                  uid(TAG.notification, nt++),
                  personOf(pi),
                  'voting_opened',
                  pid,
                  `表决开始：${title}`,
                  '请在截止前参加表决。',
                  isoMicro(opensAt),
                  isOpen ? null : isoMicro(opensAt + DAY),
                ]),
              );
              if (!isOpen)
                await notif.put(
                  line([
                    uid(TAG.notification, nt++),
                    personOf(pi),
                    'result_published',
                    pid,
                    `表决结果：${title}`,
                    '表决已结束，结果已公布。',
                    isoMicro(closesAt),
                    null,
                  ]),
                );
            }
          }
        }
        if (status === 'decided') status = 'deliberation'; // unreachable guard: every decided proposal got a vote above
        await proposal.put(
          line([
            pid,
            v.code,
            title,
            `为改善村民生产生活条件，村民委员会提出${title.replace(/^关于|的议题.*$/g, '')}，现提请审议。`,
            category,
            body,
            ballotType,
            status,
            ['draft', 'proposed', 'pending_review', 'withdrawn'].includes(status) ? null : isoMicro(delibStart),
            actor,
            isoMicro(created),
            isoMicro(Math.max(updated, created)),
            7,
            7,
          ]),
        );
        for (const [action, from, to, at] of events)
          await event.put(line([uid(TAG.event, en++), pid, action, from, to, isoMicro(at), actor, actorName]));
        if (manifestProposals.length < 400 && (vi % Math.max(1, Math.floor(villages.length / 40)) === 0 || k === count - 1))
          manifestProposals.push({ id: pid, villageCode: v.code, status });
      }
    }
    const rows = {
      proposal: proposal.rows,
      proposal_event: event.rows,
      vote: vote.rows,
      vote_elector: elector.rows,
      ballot_participation: part.rows,
      ballot_choice: choice.rows,
      notice: notice.rows,
      notification: notif.rows,
    };
    await Promise.all([proposal, event, vote, elector, part, choice, notice, notif].map((s) => s.close()));
    return rows;
  });

  // ---------- mediation
  const caseCount = Math.max(villages.length, Math.round(FULL.mediationCases * o.scale));
  const caseVillage = new Int32Array(caseCount);
  await timed('mediation', async () => {
    const mcase = await open('mediation_case', [
      'id',
      'case_no',
      'origin_committee_code',
      'committee_code',
      'year',
      'seq',
      'status',
      'outcome',
      'dispute_type',
      'summary',
      'claims',
      'amount_fen',
      'source',
      'referring_body',
      'applied_at',
      'accepted_at',
      'due_at',
      'concluded_at',
      'decline_reason',
      'terminate_reason',
      'other_channels',
      'closed_at',
      'created_by',
      'created_at',
      'updated_at',
    ]);
    const party = await open('mediation_party', [
      'id',
      'case_id',
      'ord',
      'party_role',
      'kind',
      'name',
      'id_number_enc',
      'id_number_hash',
      'id_number_masked',
      'address',
      'person_id',
    ]);
    const assign = await open('mediation_assignment', ['id', 'case_id', 'person_id', 'committee_code', 'assigned_at', 'ended_at']);
    const mevent = await open('mediation_case_event', [
      'id',
      'case_id',
      'at',
      'action',
      'from_status',
      'to_status',
      'from_committee',
      'to_committee',
      'account_id',
    ]);
    const counter = await open('mediation_case_counter', ['committee_code', 'year', 'last_seq']);
    let cn = 0;
    let pn = 0;
    let an = 0;
    for (const [vi, v] of villages.entries()) {
      const count = Math.round(caseCount / villages.length);
      const times = Array.from({ length: count }, () => now - 5 * YEAR_MS + rng.next() * 5 * YEAR_MS).sort((a, b) => a - b);
      const seqs = new Map<number, number>();
      const place = `${v.townshipName}${v.name.replace(/村民委员会$|委员会$/, '')}`;
      for (const applied of times) {
        if (cn >= caseCount) break;
        const id = uid(TAG.mediation, cn);
        caseVillage[cn] = vi;
        cn++;
        // Case numbers run by the committee's year in 北京 time, as the app numbers them.
        const year = new Date(applied + 8 * 3600_000).getUTCFullYear();
        const seq = (seqs.get(year) ?? 0) + 1;
        seqs.set(year, seq);
        const ageDays = (now - applied) / DAY;
        const x = rng.next();
        let status: string;
        if (ageDays > 60) status = x < 0.05 ? 'declined' : x < 0.75 ? 'closed' : x < 0.85 ? 'terminated' : 'follow_up';
        else status = x < 0.2 ? 'applied' : x < 0.4 ? 'accepted' : x < 0.7 ? 'mediating' : 'agreed';
        const accepted = status === 'applied' || status === 'declined' ? null : applied + DAY;
        const due = accepted === null ? null : accepted + 30 * DAY;
        const outcome =
          status === 'declined'
            ? 'declined'
            : status === 'terminated'
              ? 'terminated'
              : ['agreed', 'follow_up'].includes(status)
                ? 'agreed'
                : status === 'closed'
                  ? rng.chance(0.85)
                    ? 'agreed'
                    : 'terminated'
                  : null;
        const concluded = outcome === null ? null : outcome === 'declined' ? applied + DAY : accepted! + (5 + rng.int(40)) * DAY;
        const source = rng.chance(0.85) ? 'application' : rng.chance(0.5) ? 'initiative' : 'court_referral';
        const dtype = rng.pick(DISPUTES);
        const [a, b] = [v.adults[20 + rng.int(v.adults.length - 20)], v.adults[20 + rng.int(v.adults.length - 20)]];
        await mcase.put(
          line([
            id,
            `（${year}）${place}调字第${String(seq).padStart(3, '0')}号`,
            v.code,
            v.code,
            year,
            seq,
            status,
            outcome,
            dtype,
            `${names[a]}与${names[b]}之间的纠纷`,
            '请求村人民调解委员会调解，依法解决纠纷。',
            rng.chance(0.4) ? 100_00 * (1 + rng.int(500)) : null,
            source,
            source === 'court_referral' ? `${v.countyName}人民法院` : null,
            isoMicro(applied),
            accepted === null ? null : isoMicro(accepted),
            due === null ? null : isoMicro(due),
            concluded === null ? null : isoMicro(concluded),
            status === 'declined' ? '不属于人民调解范围' : null,
            outcome === 'terminated' ? '当事人不同意继续调解' : null,
            outcome === 'terminated' ? '{诉讼}' : null,
            status === 'closed' ? isoMicro(concluded! + 15 * DAY) : null,
            accountOf(v.mediators[0]),
            isoMicro(applied),
            isoMicro(concluded ?? accepted ?? applied),
          ]),
        );
        for (const [ord, pi] of [a, b].entries()) {
          const idn = idNumbers[pi];
          await party.put(
            line([
              uid(TAG.party, pn++),
              id,
              ord,
              ord === 0 ? 'applicant' : 'respondent',
              'person',
              names[pi],
              o.pii.encrypt(idn),
              o.pii.hash('id', idn),
              maskResidentId(idn),
              `${v.name}`,
              personOf(pi),
            ]),
          );
        }
        if (accepted !== null) {
          await assign.put(line([uid(TAG.assignment, an++), id, personOf(v.mediators[0]), v.code, isoMicro(accepted), null]));
          await mevent.put(
            line([uid(TAG.caseEvent, an), id, isoMicro(applied), 'register', null, 'applied', null, v.code, accountOf(v.mediators[0])]),
          );
        }
      }
      for (const [y, s] of seqs) await counter.put(line([v.code, y, s]));
    }
    const rows = {
      mediation_case: mcase.rows,
      mediation_party: party.rows,
      mediation_assignment: assign.rows,
      mediation_case_event: mevent.rows,
      mediation_case_counter: counter.rows,
    };
    await Promise.all([mcase, party, assign, mevent, counter].map((s) => s.close()));
    await admin.query(`SELECT mediation_stats_rebuild()`);
    return rows;
  });

  // ---------- openness: each village's disclosures of the last 5 years (quarterly schedule)
  let disclosureCount = 0;
  await timed('openness', async () => {
    const disc = await open('disclosure', [
      'id',
      'village_code',
      'subject',
      'kind',
      'series',
      'title',
      'body',
      'period_kind',
      'period_start',
      'period_end',
      'state',
      'opening_balance_fen',
      'income_fen',
      'expense_fen',
      'closing_balance_fen',
      'created_by',
      'created_at',
      'updated_at',
      'submitted_at',
      'reviewed_by',
      'reviewed_at',
      'published_by',
      'published_at',
      'publicity_until',
    ]);
    const entry = await open('finance_entry', [
      'id',
      'disclosure_id',
      'line_no',
      'entry_date',
      'voucher_no',
      'item',
      'counterpart',
      'category',
      'direction',
      'amount_fen',
    ]);
    let dn = 0;
    let fn = 0;
    const y0 = new Date(now).getUTCFullYear() - 5;
    for (const v of villages) {
      const actor = committeeAccount(v);
      const reviewer = accountOf(townshipStaff.get(v.township)!);
      const balances = { finance: 500_000_00 + rng.int(1_000_000_00), collective_finance: 1_000_000_00 + rng.int(3_000_000_00) };
      for (let q = 0; q < 24; q++) {
        const ps = Date.UTC(y0 + Math.floor(q / 4), (q % 4) * 3, 1);
        const pe = Date.UTC(y0 + Math.floor(q / 4), (q % 4) * 3 + 3, 1) - DAY;
        if (pe + 10 * DAY > now) break; // not due yet
        const late = pe + 40 * DAY > now;
        for (const [subject, kind, series] of [
          ['village', 'government_work', 'general'],
          ['village', 'finance', 'finance'],
          ['collective', 'finance', 'collective_finance'],
        ] as const) {
          if (rng.chance(0.04)) continue; // a few never published: the oversight roll-up's overdue ones
          const id = uid(TAG.disclosure, dn++);
          const published = !late || rng.chance(0.5);
          const state = published ? 'published' : rng.chance(0.5) ? 'submitted' : 'draft';
          const at = pe + (3 + rng.int(10)) * DAY;
          let figures: (number | null)[] = [null, null, null, null];
          if (kind === 'finance') {
            const opening = balances[series];
            const lines: [string, string, number][] = [
              ['operating_income', 'income', 50_000_00 + rng.int(200_000_00)],
              ['subsidy_income', 'income', 10_000_00 + rng.int(50_000_00)],
              ['admin_expense', 'expense', 10_000_00 + rng.int(40_000_00)],
              ['welfare_expense', 'expense', 5_000_00 + rng.int(30_000_00)],
            ];
            const income = lines.filter((l) => l[1] === 'income').reduce((s, l) => s + l[2], 0);
            const expense = lines.filter((l) => l[1] === 'expense').reduce((s, l) => s + l[2], 0);
            const closing = opening + income - expense;
            balances[series] = closing;
            figures = [opening, income, expense, state === 'draft' ? null : closing];
            for (const [k, [cat, dir, amount]] of lines.entries())
              await entry.put(
                line([
                  uid(TAG.financeEntry, fn++),
                  id,
                  k + 1,
                  ymd(ps + k * 20 * DAY),
                  `记-${String(k + 1).padStart(3, '0')}`,
                  cat.endsWith('income') ? '收入' : '支出',
                  null,
                  cat,
                  dir,
                  amount,
                ]),
              );
          }
          const label = `${new Date(ps).getUTCFullYear()}年第${(q % 4) + 1}季度`;
          await disc.put(
            line([
              id,
              v.code,
              subject,
              kind,
              series,
              `${label}${kind === 'finance' ? (subject === 'village' ? '村级财务' : '集体经济组织财务') : '村务'}公开`,
              kind === 'finance' ? '' : `${label}村务工作情况公开。`,
              'quarter',
              ymd(ps),
              ymd(pe),
              state,
              ...figures,
              actor,
              isoMicro(at - 2 * DAY),
              isoMicro(at),
              state === 'draft' ? null : isoMicro(at - DAY),
              published ? reviewer : null,
              published ? isoMicro(at - DAY / 2) : null,
              published ? actor : null,
              published ? isoMicro(at) : null,
              published ? isoMicro(at + 30 * DAY) : null,
            ]),
          );
        }
      }
    }
    disclosureCount = dn;
    const rows = { disclosure: disc.rows, finance_entry: entry.rows };
    await Promise.all([disc.close(), entry.close()]);
    return rows;
  });

  // ---------- audit: a sealed hash chain, continuing from the head already in the database
  const auditTargets: CityManifest['auditTargets'] = [];
  await timed('audit', async () => {
    const head = await admin.query<{ seq: string; hash: Buffer; max_id: string | null }>(
      `SELECT (SELECT seq::text FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1) AS seq,
              (SELECT hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1) AS hash,
              (SELECT max(id)::text FROM audit_log) AS max_id`,
    );
    const unsealed = await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log WHERE seq IS NULL`);
    if (unsealed.rows[0].n !== '0')
      throw new Error('audit_log has unsealed rows: run the app (or npm run audit:verify) to seal them first');
    let seq = BigInt(head.rows[0].seq ?? 0);
    let id = BigInt(head.rows[0].max_id ?? 0);
    let prev = head.rows[0].hash ?? GENESIS_HASH;
    const n = Math.max(1000, Math.round(FULL.auditRows * o.scale));
    const audit = await open('audit_log', [
      'id',
      'occurred_at',
      'account_id',
      'actor_roles',
      'actor_division',
      'action',
      'target_type',
      'target_id',
      'target_division',
      'result',
      'request_id',
      'client_ip',
      'details',
      'seq',
      'prev_hash',
      'hash',
    ]);
    const start = now - 5 * YEAR_MS;
    const step = (5 * YEAR_MS - DAY) / n;
    const votes = voteVillage.length;
    for (let k = 0; k < n; k++) {
      id++;
      seq++;
      const at = isoMicro(Math.floor(start + k * step));
      const vi = villages.length > 1 ? rng.int(villages.length) : 0;
      const v = villages[vi];
      const span = v.end - v.first;
      let pi = v.first + rng.int(span);
      while (!(flags[pi] & F_ACCOUNT)) pi = pi + 1 < v.end ? pi + 1 : v.first;
      const x = rng.next();
      let action: string;
      let targetType: string | null = null;
      let targetId: string | null = null;
      let targetDivision: string | null = null;
      let details: string | null = null;
      let roles = 'resident';
      if (x < 0.4) action = 'auth.login';
      else if (x < 0.6 && votes) {
        action = 'ballot.cast';
        const vn = rng.int(votes);
        targetType = 'vote';
        targetId = uid(TAG.vote, vn);
        targetDivision = villages[voteVillage[vn]].code;
        details = jsonbText({ ballotType: 'secret', proposalId: uid(TAG.proposal, vn) });
      } else if (x < 0.75) {
        action = 'register.person_update';
        roles = 'village_committee';
        pi = v.committee[rng.int(v.committee.length)];
        targetType = 'person';
        targetId = personOf(v.first + rng.int(span));
        targetDivision = v.code;
        details = jsonbText({ fields: 'household_no' });
      } else if (x < 0.8) {
        action = 'pii.reveal';
        roles = 'village_committee';
        pi = v.committee[0];
        targetType = 'person';
        targetId = personOf(v.first + rng.int(span));
        targetDivision = v.code;
        details = jsonbText({ field: 'id_number' });
      } else if (x < 0.9) {
        action = 'proposal.comment';
        const pn = rng.int(proposalVillage.length);
        targetType = 'proposal';
        targetId = uid(TAG.proposal, pn);
        targetDivision = villages[proposalVillage[pn]].code;
      } else if (x < 0.95) {
        action = 'mediation.case.register';
        roles = 'mediator';
        pi = v.mediators[0];
        const cn = rng.int(caseCount);
        targetType = 'mediation_case';
        targetId = uid(TAG.mediation, cn);
        targetDivision = villages[caseVillage[cn]].code;
      } else if (x < 0.98 && disclosureCount) {
        action = 'disclosure.create';
        roles = 'village_committee';
        pi = v.committee[0];
        targetType = 'disclosure';
        targetId = uid(TAG.disclosure, rng.int(disclosureCount));
        targetDivision = v.code;
      } else action = 'auth.refresh';
      const row: ChainRow = {
        id: id.toString(),
        seq: seq.toString(),
        occurred_at: at,
        account_id: accountOf(pi),
        actor_roles: roles,
        actor_division: v.code,
        action,
        target_type: targetType,
        target_id: targetId,
        target_division: targetDivision,
        result: 'success',
        request_id: null,
        client_ip: null,
        details,
      };
      const hash = chainHash(prev, row);
      // The hot loop of the largest table: one template instead of line() (every value here is
      // generated without tabs, newlines or backslashes, so none needs COPY escaping).
      const NUL = '\\N';
      const full = audit.put(
        `${row.id}\t${at}\t${row.account_id}\t${roles}\t${v.code}\t${action}\t${targetType ?? NUL}\t${targetId ?? NUL}\t${targetDivision ?? NUL}\tsuccess\t${NUL}\t${NUL}\t${details ?? NUL}\t${row.seq}\t\\\\x${prev.toString('hex')}\t\\\\x${hash.toString('hex')}\n`,
      );
      if (full) await full;
      prev = hash;
      if (targetType && auditTargets.length < 200 && k % 997 === 0) auditTargets.push({ targetType, targetId: targetId! });
    }
    const rows = { audit_log: audit.rows };
    await audit.close();
    await admin.query(`SELECT setval(pg_get_serial_sequence('audit_log', 'id'), $1::bigint)`, [id.toString()]);
    return rows;
  });

  await timed('indexes and foreign keys', async () => {
    const r = await restoreAfterLoad(admin, deferred!, log);
    log(`  indexes ${r.indexSeconds.toFixed(1)} s, foreign keys ${r.foreignKeySeconds.toFixed(1)} s`);
    return { indexes: deferred!.indexes.length, foreign_keys: deferred!.foreignKeys.length };
  });
  // VACUUM, not only ANALYZE: it sets the visibility map (index-only scans fetch no heap pages, as on a
  // database that autovacuum has seen) and the hint bits (the first reads do not rewrite every page).
  await timed('vacuum analyze', async () => {
    await admin.query('VACUUM (ANALYZE)');
    return {};
  });
  await admin.end();
  const manifest: CityManifest = {
    scale: o.scale,
    password: CITY_BENCH_PASSWORD,
    generatedAt: new Date().toISOString(),
    counties,
    townships,
    villages: villages.length,
    accounts: roleSamples,
    residentsWithOpenVote,
    proposals: manifestProposals,
    people: villages
      .slice(0, 50)
      .map((v) => ({ personId: personOf(v.adults[25] ?? v.adults[0]), villageCode: v.code, name: names[v.adults[25] ?? v.adults[0]] })),
    auditTargets,
    nameSamples: [...new Set(villages.slice(0, 20).map((v) => names[v.adults[21]]))],
  };
  void peopleCount;
  return { parts, seconds: (performance.now() - t0) / 1000, manifest };
}

export function writeManifest(file: string, m: CityManifest): void {
  writeFileSync(file, JSON.stringify(m, null, 2));
}
