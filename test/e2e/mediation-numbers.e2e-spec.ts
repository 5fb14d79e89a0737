import { systemActor } from '#identity';
import { CaseIntakeService } from '#mediation';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { caseBody, givenCast, type MediationCast, TOWNSHIP_A, VILLAGE_A, VILLAGE_B } from './mediation-fixtures.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
let cast: MediationCast;
beforeAll(async () => {
  t = await startTestApp();
  cast = await givenCast(t);
}, 60_000);
afterAll(async () => {
  await t.close();
});

const seqOf = (caseNo: string) => Number(/第(\d+)号$/.exec(caseNo)![1]);
const yearNow = () => Number(new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 4));

describe('case numbers', () => {
  it('100 concurrent intakes in one committee get 100 distinct consecutive numbers', async () => {
    // On a starved machine a request may wait past the pool's 5 s connection timeout and answer 503
    // DATABASE_UNAVAILABLE, as designed; a client sends it again. Such a refusal must not use up a
    // number: the numbers below are still 1..100 with no gap.
    const intake = async () => {
      for (let attempt = 1; ; attempt++) {
        const r = await t.api.post('/api/v1/mediation/cases', caseBody(TOWNSHIP_A).body, cast.ts.token);
        if (r.status !== 503 || attempt === 5) return r;
        expect(r.body.code).toBe('DATABASE_UNAVAILABLE');
      }
    };
    const results = await Promise.all(Array.from({ length: 100 }, intake));
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(201));
    const year = yearNow();
    const numbers = results.map((r) => r.body.caseNo as string);
    expect(new Set(numbers).size).toBe(100);
    for (const n of numbers) expect(n).toMatch(new RegExp(`^（${year}）长子鲍店调字第\\d{3}号$`));
    const seqs = numbers.map(seqOf).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // The rows agree with the responses, and the counter stands at the last number.
    const rows = await queryRows<{ case_no: string; seq: number }>(
      t.db,
      `SELECT case_no, seq FROM mediation_case WHERE origin_committee_code = $1 ORDER BY seq`,
      [TOWNSHIP_A],
    );
    expect(rows.map((r) => r.case_no).sort()).toEqual([...numbers].sort());
    const [counter] = await queryRows<{ last_seq: number }>(
      t.db,
      `SELECT last_seq FROM mediation_case_counter WHERE committee_code = $1 AND year = $2`,
      [TOWNSHIP_A, year],
    );
    expect(counter.last_seq).toBe(100);
  });

  it('numbers are per committee: another committee starts at 001 with its own place name', async () => {
    const a = await t.api.post('/api/v1/mediation/cases', caseBody(VILLAGE_A).body, cast.vc.token);
    const b = await t.api.post('/api/v1/mediation/cases', caseBody(VILLAGE_B).body, cast.vcB.token);
    expect(a.body.caseNo).toBe(`（${yearNow()}）长子鲍店东街调字第001号`);
    expect(b.body.caseNo).toBe(`（${yearNow()}）长子石哲西调字第001号`);
    const county = await t.api.post('/api/v1/mediation/cases', caseBody('140428').body, cast.medC.token);
    expect(county.body.caseNo).toBe(`（${yearNow()}）长子调字第001号`);
  });

  it('a failed intake does not use up a number; a new year starts again at 001', async () => {
    const before = await t.api.post('/api/v1/mediation/cases', caseBody(VILLAGE_A).body, cast.vc.token);
    const bad = await t.api.post('/api/v1/mediation/cases', caseBody(VILLAGE_A, { source: 'court_referral' }).body, cast.vc.token);
    expect(bad.status).toBe(400);
    // A transaction that takes a number and then fails rolls the counter back with it.
    const intake = t.app.get(CaseIntakeService);
    await expect(
      t.db.transaction(async (em) => {
        await intake.create(em, systemActor('test'), { ...caseBody(VILLAGE_A).body, source: 'initiative' });
        throw new Error('fails after numbering');
      }),
    ).rejects.toThrow('fails after numbering');
    const after = await t.api.post('/api/v1/mediation/cases', caseBody(VILLAGE_A).body, cast.vc.token);
    expect(seqOf(after.body.caseNo)).toBe(seqOf(before.body.caseNo) + 1);
    const shift = 366 * 86_400_000;
    t.clock.advance(shift);
    try {
      const next = await t.api.post('/api/v1/mediation/cases', caseBody(VILLAGE_A).body, cast.vc.token);
      expect(next.body.caseNo).toBe(`（${yearNow()}）长子鲍店东街调字第001号`);
    } finally {
      t.clock.advance(-shift);
    }
  });
});
