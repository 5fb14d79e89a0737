import type { PartyRole } from '#mediation';
import { COUNTY, type GivenUser, makeIdNumber, makePhone, TOWNSHIP_A, VILLAGE_A, VILLAGE_B } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';

/** One identity per relation to a village-A case, plus outsiders, for the mediation suites. */
export interface MediationCast {
  vc: GivenUser; // 村委会 of village A: the village committee's head
  medA: GivenUser; // mediator of village A, assigned to the cases the fixtures make
  medA2: GivenUser; // mediator of village A, never assigned
  ts: GivenUser; // township staff of township A
  medT: GivenUser; // mediator of township A's committee
  medC: GivenUser; // mediator of the county committee
  county: GivenUser; // county administrator (statistics, oversight)
  vcB: GivenUser; // 村委会 of village B, another township
  resident: GivenUser; // a resident of village A, not a party
}

export async function givenCast(t: TestApp): Promise<MediationCast> {
  return {
    vc: await t.given.user('village_committee', VILLAGE_A),
    medA: await t.given.user('mediator', VILLAGE_A),
    medA2: await t.given.user('mediator', VILLAGE_A),
    ts: await t.given.user('township_staff', TOWNSHIP_A),
    medT: await t.given.user('mediator', TOWNSHIP_A),
    medC: await t.given.user('mediator', COUNTY),
    county: await t.given.user('county_admin', COUNTY),
    vcB: await t.given.user('village_committee', VILLAGE_B),
    resident: await t.given.user('resident', VILLAGE_A),
  };
}

export interface TestParty {
  role: PartyRole;
  kind: 'person';
  name: string;
  idNumber: string;
  phone: string;
  address: string;
}

export function person(role: PartyRole, name: string): TestParty {
  return { role, kind: 'person', name, idNumber: makeIdNumber('1975-03-08', true), phone: makePhone(), address: '鲍店镇东街 8 号' };
}

export function caseBody(committeeCode: string, extra: Record<string, unknown> = {}) {
  const parties = [person('applicant', '王建国'), person('respondent', '李秀英')];
  return {
    parties,
    body: {
      committeeCode,
      source: 'application',
      disputeType: 'neighbor' as const,
      summary: '两家因院墙排水问题发生纠纷',
      claims: '请求对方改建排水沟',
      amountFen: 120000,
      parties,
      ...extra,
    },
  };
}

export const SESSION = (mediatorPersonIds: string[]) => ({
  heldOn: '2026-01-05',
  place: '村委会调解室',
  mediatorPersonIds,
  attendees: '双方当事人',
  record: '双方陈述了各自意见，同意再次协商。',
});

export const AGREEMENT = {
  facts: '申请人与被申请人相邻居住，被申请人院墙排水沟排水至申请人院内。',
  disputePoints: '排水沟的改建及费用承担。',
  responsibilities: '被申请人负主要责任。',
  terms: '被申请人于协议生效后十日内改建排水沟，费用自担。',
  performanceMethod: '被申请人自行施工',
  performBy: '2099-12-31',
  // Art. 29: each party executes it (here the applicant signs, the respondent thumb-prints), the committee seals it.
  partyExecutions: [
    { ord: 0, mode: 'sign' },
    { ord: 1, mode: 'thumbprint' },
  ],
  committeeSealed: true,
};

export const FOLLOW_UP = { visitedOn: '2026-01-06', visitor: '调解员回访', performance: 'performed' };

export const TARGET_STATES = ['applied', 'accepted', 'declined', 'mediating', 'agreed', 'terminated', 'follow_up', 'closed'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

/** Registers a village-A case and drives it to `state` through the API (the handler is medA). */
export async function caseIn(
  t: TestApp,
  cast: MediationCast,
  state: TargetState,
  committeeCode = VILLAGE_A,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; caseNo: string; parties: TestParty[] }> {
  const { body, parties } = caseBody(committeeCode, extra);
  const created = await t.api.post('/api/v1/mediation/cases', body, cast.vc.token);
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  const step = async (path: string, payload: unknown, who = cast.vc) => {
    const r = await t.api.post(`/api/v1/mediation/cases/${id}/${path}`, payload, who.token);
    if (r.status !== 200) throw new Error(`${path} failed: ${r.status} ${JSON.stringify(r.body)}`);
  };
  if (state === 'applied') return { id, caseNo: created.body.caseNo, parties };
  if (state === 'declined') {
    await step('decline', { reason: '被申请人明确拒绝调解' });
    return { id, caseNo: created.body.caseNo, parties };
  }
  await step('accept', {});
  await step('mediators', { mediatorPersonIds: [cast.medA.personId] });
  if (state === 'accepted') return { id, caseNo: created.body.caseNo, parties };
  await step('sessions', SESSION([cast.medA.personId]), cast.medA);
  if (state === 'mediating') return { id, caseNo: created.body.caseNo, parties };
  if (state === 'terminated') {
    await step('terminate', { reason: '双方分歧较大', otherChannels: ['litigation'] }, cast.medA);
    return { id, caseNo: created.body.caseNo, parties };
  }
  await step('agreement', AGREEMENT, cast.medA);
  if (state === 'agreed') return { id, caseNo: created.body.caseNo, parties };
  await step('follow-ups', FOLLOW_UP, cast.medA);
  if (state === 'follow_up') return { id, caseNo: created.body.caseNo, parties };
  await step('close', {}, cast.medA);
  return { id, caseNo: created.body.caseNo, parties };
}

export { COUNTY, TOWNSHIP_A, VILLAGE_A, VILLAGE_B };
