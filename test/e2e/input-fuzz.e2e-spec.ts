import { plainToInstance } from 'class-transformer';
import http from 'node:http';
import { getMetadataStorage } from 'class-validator';
import { PERMISSIONS, type Role } from '#identity';
import { AUTHENTICATED, chineseMessageOf, constraintNameOf, isChinese } from '#platform';
import { companyBody, orgBody, orgCreditCode, waitForImport } from '../support/economy-fixtures.js';
import { CITY, COUNTY, type GivenUser, makeIdNumber, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { allRoutes, type DtoClass, type Route } from '../support/routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { caseBody, person } from './mediation-fixtures.js';
import { queryRows } from '../support/sql.js';

/**
 * Every route of the OpenAPI document, every path and query parameter and every body field (nested
 * ones too), sent the inputs an external fuzz found answering 500: wrong types, huge and empty
 * strings, NUL, unpaired surrogates, zero-width-only and direction-override text, numbers past 2^63,
 * explicit nulls; and per route deep JSON, malformed JSON, a wrong content type and an oversized URL.
 * Each as a role that holds the route's permission, on records that exist, so what validation lets
 * through reaches the service and the database. Every answer must be a 4xx (a 2xx only where the
 * input may be valid) in the one Chinese shape, never a 5xx, never a database refusal.
 */

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  maxLength?: number;
  nullable?: boolean;
}
interface Parameter {
  name: string;
  in: 'path' | 'query';
  required?: boolean;
  schema: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const RANDOM_ID = '7d0c6a52-3f0e-4c1a-9a55-2b8f1c0e9d41';
const HUGE = 30_000;
const DEEP = 20_000;
const CONCURRENCY = 6;
/** node:http with keep-alive, not fetch: this test's process (app and client) used 24 s of CPU instead of 32. */
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
/** Three ASCII words in a row: an English sentence (class-validator's defaults) where villagers read. */
const ENGLISH = /[A-Za-z]{2,}(?:[\s,']+[A-Za-z]{2,}){2,}/;
/** Codes that mean validation missed something and the database or the code paid for it. */
const NEVER = new Set(['INTERNAL_ERROR', 'DATA_REJECTED', 'INVALID_REFERENCE']);

let t: TestApp;
let doc: OpenApi;
let routes: Map<string, Route>;
const users = new Map<string, GivenUser>();
const ids: Record<string, string> = {};

const user = async (role: Role, division: string): Promise<GivenUser> => {
  const key = `${role}@${division}`;
  if (!users.has(key)) users.set(key, await t.given.user(role, division));
  return users.get(key)!;
};
const homeOf = (role: Role): string =>
  role === 'township_staff' ? TOWNSHIP_A : role === 'county_admin' ? COUNTY : role === 'city_admin' ? CITY : VILLAGE_A;

beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.api.get('/api/docs/openapi.json')).body;
  routes = new Map(allRoutes(t.app).map((r) => [`${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`, r]));

  // The records the routes' path parameters name, made the way the product makes them.
  const committee = await user('village_committee', VILLAGE_A);
  const township = await user('township_staff', TOWNSHIP_A);
  const mediator = await user('mediator', VILLAGE_A);
  const member = await t.given.person(VILLAGE_A);
  ids.person = member.personId;
  ids.account = (await t.given.user('resident', VILLAGE_A)).accountId;
  const created = async (path: string, body: unknown, who: GivenUser) => {
    const r = await t.api.post(path, body, who.token);
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  ids.proposal = await created(
    '/api/v1/proposals',
    {
      villageCode: VILLAGE_A,
      title: '村东道路硬化',
      body: '硬化村东主路。',
      category: 'public_welfare',
      decidingBody: 'villagers_meeting',
      ballotType: 'secret',
    },
    committee,
  );
  ids.org = await created('/api/v1/economy/orgs', orgBody(VILLAGE_A), committee);
  await created(`/api/v1/economy/orgs/${ids.org}/members`, { idNumber: member.idNumber, shares: '10', joinedOn: '2024-01-01' }, committee);
  ids.member = (await queryRows<{ id: string }>(t.db, 'SELECT id FROM collective_member WHERE org_id = $1', [ids.org]))[0].id;
  ids.company = await created('/api/v1/economy/companies', companyBody('township', TOWNSHIP_A), township);
  ids.case = await created('/api/v1/mediation/cases', caseBody(VILLAGE_A).body, mediator);
  ids.party = (await queryRows<{ id: string }>(t.db, 'SELECT id FROM mediation_party WHERE case_id = $1 ORDER BY ord', [ids.case]))[0].id;
});
afterAll(async () => {
  agent.destroy();
  await t.close();
});

const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);
const schemaName = (s: Schema): string | undefined => s.$ref?.split('/').pop();

/** A valid body for every request schema: each mutation then changes one field of a request that would pass. */
function bodySamples(): Record<string, Record<string, unknown>> {
  const day = '2026-03-02';
  return {
    VerifyDto: { anchors: [{ seq: '1', hash: 'ab'.repeat(32) }] },
    LoginDto: { phone: '13800000009', password: 'not-the-password-1' },
    RefreshDto: { refreshToken: 'r'.repeat(40) },
    ActivateDto: { phone: '13800000009', activationCode: 'ABCD1234', password: 'Village-Activate-2026' },
    ChangePasswordDto: { oldPassword: 'not-the-password-1', newPassword: 'Another-Village-Pass-2026' },
    RevealDto: { field: 'phone' },
    PartyRevealDto: { field: 'phone' },
    OfflineDto: { noSmartphone: true },
    RegisterResidentDto: { realName: '张三', idNumber: makeIdNumber('1970-01-01') },
    ImportRegisterDto: { csv: '姓名,身份证号,手机号,户号,村民代表,党员,集体经济组织成员\n', dryRun: true },
    GrantDto: { personId: ids.person, role: 'village_representative', divisionCode: VILLAGE_A },
    AccountStatusDto: { status: 'active' },
    CreateProposalDto: {
      villageCode: VILLAGE_A,
      title: '修缮村小学',
      body: '修缮村小学屋顶。',
      category: 'public_welfare',
      amountFen: 100,
      decidingBody: 'villagers_meeting',
      ballotType: 'open',
      allowBallotChange: false,
      deliberationDays: 7,
      publicityDays: 7,
    },
    UpdateProposalDto: { title: '修改后的标题', body: '修改后的正文', amountFen: 200, deliberationDays: 8, publicityDays: 8 },
    MeetingRecordDto: { date: '2026-11-20', attendees: ['张书记'], summary: '商议结果' },
    PartyReviewDto: { date: '2026-11-22', attendees: 10, yes: 8, no: 1, summary: '纪要' },
    OpenVoteDto: { closesAt: '2030-01-01T00:00:00Z' },
    ReviewDto: { comment: '同意' },
    ReturnDto: { reason: '材料不全' },
    WithdrawDto: { reason: '情况变化' },
    NoticeBodyDto: { body: '公告正文' },
    ImplementationReportDto: { body: '已完工' },
    AttachmentDto: { name: '预算表', url: 'https://example.org/a.pdf' },
    BallotDto: { choice: 'yes' },
    ProxyDto: { grantorPersonId: ids.person, proxyPersonId: RANDOM_ID },
    MeetingDto: {
      heldAt: '2026-12-20T09:00:00+08:00',
      place: '村委会大院',
      chairPersonId: ids.person,
      tellerPersonIds: [ids.person, RANDOM_ID],
      scrutineerPersonIds: [RANDOM_ID],
      onlinePart: true,
      onsitePart: true,
    },
    SignInDto: { personId: ids.person },
    OnsiteChoiceDto: { personId: ids.person, choice: 'yes' },
    PaperTotalsDto: { issued: 3, returned: 3, yes: 2, no: 1, abstain: 0, spoiled: 0 },
    TallySheetDto: { contentBase64: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64'), contentType: 'image/jpeg' },
    AssistedBallotDto: { personId: ids.person, choice: 'yes' },
    CommentDto: { kind: 'question', body: '预算多少？' },
    TextDto: { body: '答复内容' },
    HideDto: { reason: '不文明用语' },
    JointRequestDto: { villageCode: VILLAGE_A, kind: 'residents', title: '联名提议', body: '请修路。' },
    AuthorisationDto: {
      villageCode: VILLAGE_A,
      categories: ['public_welfare'],
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      charterClause: '村民自治章程第十八条',
    },
    RecordApprovalDto: {
      authority: 'township_government',
      decision: 'approved',
      decidedOn: '2026-03-02',
      documentNumber: '某镇政发〔2026〕8号',
      note: '同意',
    },
    ApplyDto: {
      disputeType: 'neighbor',
      summary: '排水纠纷',
      claims: '改建排水沟',
      amountFen: 100,
      nonPublic: false,
      otherParties: [person('respondent', '李秀英')],
    },
    RegisterCaseDto: { ...caseBody(VILLAGE_A).body, referringBody: '县法院', riskLevel: 'low', nonPublic: false },
    ReasonDto: { reason: '理由' },
    AssignDto: { mediatorPersonIds: [RANDOM_ID] },
    SessionDto: { heldOn: day, place: '村委会', mediatorPersonIds: [RANDOM_ID], attendees: '双方当事人', record: '调解记录' },
    AgreementDto: {
      facts: '事实',
      disputePoints: '争议',
      responsibilities: '责任',
      terms: '协议',
      performanceMethod: '一次付清',
      performBy: '2026-12-31',
      effectiveOn: day,
      form: 'written',
      partyExecutions: [
        { ord: 0, mode: 'sign' },
        { ord: 1, mode: 'thumbprint' },
      ],
      mediatorPersonIds: [RANDOM_ID],
      committeeSealed: true,
    },
    AcceptDto: { identifiers: [{ partyId: RANDOM_ID, idNumber: '11010519491231002X' }] },
    IdNumberDto: { idNumber: '11010519491231002X' },
    ExtensionDto: { newDueOn: '2026-12-31', consentedOn: day, reason: '双方同意延长' },
    ConfirmationDto: { appliedOn: day, court: '长子县人民法院' },
    ConfirmationOutcomeDto: { outcome: 'confirmed', decidedOn: day },
    TerminateDto: { reason: '调解不成', otherChannels: ['litigation'] },
    FollowUpDto: { visitedOn: day, visitor: '王调解员', performance: 'performed', note: '已履行' },
    RiskDto: { description: '可能激化', policeNotifiedAt: '2026-03-01T08:00:00Z', policeContact: '鲍店派出所' },
    OrgCreateDto: orgBody(VILLAGE_A, { status: 'active' }),
    OrgUpdateDto: { chairName: '王建国', memberCount: 121, totalShares: '1000', status: 'active', registrationNo: 'C1' },
    OfficersDto: { chairPersonId: ids.person, directorPersonIds: [ids.person], supervisorPersonIds: [RANDOM_ID] },
    MemberAddDto: { personId: ids.person, shares: '10', joinedOn: '2024-01-01' },
    MemberSharesDto: { shares: '20', reason: '调整份额', leftOn: '2026-01-01' },
    MemberRepresentativeElectDto: { memberId: ids.member, electedOn: '2025-03-01' },
    MemberRepresentativeEndDto: { endedOn: '2026-01-01' },
    OrgFiguresDto: { operatingIncomeFen: '100', totalIncomeFen: '-5', reserveFundFen: '0', distributedFen: '0' },
    CompanyCreateDto: companyBody('township', TOWNSHIP_A),
    CompanyUpdateDto: { legalRep: '李志强', name: '测试平台公司有限公司', registeredCapitalFen: '100', status: 'operating' },
    ShareholdersDto: { shareholders: [{ holderName: '某投资公司', contributionFen: '100', shareBp: 100 }] },
    AllianceDto: { members: [{ kind: 'enterprise', name: '某企业', joinedOn: '2024-01-01', role: '成员' }] },
    CompanyFiguresDto: { revenueFen: '100', profitFen: '-10', dividends: [{ orgId: ids.org, amountFen: '1' }] },
    YearLockDto: { divisionCode: TOWNSHIP_A, year: 2023 },
    YearUnlockDto: { divisionCode: TOWNSHIP_A, year: 2023, reason: '更正数据' },
    WeakThresholdDto: { weakThresholdFen: '5000000' },
    ImportDto: { fileName: 'orgs.csv', contentBase64: Buffer.from('名称\n').toString('base64'), kind: 'orgs', dryRun: true },
    CreateDisclosureDto: {
      villageCode: VILLAGE_A,
      subject: 'village',
      kind: 'other',
      title: '公开事项',
      periodKind: 'once',
      periodStart: '2026-10-05',
    },
    EditDisclosureDto: { title: '公开事项' },
    DisclosureReasonDto: { reason: '理由' },
    FinanceEntryDto: { entryDate: '2026-10-05', voucherNo: '记-001', item: '事项', category: 'other_income', amountFen: '100' },
    DisclosureAttachmentDto: {
      purpose: 'voucher',
      name: '凭证',
      contentBase64: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]).toString('base64'),
      contentType: 'image/jpeg',
    },
    QueryDto: { question: '这笔支出是哪一段路？' },
    AnswerDto: { answer: '村东主路。' },
    EscalationDto: { reason: '答复不实' },
    VillageSettingDto: { financeMonthly: true },
    TownshipOrderDto: { villageCode: VILLAGE_A, series: 'general', periodStart: '2026-07-01', text: '请于十日内公开', dueOn: '2026-12-20' },
    OrderFollowUpDto: { followUp: '已于 12 月 10 日公开' },
    FinanceImportDto: { contentBase64: Buffer.from('日期,凭证号\n').toString('base64'), commit: false },
  };
}

/** Required query parameters that are not an enum (whose first value is used). */
const QUERY_SAMPLES: Record<string, Record<string, string>> = {
  '/api/v1/divisions/search': { q: '鲍店' },
  '/api/v1/economy/stats': { year: '2025' },
  '/api/v1/economy/stats.xlsx': { year: '2025' },
  '/api/v1/mediation/stats': { year: '2025' },
  '/api/v1/mediation/stats.xlsx': { year: '2025' },
  '/api/v1/mediation/deadlines': { divisionCode: VILLAGE_A },
};

/** The role a route is fuzzed as: the first holder of its permission, unless the service narrows it further. */
const ROLE_OVERRIDES: Record<string, Role> = {
  'PUT /api/v1/economy/settings': 'city_admin', // 仅市级管理员
};

function pathValue(path: string, name: string): string {
  switch (name) {
    case 'id':
      if (path.startsWith('/api/v1/proposals/')) return ids.proposal;
      if (path.startsWith('/api/v1/economy/orgs/')) return ids.org;
      if (path.startsWith('/api/v1/economy/companies/')) return ids.company;
      if (path.startsWith('/api/v1/mediation/cases/')) return ids.case;
      if (path.startsWith('/api/v1/people/')) return ids.person;
      if (path.startsWith('/api/v1/accounts/')) return ids.account;
      return RANDOM_ID;
    case 'memberId':
      return ids.member;
    case 'partyId':
      return ids.party;
    case 'year':
      return '2025';
    case 'code':
      return path.includes('/receipts/') ? 'ABCDEFGHJKLM' : VILLAGE_A;
    case 'commentId':
    case 'attachmentId':
    case 'entryId':
    case 'representativeId':
      return RANDOM_ID;
    default:
      throw new Error(`no value for path parameter ${name} of ${path}: add one to pathValue()`);
  }
}

interface Probe {
  route: string;
  label: string;
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  token?: string;
  /** The input is not acceptable: the answer must be a 4xx. */
  refuse: boolean;
  /** For a VALIDATION_FAILED answer: the field its details must name. */
  field?: string;
}

interface Mutation {
  label: string;
  value?: unknown;
  /** JSON text put in place of the value (numbers JSON.stringify cannot write). */
  raw?: string;
  refuse: boolean;
}

const opaque = (s: Schema) => s.format === 'password' || s.format === 'byte';

/** What to put in one body field of this schema. */
function fieldMutations(s: Schema): Mutation[] {
  const type = s.enum ? 'enum' : (s.type ?? 'object');
  if (type === 'enum') {
    // Anything outside the list is refused by one rule; a few kinds of value are enough.
    return [
      { label: 'explicit null', value: null, refuse: !s.nullable },
      { label: 'NUL', value: 'a\u0000b', refuse: true },
      { label: 'zero-width only', value: '\u200b\ufeff', refuse: true },
      { label: 'number instead of text', value: 12345, refuse: true },
      { label: 'huge string', value: 'x'.repeat(HUGE), refuse: true },
    ];
  }
  const out: Mutation[] = [
    { label: 'explicit null', value: null, refuse: !s.nullable },
    { label: 'NUL', value: 'a\u0000b', refuse: true },
    { label: 'unpaired surrogate', value: 'a\ud800b', refuse: true },
    { label: 'direction override', value: 'a\u202eb\u2066', refuse: true },
    { label: 'zero-width only', value: '\u200b\ufeff', refuse: type !== 'string' || !opaque(s) },
    { label: 'huge string', value: 'x'.repeat(HUGE), refuse: (s.maxLength ?? 0) < HUGE },
    { label: 'empty string', value: '', refuse: false },
    { label: 'text past 2^63', value: '9223372036854775808', refuse: false },
    { label: 'control character', value: 'a\u0007b\u001b', refuse: true },
  ];
  const wrong = (label: string, value: unknown) => out.push({ label, value, refuse: true });
  const raw = (label: string, text: string) => out.push({ label, raw: text, refuse: true });
  switch (type) {
    case 'string':
      wrong('number instead of text', 12345);
      wrong('object instead of text', { a: 1 });
      wrong('array instead of text', ['a']);
      if (!opaque(s)) wrong('spaces only', ' \u3000 ');
      break;
    case 'integer':
    case 'number':
      wrong('text instead of a number', 'abc');
      wrong('fraction', 1.5);
      wrong('boolean instead of a number', true);
      raw('number past 2^63', '99999999999999999999999');
      raw('negative number past 2^63', '-9223372036854775809');
      raw('number past double', '1e400');
      break;
    case 'boolean':
      wrong('text instead of a boolean', 'yes');
      wrong('number instead of a boolean', 1);
      break;
    case 'array': {
      wrong('text instead of an array', 'x');
      wrong('object instead of an array', { a: 1 });
      wrong('array with null', [null]);
      const items = resolve(s.items ?? {});
      if (!items.properties) {
        wrong('array with NUL', ['a\u0000b']);
        wrong('array with unpaired surrogate', ['a\udc00']);
        wrong('array with zero-width only', ['\u200b']);
        wrong('array with direction override', ['a\u202eb']);
        wrong('array with a number', [12345]);
      }
      break;
    }
    default:
      wrong('text instead of an object', 'x');
  }
  return out;
}

/** Sets `value` at `path` in a deep copy of `base`. */
function withValue(base: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]] = value;
  return copy;
}

/** Every field of a body schema, nested objects in arrays included, as paths into the sample. */
function fieldsOf(schema: Schema, sample: unknown, prefix: (string | number)[] = []): { path: (string | number)[]; schema: Schema }[] {
  const out: { path: (string | number)[]; schema: Schema }[] = [];
  for (const [name, prop] of Object.entries(resolve(schema).properties ?? {})) {
    const path = [...prefix, name];
    out.push({ path, schema: prop });
    const items = prop.type === 'array' ? resolve(prop.items ?? {}) : undefined;
    const first = (sample as Record<string, unknown[] | undefined> | undefined)?.[name]?.[0];
    if (items?.properties && first !== undefined) out.push(...fieldsOf(items, first, [...path, 0]));
  }
  return out;
}

function serialize(body: unknown, raw?: string): string {
  const text = JSON.stringify(body);
  return raw === undefined ? text : text.replace('"__RAW__"', raw);
}

function probesOf(
  apiPath: string,
  method: string,
  op: Operation,
  token: string | undefined,
  samples: Record<string, Record<string, unknown>>,
): Probe[] {
  const route = `${method} ${apiPath}`;
  const params = op.parameters ?? [];
  const pathParams = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, pathValue(apiPath, p.name)]));
  const query: Record<string, string> = { ...(QUERY_SAMPLES[apiPath] ?? {}) };
  for (const p of params.filter((x) => x.in === 'query' && x.required && query[x.name] === undefined)) {
    const s = resolve(p.schema);
    if (!s.enum) throw new Error(`${route}: required query parameter ${p.name} needs a value in QUERY_SAMPLES`);
    query[p.name] = String(s.enum[0]);
  }
  const url = (path: Record<string, string>, q: string) => apiPath.replace(/\{(\w+)\}/g, (_, n: string) => path[n]) + (q ? `?${q}` : '');
  const baseQuery = new URLSearchParams(query).toString();
  const bodySchema = op.requestBody ? Object.values(op.requestBody.content)[0].schema : undefined;
  const sampleName = bodySchema ? schemaName(bodySchema) : undefined;
  if (bodySchema && (!sampleName || !samples[sampleName]))
    throw new Error(`${route}: no valid sample body for ${sampleName ?? 'an inline schema'}`);
  const sample = sampleName ? samples[sampleName] : undefined;
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(method);
  const baseBody = hasBody ? JSON.stringify(sample ?? {}) : undefined;
  const probe = (label: string, over: Partial<Probe>): Probe => ({
    route,
    label,
    method,
    url: url(pathParams, baseQuery),
    body: baseBody,
    contentType: hasBody ? 'application/json' : undefined,
    token,
    refuse: true,
    ...over,
  });
  const out: Probe[] = [probe('the valid sample', { refuse: false })];

  // Path parameters.
  const pathBad: [string, string][] = [
    ['not an id', 'abc'],
    ['NUL', 'a%00b'],
    ['too long', 'x'.repeat(500)],
    ['zero-width only', '%E2%80%8B%EF%BB%BF'],
    ['number past 2^63', '99999999999999999999999'],
    ['invalid UTF-8 (a surrogate)', '%ED%A0%80'],
  ];
  for (const name of Object.keys(pathParams)) {
    for (const [label, value] of pathBad)
      out.push(probe(`path ${name}: ${label}`, { url: url({ ...pathParams, [name]: value }, baseQuery) }));
  }

  // Query parameters.
  for (const p of params.filter((x) => x.in === 'query')) {
    const s = resolve(p.schema);
    const numeric = s.type === 'integer' || s.type === 'number';
    const bad: [string, string, boolean][] = [
      ['NUL', 'a%00b', true],
      ['zero-width only', '%E2%80%8B%EF%BB%BF', true],
      ['direction override', 'a%E2%80%AEb', true],
      ['huge', 'x'.repeat(3000), true],
      ['number past 2^63', '99999999999999999999999', numeric],
      ['empty', '', false],
      ['invalid UTF-8 (a surrogate)', '%ED%A0%80', false],
    ];
    if (numeric) bad.push(['not a number', 'abc', true], ['fraction', '1.5', true]);
    if (s.type === 'boolean') bad.push(['not a boolean', 'maybe', true]);
    const others = new URLSearchParams(query);
    others.delete(p.name);
    const rest = others.toString();
    for (const [label, value, refuse] of bad) {
      out.push(
        probe(`query ${p.name}: ${label}`, {
          url: url(pathParams, [rest, `${p.name}=${value}`].filter(Boolean).join('&')),
          refuse,
          field: p.name,
        }),
      );
    }
    out.push(
      probe(`query ${p.name}: repeated`, {
        url: url(pathParams, [rest, `${p.name}=1&${p.name}=2`].filter(Boolean).join('&')),
        field: p.name,
      }),
    );
  }
  if (params.some((p) => p.in === 'query'))
    out.push(
      probe('unknown query parameter', { url: url(pathParams, [baseQuery, 'zzUnknown=1'].filter(Boolean).join('&')), field: 'zzUnknown' }),
    );

  // Body fields.
  if (bodySchema && sample) {
    for (const f of fieldsOf(bodySchema, sample)) {
      const field = f.path.join('.');
      for (const m of fieldMutations(f.schema.$ref ? { type: 'object' } : f.schema)) {
        const body = serialize(withValue(sample, f.path, m.raw === undefined ? m.value : '__RAW__'), m.raw);
        out.push(probe(`body ${field}: ${m.label}`, { body, refuse: m.refuse, field }));
      }
    }
    out.push(probe('unknown body field', { body: JSON.stringify({ ...sample, zzUnknown: 1 }), field: 'zzUnknown' }));
    out.push(probe('body is an array', { body: '[]' }));
    out.push(probe('body is a string', { body: '"x"' }));
  }

  // The whole request.
  if (hasBody) {
    out.push(probe('JSON nested 20,000 deep', { body: '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP) }));
    out.push(probe('arrays nested 20,000 deep', { body: '['.repeat(DEEP) + ']'.repeat(DEEP) }));
    out.push(probe('malformed JSON', { body: '{"a":' }));
    out.push(probe('wrong content type', { contentType: 'text/plain', body: 'hello' }));
  }
  out.push(probe('malformed URL', { url: `${url(pathParams, '')}/%E0%A4%A` }));
  out.push(probe('oversized URL', { url: url(pathParams, [baseQuery, `pad=${'a'.repeat(20_000)}`].filter(Boolean).join('&')) }));
  return out;
}

interface Answer {
  status: number;
  body: any;
}

function send(p: Probe): Promise<Answer> {
  const headers: Record<string, string | number> = {};
  if (p.token) headers.authorization = `Bearer ${p.token}`;
  if (p.contentType) headers['content-type'] = p.contentType;
  if (p.body !== undefined) headers['content-length'] = Buffer.byteLength(p.body);
  return new Promise((resolve, reject) => {
    const req = http.request(t.baseUrl + p.url, { method: p.method, headers, agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // a file download, or not JSON at all: judged below
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end(p.body);
  });
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

/** What is wrong with an answer, or null. */
function judge(p: Probe, a: Answer): string | null {
  if (a.status >= 500) return `${a.status} ${JSON.stringify(a.body).slice(0, 200)}`;
  if (a.status < 400) return p.refuse ? `accepted (${a.status}) an input that must be refused` : null;
  const b = a.body as { code?: unknown; message?: unknown; details?: unknown };
  if (!b || typeof b !== 'object' || typeof b.code !== 'string' || typeof b.message !== 'string')
    return `${a.status} not { code, message }: ${String(JSON.stringify(b)).slice(0, 200)}`;
  if (!/^[A-Z][A-Z0-9_]*$/.test(b.code)) return `code ${b.code} is not a code`;
  if (NEVER.has(b.code)) return `${a.status} ${b.code}: validation let it through`;
  if (!isChinese(b.message)) return `message not Chinese: ${b.message}`;
  const english = strings(b.details).find((s) => ENGLISH.test(s));
  if (english) return `English in details: ${english}`;
  if (b.code === 'VALIDATION_FAILED' && p.field) {
    const named = (b.details as { field: string }[]).some((d) => d.field === p.field || d.field.startsWith(`${p.field}.`));
    if (!named) return `details do not name ${p.field}: ${JSON.stringify(b.details).slice(0, 200)}`;
  }
  return null;
}

async function inPool<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Every DTO class a route takes, and the classes nested in them (found the way class-transformer finds them). */
function dtoClasses(): DtoClass[] {
  const seen = new Set<DtoClass>();
  const visit = (cls: DtoClass) => {
    if (seen.has(cls)) return;
    seen.add(cls);
    for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
      if (m.type !== 'nestedValidation') continue;
      const probe = plainToInstance(cls as new () => object, { [m.propertyName]: [{}] }) as Record<string, unknown[]>;
      const nested = (probe[m.propertyName]?.[0] as object | undefined)?.constructor as DtoClass | undefined;
      if (nested && nested !== Object) visit(nested);
    }
  };
  for (const r of routes.values()) for (const c of [r.body, r.query]) if (c) visit(c);
  return [...seen];
}

describe('every input is described', () => {
  it('every route that reads a body has a body schema in the OpenAPI document, every query DTO field is a documented parameter', () => {
    const problems: string[] = [];
    for (const [key, r] of routes) {
      const [method, path] = key.split(' ');
      const op = doc.paths[path]?.[method.toLowerCase()];
      if (!op) {
        problems.push(`${key}: not in the OpenAPI document`);
        continue;
      }
      if (r.body && !op.requestBody) problems.push(`${key}: reads a body but documents none`);
      if (r.query) {
        const documented = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
        const fields = new Set(
          getMetadataStorage()
            .getTargetValidationMetadatas(r.query, '', true, false)
            .map((m) => m.propertyName),
        );
        for (const f of fields) if (!documented.has(f)) problems.push(`${key}: query field ${f} is not documented`);
      }
    }
    expect(routes.size).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it('every validator of every DTO answers in Chinese, and every number, string and array is bounded', () => {
    const problems: string[] = [];
    const classes = dtoClasses();
    expect(classes.length).toBeGreaterThan(50);
    const boundedFormats = [
      'isIn',
      'isUuid',
      'isBoolean',
      'isDateString',
      'isIso8601',
      'isResidentId',
      'isMobile',
      'isCreditCode',
      'isCalendarDate',
    ];
    for (const cls of classes) {
      const byProperty = new Map<string, { name: string; constraints: unknown[]; each: boolean }[]>();
      for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
        const name = constraintNameOf(m);
        if (['nestedValidation', 'conditionalValidation', 'whitelistValidation'].includes(m.type)) continue;
        const message = chineseMessageOf(m);
        if (!isChinese(message) || ENGLISH.test(message)) problems.push(`${cls.name}.${m.propertyName} ${name}: "${message}"`);
        byProperty.set(m.propertyName, [
          ...(byProperty.get(m.propertyName) ?? []),
          { name, constraints: m.constraints ?? [], each: m.each },
        ]);
      }
      for (const [property, vs] of byProperty) {
        const has = (n: string) => vs.some((v) => v.name === n);
        const where = `${cls.name}.${property}`;
        if ((has('isInt') || has('isNumber')) && !(has('min') && has('max'))) problems.push(`${where}: a number without min and max`);
        const stringy = has('isString') || has('matches') || has('isLength') || has('maxLength');
        const lengthCap = vs.some((v) => v.name === 'maxLength' || (v.name === 'isLength' && v.constraints[1] !== undefined));
        const boundedPattern = vs.some((v) => v.name === 'matches' && !/[+*]|\{\d+,\}/.test(String((v.constraints[0] as RegExp).source)));
        if (stringy && !lengthCap && !boundedPattern && !vs.some((v) => boundedFormats.includes(v.name)))
          problems.push(`${where}: a string without a maximum length`);
        if ((has('isArray') || vs.some((v) => v.each)) && !has('arrayMaxSize')) problems.push(`${where}: an array without a maximum size`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('fuzz', () => {
  it('every bad input to every route answers a Chinese 4xx in the one error shape, never a 5xx; the app stays up', async () => {
    const samples = bodySamples();
    const probes: Probe[] = [];
    for (const [apiPath, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const method = m.toUpperCase();
        const route = routes.get(`${method} ${apiPath}`);
        if (!route) throw new Error(`${method} ${apiPath} is documented but not routed`);
        let token: string | undefined;
        const logsOut = apiPath === '/api/v1/auth/logout' || apiPath === '/api/v1/auth/password';
        if (logsOut) {
          token = (await t.given.user('resident', VILLAGE_A)).token; // these end or change the caller's session
        } else if (!route.isPublic) {
          const holders = route.permission === AUTHENTICATED ? ['resident'] : PERMISSIONS[route.permission as keyof typeof PERMISSIONS];
          const role = ROLE_OVERRIDES[`${method} ${apiPath}`] ?? (holders?.[0] as Role | undefined);
          if (!role) throw new Error(`${method} ${apiPath}: no role holds ${route.permission}`);
          token = (await user(role, homeOf(role))).token;
        }
        probes.push(...probesOf(apiPath, method, op, token, samples));
      }
    }

    const failures: { where: string; problem: string }[] = [];
    const statuses = new Map<number, number>();
    const started = Date.now();
    const cpu = process.cpuUsage();
    await inPool(probes, CONCURRENCY, async (p) => {
      let a: Answer;
      try {
        a = await send(p);
      } catch (err) {
        failures.push({ where: `${p.route} — ${p.label}`, problem: `no answer (${String(err)})` });
        return;
      }
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      if (p.label === 'the valid sample') {
        if (a.status >= 400 && (a.body as { code?: string })?.code === 'VALIDATION_FAILED') {
          failures.push({ where: `${p.route} — the valid sample`, problem: `invalid: ${JSON.stringify(a.body.details)}` });
        }
        return;
      }
      const problem = judge(p, a);
      if (problem) failures.push({ where: `${p.route} — ${p.label}`, problem });
    });
    const seconds = (Date.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    process.stdout.write(
      `input fuzz: ${probes.length} requests in ${seconds.toFixed(1)} s (${((used.user + used.system) / 1e6).toFixed(1)} s CPU in this process); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}\n`,
    );

    if (failures.length) {
      // The kinds of failure and their counts first: one cause often fails hundreds of probes.
      const kinds = new Map<string, number>();
      for (const f of failures) {
        const kind = f.problem
          .replace(/\d+/g, 'N')
          .replace(/'[^']*'/g, "'…'")
          .slice(0, 70);
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      process.stdout.write(
        `input fuzz: ${failures.length} failures\n${[...kinds]
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `  ${n} × ${k}`)
          .join('\n')}\n`,
      );
    }
    expect(probes.length).toBeGreaterThan(3000);
    expect(failures.slice(0, 80).map((f) => `${f.where}: ${f.problem}`)).toEqual([]);
    expect(failures.length).toBe(0);
    const health = await t.api.get('/health');
    expect([health.status, health.body]).toEqual([200, { status: 'ok', database: 'up' }]);
  }, 600_000);

  it('refusals written before routing (431, bad URL) carry the security headers too', async () => {
    for (const path of [`/health?pad=${'a'.repeat(20_000)}`, '/api/v1/%E0%A4%A']) {
      const r = await t.api.get(path);
      expect([r.status, r.headers.get('x-content-type-options'), r.headers.get('x-frame-options')]).toEqual([
        path.startsWith('/health') ? 431 : 400,
        'nosniff',
        'DENY',
      ]);
    }
  });

  it('a caller request id is echoed and logged only when it looks like an id', async () => {
    for (const [given, kept] of [
      ['caller-id-42', true],
      ['a b', false],
      ['x'.repeat(129), false],
      ['%E2%80%AE', false],
    ] as const) {
      const r = await t.api.request('GET', '/health', { headers: { 'x-request-id': given } });
      expect([given, r.headers.get('x-request-id')!.length]).toEqual([given, kept ? given.length : 36]);
      if (kept) expect(r.headers.get('x-request-id')).toBe(given);
    }
  });

  it('a body past the route limit is refused before it is parsed', async () => {
    const resident = await user('resident', VILLAGE_A);
    const big = JSON.stringify({ choice: 'yes', pad: 'x'.repeat(1024 * 1024 + 1) });
    const r = await t.api.request('POST', `/api/v1/proposals/${ids.proposal}/ballots`, { token: resident.token, body: JSON.parse(big) });
    expect([r.status, r.body]).toEqual([413, { code: 'PAYLOAD_TOO_LARGE', message: '上传内容过大' }]);
  });
});

describe('text inside uploaded tables', () => {
  it('a register CSV row whose name is only zero-width characters, or holds a tab, is named as a row error', async () => {
    const committee = await user('village_committee', VILLAGE_A);
    const csv = [
      '姓名,身份证号,手机号,户号,村民代表,党员,集体经济组织成员',
      `\u200b\ufeff,${makeIdNumber('1960-02-02')},,,,,`,
      `王\t五,${makeIdNumber('1960-02-03')},,,,,`,
    ].join('\n');
    const r = await t.api.post(`/api/v1/villages/${VILLAGE_A}/residents/import`, { csv }, committee.token);
    expect(r.status).toBe(400);
    expect(r.body.details.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [2, '姓名', 'NAME_INVALID'],
      [3, '姓名', 'NAME_INVALID'],
    ]);
    expect(r.body.details.errors.map((e: { message: string }) => e.message)).toEqual([
      '姓名不能只包含空白或不可见字符',
      '姓名不能包含换行或制表符',
    ]);
    // A direction override anywhere in the file refuses the whole field, before any row is read.
    const bidi = await t.api.post(
      `/api/v1/villages/${VILLAGE_A}/residents/import`,
      { csv: csv.replace('王\t五', '王\u202e五') },
      committee.token,
    );
    expect([bidi.status, bidi.body.details]).toEqual([400, [{ field: 'csv', messages: ['不能包含改变文字方向的控制字符'] }]]);
  });

  it('an economy CSV cell with a direction override is a row error, not a stored name', async () => {
    const committee = await user('village_committee', VILLAGE_A);
    const csv = [
      '层级,所在区划代码,组织名称,统一社会信用代码,理事长,成员数,总份额',
      `village,${VILLAGE_A},测试\u202e村股份经济合作社,${orgCreditCode(VILLAGE_A)},王\u2066建国,10,100`,
    ].join('\r\n');
    const started = await t.api.post(
      '/api/v1/economy/imports',
      { fileName: '组织.csv', kind: 'orgs', contentBase64: Buffer.from(csv).toString('base64') },
      committee.token,
    );
    expect(started.status).toBe(202);
    const job = await waitForImport(() => t.api.get(`/api/v1/economy/imports/${started.body.id}`, committee.token));
    expect(job.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code]).sort()).toEqual([
      [2, '理事长', 'TEXT_INVALID'],
      [2, '组织名称', 'TEXT_INVALID'],
    ]);
    const stored = await queryRows(
      t.db,
      `SELECT 1 FROM collective_org WHERE name LIKE '测试%村股份经济合作社' AND name ~ '[\u202a-\u202e]'`,
    );
    expect(stored).toEqual([]);
  });
});
