import type { DataSource, EntityManager } from 'typeorm';
import {
  addDaysToDate,
  agreementDates,
  type CaseStatus,
  casePlace,
  cstDate,
  endOfCstDay,
  formatCaseNumber,
  loadMediationSettings,
  mediationDue,
} from '#mediation';
import { sql } from 'kysely';
import { dbOf, loadConfig, maskMobile, maskResidentId, PiiCipher, startingWith } from '#platform';
import { demoIdNumber, demoName } from './demo-ids.js';

/**
 * Demo mediation cases (mediation_case.is_demo) for every township committee of 长子县 (one per state)
 * and every village committee (states in rotation; some escalated to the township or the county).
 * Deterministic: fixed dates, names and identifiers from the case's index. Idempotent: a second run
 * finds demo cases and changes nothing. Numbers come from the same counters as real cases.
 *
 * Among them (人民调解法, decision 014): applications whose respondent gave no ID number (only a phone),
 * written agreements signed or thumb-printed, oral agreements recorded by the mediator, mediation
 * periods extended with the parties' consent, and 司法确认 applications, pending or ruled on.
 */
/** Which demo cases show what: all derived from the case's index, so a test can find them. */
export const demoMediationTraits = (index: number, state: CaseStatus) => ({
  respondentWithoutId: state === 'applied' && index % 2 === 0,
  extended: state === 'mediating' && index % 2 === 1,
  thumbprint: index % 3 === 0,
  confirmation: index % 3 === 0 ? 'confirmed' : index % 3 === 1 ? 'pending' : null,
});
const COUNTY = '140428';
const STATES: readonly CaseStatus[] = ['applied', 'accepted', 'declined', 'mediating', 'agreed', 'terminated', 'follow_up', 'closed'];
const TYPES = [
  'neighbor',
  'marriage_family',
  'homestead',
  'land_contract',
  'damages',
  'contract',
  'forest_land',
  'labor',
  'property_mgmt',
  'expropriation',
  'other',
] as const;
const SOURCES = ['application', 'application', 'initiative', 'court_referral', 'police_referral', 'petition_referral'] as const;
const REFERRERS: Record<string, string> = {
  court_referral: '长子县人民法院',
  police_referral: '长子县公安局',
  petition_referral: '长子县信访局',
};
const SUMMARIES: Record<string, string> = {
  neighbor: '相邻两户因院墙滴水、通行发生争执',
  marriage_family: '赡养老人费用分担发生争议',
  homestead: '宅基地四至界址不清引发纠纷',
  land_contract: '承包地互换后面积认定不一致',
  damages: '饲养的牲畜毁坏邻居庄稼，赔偿数额有争议',
  contract: '农机作业费用未按约支付',
  forest_land: '林地边界与林权证记载不符',
  labor: '务工报酬拖欠',
  property_mgmt: '小区物业费与服务质量争议',
  expropriation: '征地补偿款分配争议',
  other: '其他民间纠纷',
};
const DAY = 86_400_000;

const BASE = Date.parse('2026-01-05T01:30:00Z');

interface DemoCase {
  index: number;
  committee: string;
  origin: string;
  state: CaseStatus;
  escalations: number;
}

export async function seedDemoMediation(db: DataSource, pii?: PiiCipher): Promise<number> {
  const cipher =
    pii ??
    (() => {
      const c = loadConfig();
      return new PiiCipher(c.piiEncryptionKey, c.piiHashKey);
    })();
  const settings = loadMediationSettings();
  return db.transaction(async (em) => {
    const q = dbOf(em);
    const done = await q.selectFrom('mediation_case').select('id').where('is_demo', '=', true).limit(1).executeTakeFirst();
    if (done) return 0;
    const divisions = await q
      .selectFrom('division')
      .select(['code', 'name', 'level'])
      .where('code', 'like', startingWith(COUNTY))
      .orderBy('code')
      .execute();
    if (!divisions.length) return 0;
    const names = new Map(divisions.map((d) => [d.code, d.name]));
    const plan: DemoCase[] = [];
    let index = 0;
    for (const t of divisions.filter((d) => d.level === 'township')) {
      for (const state of STATES) plan.push({ index: index++, committee: t.code, origin: t.code, state, escalations: 0 });
    }
    for (const [k, v] of divisions.filter((d) => d.level === 'village').entries()) {
      const escalations = k % 40 === 7 ? 2 : k % 10 === 3 ? 1 : 0;
      const state = escalations ? (['accepted', 'mediating', 'agreed'] as const)[k % 3] : STATES[k % STATES.length];
      const committee = escalations === 2 ? COUNTY : escalations === 1 ? v.code.slice(0, 9) : v.code;
      plan.push({ index: index++, committee, origin: v.code, state, escalations });
    }
    const mediators = await q
      .selectFrom('role_grant')
      .select(['person_id', 'division_code'])
      .where('role', '=', 'mediator')
      .where('revoked_at', 'is', null)
      .where('division_code', 'like', startingWith(COUNTY))
      .orderBy('division_code')
      .orderBy('person_id')
      .execute();
    const agreements = { withMediator: 0 };
    for (const c of plan) await insertCase(em, c, names, mediators, cipher, settings, agreements);
    return plan.length;
  });
}

async function insertCase(
  em: EntityManager,
  c: DemoCase,
  names: Map<string, string>,
  mediators: { person_id: string; division_code: string }[],
  pii: PiiCipher,
  settings: ReturnType<typeof loadMediationSettings>,
  agreements: { withMediator: number },
): Promise<void> {
  const applied = new Date(BASE + ((c.index * 7) % 290) * DAY + (c.index % 9) * 3_600_000);
  const year = Number(cstDate(applied).slice(0, 4));
  const o = c.origin;
  const place = casePlace({
    county: names.get(o.slice(0, 6))!,
    township: o.length >= 9 ? names.get(o.slice(0, 9)) : undefined,
    village: o.length === 12 ? names.get(o) : undefined,
  });
  const q = dbOf(em);
  const { last_seq: seq } = await q
    .insertInto('mediation_case_counter')
    .values({ committee_code: o, year, last_seq: 1 })
    .onConflict((oc) => oc.columns(['committee_code', 'year']).doUpdateSet({ last_seq: sql`mediation_case_counter.last_seq + 1` }))
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const type = TYPES[c.index % TYPES.length];
  const source = SOURCES[c.index % SOURCES.length];
  const accepted = c.state === 'applied' || c.state === 'declined' ? null : new Date(applied.getTime() + DAY);
  const escalatedAt = accepted && c.escalations ? new Date(accepted.getTime() + 5 * DAY) : null;
  const traits = demoMediationTraits(c.index, c.state);
  const computedDue = accepted ? mediationDue(escalatedAt ?? accepted, settings) : null;
  // An extension agreed by the parties a few days before the month ran out: 15 more days.
  const extendedTo = computedDue && traits.extended ? addDaysToDate(computedDue.dueOn, 15) : null;
  const due = extendedTo ? endOfCstDay(extendedTo) : (computedDue?.dueAt ?? null);
  const agreed = c.state === 'agreed' || c.state === 'follow_up' || (c.state === 'closed' && c.index % 2 === 0);
  const terminated = c.state === 'terminated' || (c.state === 'closed' && !agreed);
  const concludedAt =
    c.state === 'declined'
      ? new Date(applied.getTime() + 2 * DAY)
      : agreed || terminated
        ? new Date(accepted!.getTime() + (8 + (c.index % 30)) * DAY)
        : null;
  const outcome = c.state === 'declined' ? 'declined' : agreed ? 'agreed' : terminated ? 'terminated' : null;
  const closedAt = c.state === 'closed' ? new Date(concludedAt!.getTime() + 20 * DAY) : null;
  const { id } = await q
    .insertInto('mediation_case')
    .values({
      case_no: formatCaseNumber(year, place, seq),
      origin_committee_code: o,
      committee_code: c.committee,
      year,
      seq,
      status: c.state,
      outcome,
      dispute_type: type,
      summary: `（演示）${SUMMARIES[type]}`,
      claims: '请求调解委员会主持协商解决',
      amount_fen: c.index % 3 === 0 ? ((c.index % 50) + 1) * 100_000 : null,
      source,
      referring_body: REFERRERS[source] ?? null,
      risk_level: c.index % 11 === 0 ? 'medium' : 'low',
      non_public: type === 'marriage_family',
      applied_at: applied,
      accepted_at: accepted,
      due_at: due,
      concluded_at: concludedAt,
      decline_reason: c.state === 'declined' ? '被申请人明确表示不同意调解（人民调解法第十七条）' : null,
      terminate_reason: terminated ? '双方分歧较大，经多次调解未能达成协议' : null,
      other_channels: terminated ? ['litigation', 'arbitration'] : null,
      escalation_count: c.escalations,
      closed_at: closedAt,
      due_unverified_year: extendedTo ? null : (computedDue?.unverifiedYear ?? null),
      is_demo: true,
      created_at: applied,
      updated_at: applied,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [ord, role] of (['applicant', 'respondent'] as const).entries()) {
    const n = 5000 + c.index * 2 + ord;
    const idNumber = demoIdNumber(n, `19${60 + (n % 35)}-0${1 + (n % 9)}-2${n % 8}`, n % 2 === 0);
    const phone = `158042${String(n).padStart(5, '0')}`;
    // An applicant online cannot be expected to know the other side's ID number: a name and a phone.
    const withId = !(ord === 1 && traits.respondentWithoutId);
    await q
      .insertInto('mediation_party')
      .values({
        case_id: id,
        ord,
        party_role: role,
        kind: 'person',
        name: demoName(n),
        id_number_enc: withId ? pii.encrypt(idNumber) : null,
        id_number_hash: withId ? pii.hash('id', idNumber) : null,
        id_number_masked: withId ? maskResidentId(idNumber) : null,
        phone_enc: pii.encrypt(phone),
        phone_hash: pii.hash('phone', phone),
        phone_masked: maskMobile(phone),
        address: withId ? `${names.get(o) ?? ''}（演示地址）` : null,
      })
      .execute();
  }
  const event = (at: Date, action: string, from: string | null, to: string, fromC: string | null, toC: string) =>
    q
      .insertInto('mediation_case_event')
      .values({ case_id: id, at, action, from_status: from, to_status: to, from_committee: fromC, to_committee: toC, note: '演示数据' })
      .execute();
  await event(applied, 'register', null, 'applied', null, o);
  if (c.state === 'declined') await event(concludedAt!, 'decline', 'applied', 'declined', o, o);
  if (!accepted) return;
  await event(accepted, 'accept', 'applied', 'accepted', o, o);
  if (c.escalations >= 1) await event(escalatedAt!, 'escalate', 'accepted', 'accepted', o, o.slice(0, 9));
  if (c.escalations === 2) await event(escalatedAt!, 'escalate', 'accepted', 'accepted', o.slice(0, 9), COUNTY);
  const mediator = mediators.find((m) => m.division_code === c.committee);
  if (mediator) {
    await q
      .insertInto('mediation_assignment')
      .values({ case_id: id, person_id: mediator.person_id, committee_code: c.committee, assigned_at: escalatedAt ?? accepted })
      .execute();
  }
  if (c.state === 'accepted') return;
  const sessionDay = new Date((escalatedAt ?? accepted).getTime() + 3 * DAY);
  if (mediator) {
    await q
      .insertInto('mediation_session')
      .values({
        case_id: id,
        held_on: cstDate(sessionDay),
        place: '调解室',
        mediator_ids: [mediator.person_id],
        attendees: '双方当事人',
        record: '（演示）双方陈述意见，调解员释法说理。',
        created_at: sessionDay,
      })
      .execute();
  }
  await event(sessionDay, 'session', 'accepted', 'mediating', c.committee, c.committee);
  if (extendedTo && computedDue) {
    const consented = new Date(computedDue.dueAt.getTime() - 3 * DAY);
    await q
      .insertInto('mediation_extension')
      .values({
        case_id: id,
        previous_due_at: computedDue.dueAt,
        new_due_on: extendedTo,
        new_due_at: due!,
        consented_on: cstDate(consented),
        reason: '（演示）双方同意待土地测量结果出具后继续调解',
        created_at: consented,
      })
      .execute();
    await event(consented, 'extend', 'mediating', 'mediating', c.committee, c.committee);
  }
  if (c.state === 'mediating') return;
  if (terminated) {
    await event(concludedAt!, 'terminate', 'mediating', 'terminated', c.committee, c.committee);
  } else {
    const effectiveOn = cstDate(concludedAt!);
    const dates = agreementDates(effectiveOn, settings);
    // Every third agreement reached with a mediator is oral (an oral agreement needs a mediator to record it).
    const oral = !!mediator && agreements.withMediator++ % 3 === 1;
    await q
      .insertInto('mediation_agreement')
      .values({
        case_id: id,
        form: oral ? 'oral' : 'written',
        facts: oral ? null : '（演示）纠纷主要事实、争议事项与各方责任',
        dispute_points: oral ? null : '（演示）纠纷主要事实、争议事项与各方责任',
        responsibilities: oral ? null : '（演示）纠纷主要事实、争议事项与各方责任',
        terms: '（演示）一方于期限内支付补偿款，另一方不再主张其他权利',
        performance_method: '现金或转账一次性支付',
        perform_by: effectiveOn,
        effective_on: effectiveOn,
        confirm_deadline: dates.confirmDeadline,
        confirm_unverified_year: dates.confirmUnverifiedYear,
        follow_up_due: dates.followUpDue,
        committee_sealed: oral ? null : true,
        recorded_by: oral ? mediator.person_id : null,
        created_at: concludedAt!,
      })
      .execute();
    if (!oral) {
      await q
        .insertInto('mediation_agreement_execution')
        .columns(['case_id', 'party_id', 'mode'])
        .expression(
          q
            .selectFrom('mediation_party')
            .select([
              'case_id',
              'id',
              sql<'thumbprint' | 'sign'>`CASE WHEN ord = 1 AND ${traits.thumbprint} THEN 'thumbprint' ELSE 'sign' END`.as('mode'),
            ])
            .where('case_id', '=', id),
        )
        .execute();
      if (mediator)
        await q
          .insertInto('mediation_agreement_execution')
          .values({ case_id: id, mediator_person_id: mediator.person_id, mode: 'sign' })
          .execute();
    }
    await event(concludedAt!, 'agree', 'mediating', 'agreed', c.committee, c.committee);
    // 司法确认: applied a week after the agreement; some already ruled on (all dates in the past at writing).
    if (traits.confirmation && effectiveOn <= '2026-10-31') {
      const appliedOn = addDaysToDate(effectiveOn, 7);
      const ruled = traits.confirmation === 'confirmed';
      await q
        .insertInto('mediation_confirmation')
        .values({
          case_id: id,
          applied_on: appliedOn,
          court: '长子县人民法院',
          outcome: ruled ? 'confirmed' : null,
          decided_on: ruled ? addDaysToDate(appliedOn, 10) : null,
          created_at: concludedAt!,
          updated_at: concludedAt!,
        })
        .execute();
    }
    if (c.state === 'agreed') return;
    const visited = new Date(concludedAt!.getTime() + 14 * DAY);
    await q
      .insertInto('mediation_follow_up')
      .values({ case_id: id, visited_on: cstDate(visited), visitor: '调解员', performance: 'performed', note: null, created_at: visited })
      .execute();
    await event(visited, 'follow_up', 'agreed', 'follow_up', c.committee, c.committee);
  }
  if (c.state === 'closed') await event(closedAt!, 'close', terminated ? 'terminated' : 'follow_up', 'closed', c.committee, c.committee);
}
