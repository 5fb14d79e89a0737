import { jest } from '@jest/globals';
import { MatterRules1764381000000 } from '../../migrations/1764381000000-matter-rules.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { closeVotes, createDraft, officials, ok, toVoting, Villages, vote } from './deliberation-support.js';
import { queryRows } from '../support/sql.js';

jest.setTimeout(90_000);

// Its own database (each e2e file has one): this file takes the migration down and up again.
let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t.close();
});

describe('migration 1764381000000 (matter rules) on data written before it', () => {
  it('marks older proposals whose body may not decide their matter, backfills tallied votes, and goes down and up again', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const reps = [];
    for (let i = 0; i < 3; i++) reps.push(await t.given.user('village_representative', village));
    const tallied = await createDraft(t, o, village, { decidingBody: 'representatives_meeting', ballotType: 'open' });
    const { closesAt } = await toVoting(t, o, village, tallied);
    ok(await vote(t, tallied, reps[0].token, 'yes'), 201);
    ok(await vote(t, tallied, reps[1].token, 'yes'), 201);
    await closeVotes(t, closesAt);
    const fitting = await createDraft(t, o, village, { category: 'public_welfare' });
    const legacy = await createDraft(t, o, village, { category: 'public_welfare' });

    const migration = new MatterRules1764381000000();
    const qr = t.db.createQueryRunner();
    await qr.connect();
    try {
      await migration.down(qr);
      // The old schema: any body for an old category, no new categories.
      await qr.query(`UPDATE proposal SET category = 'homestead' WHERE id = $1`, [legacy]);
      await expect(qr.query(`UPDATE proposal SET category = 'land_adjustment' WHERE id = $1`, [fitting])).rejects.toMatchObject({
        constraint: 'proposal_category_check',
      });
      await expect(
        qr.query(`UPDATE proposal SET category = 'charter', deciding_body = 'members_representatives_assembly' WHERE id = $1`, [fitting]),
      ).rejects.toMatchObject({
        constraint: 'proposal_mra_reserved',
      });
      await migration.up(qr);
    } finally {
      await qr.release();
    }

    const flags = await queryRows<{ id: string; predates_matter_rules: boolean }>(
      t.db,
      `SELECT id, predates_matter_rules FROM proposal WHERE id = ANY($1)`,
      [[tallied, fitting, legacy]],
    );
    expect(Object.fromEntries(flags.map((f) => [f.id, f.predates_matter_rules]))).toEqual({
      [tallied]: false,
      [fitting]: false,
      [legacy]: true,
    });
    const [v] = await queryRows(
      t.db,
      `SELECT threshold, representatives, representatives_yes, electorate, yes_count FROM vote WHERE proposal_id = $1 AND purpose = 'decision'`,
      [tallied],
    );
    expect(v).toEqual({ threshold: 'body_default', representatives: 3, representatives_yes: 2, electorate: 3, yes_count: 2 });

    // The legacy row stays readable and says why its body may not decide it; a fresh misfit is refused by the database.
    const page = ok(await t.api.get(`/api/v1/proposals/${legacy}`, o.committee.token));
    expect(page.matterRule.allowed).toBe(false);
    await expect(t.db.query(`UPDATE proposal SET category = 'charter' WHERE id = $1`, [fitting])).rejects.toMatchObject({
      constraint: 'proposal_matter_body',
    });
    // Re-filing the legacy draft with a fitting body clears its mark.
    ok(await t.api.patch(`/api/v1/proposals/${legacy}`, { decidingBody: 'members_assembly' }, o.committee.token));
    const [after] = await queryRows<{ predates_matter_rules: boolean }>(t.db, `SELECT predates_matter_rules FROM proposal WHERE id = $1`, [
      legacy,
    ]);
    expect(after.predates_matter_rules).toBe(false);
  });
});
