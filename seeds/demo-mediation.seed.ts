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
import { loadConfig, maskMobile, maskResidentId, PiiCipher, queryRows } from '#platform';
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
];
const SOURCES = ['application', 'application', 'initiative', 'court_referral', 'police_referral', 'petition_referral'];
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
    const done = await queryRows(em, `SELECT 1 FROM mediation_case WHERE is_demo LIMIT 1`);
    if (done.length) return 0;
    const divisions = await queryRows<{ code: string; name: string; level: string }>(
      em,
      `SELECT code, name, level FROM division WHERE code LIKE $1 ORDER BY code`,
      [`${COUNTY}%`],
    );
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
    const mediators = await queryRows<{ person_id: string; division_code: string }>(
      em,
      `SELECT person_id, division_code FROM role_grant WHERE role = 'mediator' AND revoked_at IS NULL AND division_code LIKE $1 ORDER BY division_code, person_id`,
      [`${COUNTY}%`],
    );
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
  const [{ last_seq: seq }] = await queryRows<{ last_seq: number }>(
    em,
    `INSERT INTO mediation_case_counter (committee_code, year, last_seq) VALUES ($1, $2, 1)
     ON CONFLICT (committee_code, year) DO UPDATE SET last_seq = mediation_case_counter.last_seq + 1 RETURNING last_seq`,
    [o, year],
  );
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
  const [{ id }] = await queryRows<{ id: string }>(
    em,
    `INSERT INTO mediation_case (case_no, origin_committee_code, committee_code, year, seq, status, outcome, dispute_type, summary, claims,
       amount_fen, source, referring_body, risk_level, non_public, applied_at, accepted_at, due_at, concluded_at, decline_reason,
       terminate_reason, other_channels, escalation_count, closed_at, due_unverified_year, is_demo, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, true, $16, $16)
     RETURNING id`,
    [
      formatCaseNumber(year, place, seq),
      o,
      c.committee,
      year,
      seq,
      c.state,
      outcome,
      type,
      `（演示）${SUMMARIES[type]}`,
      '请求调解委员会主持协商解决',
      c.index % 3 === 0 ? ((c.index % 50) + 1) * 100_000 : null,
      source,
      REFERRERS[source] ?? null,
      c.index % 11 === 0 ? 'medium' : 'low',
      type === 'marriage_family',
      applied,
      accepted,
      due,
      concludedAt,
      c.state === 'declined' ? '被申请人明确表示不同意调解（人民调解法第十七条）' : null,
      terminated ? '双方分歧较大，经多次调解未能达成协议' : null,
      terminated ? ['litigation', 'arbitration'] : null,
      c.escalations,
      closedAt,
      extendedTo ? null : (computedDue?.unverifiedYear ?? null),
    ],
  );
  for (const [ord, role] of (['applicant', 'respondent'] as const).entries()) {
    const n = 5000 + c.index * 2 + ord;
    const idNumber = demoIdNumber(n, `19${60 + (n % 35)}-0${1 + (n % 9)}-2${n % 8}`, n % 2 === 0);
    const phone = `158042${String(n).padStart(5, '0')}`;
    // An applicant online cannot be expected to know the other side's ID number: a name and a phone.
    const withId = !(ord === 1 && traits.respondentWithoutId);
    await em.query(
      `INSERT INTO mediation_party (case_id, ord, party_role, kind, name, id_number_enc, id_number_hash, id_number_masked, phone_enc, phone_hash, phone_masked, address)
       VALUES ($1, $2, $3, 'person', $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        ord,
        role,
        demoName(n),
        withId ? pii.encrypt(idNumber) : null,
        withId ? pii.hash('id', idNumber) : null,
        withId ? maskResidentId(idNumber) : null,
        pii.encrypt(phone),
        pii.hash('phone', phone),
        maskMobile(phone),
        withId ? `${names.get(o) ?? ''}（演示地址）` : null,
      ],
    );
  }
  const event = (at: Date, action: string, from: string | null, to: string, fromC: string | null, toC: string) =>
    em.query(
      `INSERT INTO mediation_case_event (case_id, at, action, from_status, to_status, from_committee, to_committee, note) VALUES ($1, $2, $3, $4, $5, $6, $7, '演示数据')`,
      [id, at, action, from, to, fromC, toC],
    );
  await event(applied, 'register', null, 'applied', null, o);
  if (c.state === 'declined') await event(concludedAt!, 'decline', 'applied', 'declined', o, o);
  if (!accepted) return;
  await event(accepted, 'accept', 'applied', 'accepted', o, o);
  if (c.escalations >= 1) await event(escalatedAt!, 'escalate', 'accepted', 'accepted', o, o.slice(0, 9));
  if (c.escalations === 2) await event(escalatedAt!, 'escalate', 'accepted', 'accepted', o.slice(0, 9), COUNTY);
  const mediator = mediators.find((m) => m.division_code === c.committee);
  if (mediator) {
    await em.query(`INSERT INTO mediation_assignment (case_id, person_id, committee_code, assigned_at) VALUES ($1, $2, $3, $4)`, [
      id,
      mediator.person_id,
      c.committee,
      escalatedAt ?? accepted,
    ]);
  }
  if (c.state === 'accepted') return;
  const sessionDay = new Date((escalatedAt ?? accepted).getTime() + 3 * DAY);
  if (mediator) {
    await em.query(
      `INSERT INTO mediation_session (case_id, held_on, place, mediator_ids, attendees, record, created_at) VALUES ($1, $2, '调解室', $3::uuid[], '双方当事人', '（演示）双方陈述意见，调解员释法说理。', $4)`,
      [id, cstDate(sessionDay), [mediator.person_id], sessionDay],
    );
  }
  await event(sessionDay, 'session', 'accepted', 'mediating', c.committee, c.committee);
  if (extendedTo && computedDue) {
    const consented = new Date(computedDue.dueAt.getTime() - 3 * DAY);
    await em.query(
      `INSERT INTO mediation_extension (case_id, previous_due_at, new_due_on, new_due_at, consented_on, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, computedDue.dueAt, extendedTo, due, cstDate(consented), '（演示）双方同意待土地测量结果出具后继续调解', consented],
    );
    await em.query(
      `INSERT INTO mediation_case_event (case_id, at, action, from_status, to_status, from_committee, to_committee, note) VALUES ($1, $2, 'extend', 'mediating', 'mediating', $3, $3, '演示数据')`,
      [id, consented, c.committee],
    );
  }
  if (c.state === 'mediating') return;
  if (terminated) {
    await event(concludedAt!, 'terminate', 'mediating', 'terminated', c.committee, c.committee);
  } else {
    const effectiveOn = cstDate(concludedAt!);
    const dates = agreementDates(effectiveOn, settings);
    // Every third agreement reached with a mediator is oral (an oral agreement needs a mediator to record it).
    const oral = !!mediator && agreements.withMediator++ % 3 === 1;
    await em.query(
      `INSERT INTO mediation_agreement (case_id, form, facts, dispute_points, responsibilities, terms, performance_method, perform_by, effective_on,
         confirm_deadline, confirm_unverified_year, follow_up_due, committee_sealed, recorded_by, created_at)
       VALUES ($1, $2, $3, $3, $3, '（演示）一方于期限内支付补偿款，另一方不再主张其他权利', '现金或转账一次性支付', $4, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        oral ? 'oral' : 'written',
        oral ? null : '（演示）纠纷主要事实、争议事项与各方责任',
        effectiveOn,
        dates.confirmDeadline,
        dates.confirmUnverifiedYear,
        dates.followUpDue,
        oral ? null : true,
        oral ? mediator.person_id : null,
        concludedAt,
      ],
    );
    if (!oral) {
      await em.query(
        `INSERT INTO mediation_agreement_execution (case_id, party_id, mode)
         SELECT case_id, id, CASE WHEN ord = 1 AND $2 THEN 'thumbprint' ELSE 'sign' END FROM mediation_party WHERE case_id = $1`,
        [id, traits.thumbprint],
      );
      if (mediator)
        await em.query(`INSERT INTO mediation_agreement_execution (case_id, mediator_person_id, mode) VALUES ($1, $2, 'sign')`, [
          id,
          mediator.person_id,
        ]);
    }
    await event(concludedAt!, 'agree', 'mediating', 'agreed', c.committee, c.committee);
    // 司法确认: applied a week after the agreement; some already ruled on (all dates in the past at writing).
    if (traits.confirmation && effectiveOn <= '2026-10-31') {
      const appliedOn = addDaysToDate(effectiveOn, 7);
      const ruled = traits.confirmation === 'confirmed';
      await em.query(
        `INSERT INTO mediation_confirmation (case_id, applied_on, court, outcome, decided_on, created_at, updated_at) VALUES ($1, $2, '长子县人民法院', $3, $4, $5, $5)`,
        [id, appliedOn, ruled ? 'confirmed' : null, ruled ? addDaysToDate(appliedOn, 10) : null, concludedAt],
      );
    }
    if (c.state === 'agreed') return;
    const visited = new Date(concludedAt!.getTime() + 14 * DAY);
    await em.query(
      `INSERT INTO mediation_follow_up (case_id, visited_on, visitor, performance, note, created_at) VALUES ($1, $2, '调解员', 'performed', NULL, $3)`,
      [id, cstDate(visited), visited],
    );
    await event(visited, 'follow_up', 'agreed', 'follow_up', c.committee, c.committee);
  }
  if (c.state === 'closed') await event(closedAt!, 'close', terminated ? 'terminated' : 'follow_up', 'closed', c.committee, c.committee);
}
