import { jest } from '@jest/globals';
import { createHmac, hkdfSync } from 'node:crypto';
import { VotingService } from '#deliberation';
import { CITY } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  closeVotes,
  createDraft,
  DAY,
  officials,
  ok,
  orgWithMembers,
  throughPartyReview,
  toVoting,
  Villages,
  vote,
} from './deliberation-support.js';
import { queryRows } from '../support/sql.js';

jest.setTimeout(60_000);

async function voteIdOf(proposalId: string): Promise<string> {
  const [{ id }] = await queryRows<{ id: string }>(t.db, `SELECT id FROM vote WHERE proposal_id = $1`, [proposalId]);
  return id;
}

/** receipt code → choice, as stored. */
async function storedChoices(voteId: string): Promise<Record<string, string>> {
  const rows = await queryRows<{ receipt_code: string; choice: string }>(
    t.db,
    `SELECT receipt_code, choice FROM ballot_choice WHERE vote_id = $1`,
    [voteId],
  );
  return Object.fromEntries(rows.map((r) => [r.receipt_code, r.choice]));
}

async function storedMacs(voteId: string): Promise<{ person_id: string; change_mac: Buffer | null }[]> {
  return queryRows(t.db, `SELECT person_id, change_mac FROM ballot_participation WHERE vote_id = $1`, [voteId]);
}

async function changeAudits(voteId: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(
    t.db,
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'ballot.change' AND target_id = $1::text`,
    [voteId],
  );
  return n;
}

/** A receipt code of the right shape that no ballot of this vote carries. */
async function unusedReceipt(voteId: string): Promise<string> {
  const taken = new Set(Object.keys(await storedChoices(voteId)));
  let code = 'ZZZZZZZZZZZ0';
  for (let i = 0; taken.has(code); i++) code = `ZZZZZZZZZZ${String(i).padStart(2, '0')}`;
  return code;
}

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', DB_POOL_SIZE: '20' });
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t.close();
});

describe('one ballot per elector', () => {
  it('50 concurrent identical ballot requests from one voter leave exactly one row; the others are refused', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voter = await t.given.user('resident', village);
    await t.given.person(village, { roles: ['resident'] });
    const id = await createDraft(t, o, village);
    await toVoting(t, o, village, id);
    const responses = await Promise.all(Array.from({ length: 50 }, () => vote(t, id, voter.token, 'yes')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(new Set(responses.filter((r) => r.status === 409).map((r) => r.body.code))).toEqual(new Set(['BALLOT_ALREADY_CAST']));
    const [{ parts, choices }] = await queryRows<{ parts: number; choices: number }>(
      t.db,
      `SELECT (SELECT count(*)::int FROM ballot_participation b JOIN vote v ON v.id = b.vote_id WHERE v.proposal_id = $1) AS parts,
              (SELECT count(*)::int FROM ballot_choice c JOIN vote v ON v.id = c.vote_id WHERE v.proposal_id = $1) AS choices`,
      [id],
    );
    expect({ parts, choices }).toEqual({ parts: 1, choices: 1 });
    const [{ audits }] = await queryRows<{ audits: number }>(
      t.db,
      `SELECT count(*)::int AS audits FROM audit_log WHERE action = 'ballot.cast' AND account_id = $1`,
      [voter.accountId],
    );
    expect(audits).toBe(1);
  });

  it('the database itself refuses a second participation row and a voter outside the frozen electorate', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voter = await t.given.user('resident', village);
    const outsider = await t.given.person(village, { roles: ['resident'] });
    const id = await createDraft(t, o, village);
    await toVoting(t, o, village, id);
    ok(await vote(t, id, voter.token, 'no'), 201);
    const [{ vote_id }] = await queryRows<{ vote_id: string }>(t.db, `SELECT id AS vote_id FROM vote WHERE proposal_id = $1`, [id]);
    // A secret vote that does not allow changes keeps no change MAC at all.
    expect(await storedMacs(vote_id)).toEqual([{ person_id: voter.personId, change_mac: null }]);
    await expect(t.db.query(`UPDATE ballot_participation SET change_mac = '\\x00' WHERE vote_id = $1`, [vote_id])).rejects.toThrow(
      /ballot_participation_change_mac_len/,
    );
    await expect(
      t.db.query(`INSERT INTO ballot_participation (vote_id, person_id, voted_on) VALUES ($1, $2, current_date)`, [
        vote_id,
        voter.personId,
      ]),
    ).rejects.toThrow(/duplicate key/);
    const stranger = await t.given.person(villages.inA(), { roles: ['resident'] });
    await expect(
      t.db.query(`INSERT INTO ballot_participation (vote_id, person_id, voted_on) VALUES ($1, $2, current_date)`, [
        vote_id,
        stranger.personId,
      ]),
    ).rejects.toThrow(/foreign key/);
    await expect(
      t.db.query(
        `INSERT INTO ballot_choice (vote_id, ballot_type, receipt_code, choice, voter_person_id) VALUES ($1, 'secret', 'ABCDEFGHJKLM', 'yes', $2)`,
        [vote_id, outsider.personId],
      ),
    ).rejects.toThrow(/ballot_choice_secret_unnamed/);
  });

  it('two concurrent approvals: one succeeds, the other gets 409', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const second = await t.given.user('township_staff', village.slice(0, 9), { home: village });
    const id = await createDraft(t, o, village);
    await throughPartyReview(t, o, village, id);
    const [a, b] = await Promise.all([
      t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token),
      t.api.post(`/api/v1/proposals/${id}/approve`, {}, second.token),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM proposal_event WHERE proposal_id = $1 AND action = 'approve'`,
      [id],
    );
    expect(n).toBe(1);
  });
});

describe('ballots of concurrent requests, written together', () => {
  it('40 electors at once, one of them twice and one outsider: each elector counted once, each refusal precise, batches share no voter-choice link', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voters = [];
    for (let i = 0; i < 40; i++) voters.push(await t.given.user('resident', village));
    const id = await createDraft(t, o, village);
    await toVoting(t, o, village, id);
    const outsider = await t.given.user('resident', village); // registered after the electorate was frozen
    const choices = ['yes', 'no', 'abstain'] as const;
    const requests = [
      ...voters.map((v, i) => vote(t, id, v.token, choices[i % 3])),
      vote(t, id, voters[7].token, 'abstain'),
      vote(t, id, outsider.token, 'yes'),
    ];
    const res = await Promise.all(requests);
    const byVoter = res.slice(0, 40);
    const twice = [res[7], res[40]];
    expect(byVoter.filter((r, i) => i !== 7).every((r) => r.status === 201)).toBe(true);
    expect(twice.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(twice.find((r) => r.status === 409)!.body.code).toBe('BALLOT_ALREADY_CAST');
    expect(res[41].status).toBe(403);
    expect(res[41].body.code).toBe('NOT_IN_ELECTORATE');

    const [vote_] = await queryRows<{ id: string }>(t.db, `SELECT id FROM vote WHERE proposal_id = $1`, [id]);
    const receipts = res.filter((r) => r.status === 201).map((r) => r.body.receiptCode as string);
    expect(new Set(receipts).size).toBe(40);
    const [counts] = await queryRows<{ parts: number; voters: number; choices: number; found: number; audits: number }>(
      t.db,
      `SELECT (SELECT count(*)::int FROM ballot_participation WHERE vote_id = $1) AS parts,
              (SELECT count(DISTINCT person_id)::int FROM ballot_participation WHERE vote_id = $1) AS voters,
              (SELECT count(*)::int FROM ballot_choice WHERE vote_id = $1) AS choices,
              (SELECT count(*)::int FROM ballot_choice WHERE vote_id = $1 AND receipt_code = ANY($2::text[])) AS found,
              (SELECT count(*)::int FROM audit_log WHERE action = 'ballot.cast' AND target_id = $1::text) AS audits`,
      [vote_.id, receipts],
    );
    expect(counts).toEqual({ parts: 40, voters: 40, choices: 40, found: 40, audits: 40 });

    // Ballots written together share their transaction: a participation's xmin names a batch, never one
    // choice. Within each transaction, participations and choices are equally many.
    const groups = await queryRows<{ xid: string; parts: number; choices: number }>(
      t.db,
      `SELECT p.xid, p.n AS parts, COALESCE(c.n, 0) AS choices
         FROM (SELECT xmin::text AS xid, count(*)::int AS n FROM ballot_participation WHERE vote_id = $1 GROUP BY 1) p
         LEFT JOIN (SELECT xmin::text AS xid, count(*)::int AS n FROM ballot_choice WHERE vote_id = $1 GROUP BY 1) c USING (xid)`,
      [vote_.id],
    );
    expect(groups.every((g) => g.parts === g.choices)).toBe(true);
    expect(groups.length).toBeLessThan(40);
    expect(Math.max(...groups.map((g) => g.parts))).toBeGreaterThan(1);
  });

  it('when the batch statement fails, each ballot is tried alone: one failing ballot leaves no trace and sinks no other', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voters = [];
    for (let i = 0; i < 10; i++) voters.push(await t.given.user('resident', village));
    const id = await createDraft(t, o, village);
    await toVoting(t, o, village, id);
    const [vote_] = await queryRows<{ id: string }>(t.db, `SELECT id FROM vote WHERE proposal_id = $1`, [id]);
    // A stand-in for any error inside the statement (a receipt code drawn twice, say): this vote's abstentions fail.
    await t.db.query(`CREATE FUNCTION test_refuse_abstain() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.choice = 'abstain' AND NEW.vote_id = '${vote_.id}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await t.db.query(
      `CREATE TRIGGER test_refuse_abstain BEFORE INSERT ON ballot_choice FOR EACH ROW EXECUTE FUNCTION test_refuse_abstain()`,
    );
    let res;
    try {
      res = await Promise.all(voters.map((v, i) => vote(t, id, v.token, i === 4 ? 'abstain' : 'yes')));
    } finally {
      await t.db.query(`DROP TRIGGER test_refuse_abstain ON ballot_choice`);
      await t.db.query(`DROP FUNCTION test_refuse_abstain()`);
    }
    expect(res.map((r) => r.status)).toEqual([201, 201, 201, 201, 500, 201, 201, 201, 201, 201]);
    expect(res[4].body.code).toBe('INTERNAL_ERROR');
    const [counts] = await queryRows<{ parts: number; choices: number; audits: number; failed: number }>(
      t.db,
      `SELECT (SELECT count(*)::int FROM ballot_participation WHERE vote_id = $1) AS parts,
              (SELECT count(*)::int FROM ballot_choice WHERE vote_id = $1) AS choices,
              (SELECT count(*)::int FROM audit_log WHERE action = 'ballot.cast' AND target_id = $1::text) AS audits,
              (SELECT count(*)::int FROM ballot_participation WHERE vote_id = $1 AND person_id = $2) AS failed`,
      [vote_.id, voters[4].personId],
    );
    expect(counts).toEqual({ parts: 9, choices: 9, audits: 9, failed: 0 });
    // Nothing was half-written: the voter whose ballot failed can still vote.
    ok(await vote(t, id, voters[4].token, 'abstain'), 201);
  });
});

describe('secret ballot', () => {
  it('leaves no way in the stored columns to join a voter to a choice', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voters = [];
    for (let i = 0; i < 6; i++) voters.push(await t.given.user('resident', village));
    // Changes allowed: the participation rows then also hold the change MAC, the case to check.
    const id = await createDraft(t, o, village, { ballotType: 'secret', allowBallotChange: true });
    const { closesAt } = await toVoting(t, o, village, id);
    for (const [i, v] of voters.entries()) ok(await vote(t, id, v.token, i % 3 === 0 ? 'no' : 'yes'), 201);

    // The two tables share only vote_id; neither has a time finer than a day, a serial or an identity column.
    const cols = await queryRows<{
      table_name: string;
      column_name: string;
      data_type: string;
      column_default: string | null;
      is_identity: string;
    }>(
      t.db,
      `SELECT table_name, column_name, data_type, column_default, is_identity FROM information_schema.columns
        WHERE table_name IN ('ballot_participation', 'ballot_choice') AND table_schema = 'public'`,
    );
    const of = (tbl: string) => cols.filter((c) => c.table_name === tbl).map((c) => c.column_name);
    expect(of('ballot_participation').filter((c) => of('ballot_choice').includes(c))).toEqual(['vote_id']);
    for (const c of cols) {
      expect(c.data_type).not.toMatch(/timestamp|time with/);
      expect(c.is_identity).toBe('NO');
      expect(c.column_default ?? '').not.toMatch(/nextval/);
    }
    const [{ vote_id }] = await queryRows<{ vote_id: string }>(t.db, `SELECT id AS vote_id FROM vote WHERE proposal_id = $1`, [id]);
    // No person id in any choice row of a secret vote, and no receipt code stored on the participation side.
    const choiceRows = await queryRows<Record<string, unknown>>(t.db, `SELECT * FROM ballot_choice WHERE vote_id = $1`, [vote_id]);
    expect(choiceRows).toHaveLength(6);
    const personIds = new Set(voters.map((v) => v.personId));
    for (const row of choiceRows) {
      expect(row.voter_person_id).toBeNull();
      for (const value of Object.values(row)) expect(personIds.has(String(value))).toBe(false);
    }
    // No other table records a choice next to a person: the audit rows of the ballots carry no choice,
    // and no column of any table in the schema references both a person and ballot_choice.
    const audit = await queryRows<{ details: unknown }>(
      t.db,
      `SELECT details FROM audit_log WHERE target_id = $1 AND action = 'ballot.cast'`,
      [vote_id],
    );
    expect(audit).toHaveLength(6);
    for (const a of audit) expect(JSON.stringify(a.details)).not.toMatch(/yes|"no"|choice|receipt/);
    const fks = await queryRows<{ conname: string }>(
      t.db,
      `SELECT conname FROM pg_constraint WHERE conrelid = 'ballot_choice'::regclass AND contype = 'f' AND confrelid = 'ballot_participation'::regclass
       UNION ALL SELECT conname FROM pg_constraint WHERE conrelid = 'ballot_participation'::regclass AND contype = 'f' AND confrelid = 'ballot_choice'::regclass`,
    );
    expect(fks).toEqual([]);

    // While the vote is open each participation row holds a change MAC (32 bytes, each different).
    // Without the application's key no function of the stored columns reproduces it: the unkeyed
    // hashes of what a MAC could be over, tried for every participation × choice pair, match nothing.
    const macs = await storedMacs(vote_id);
    expect(macs).toHaveLength(6);
    for (const m of macs) expect(m.change_mac).toHaveLength(32);
    expect(new Set(macs.map((m) => m.change_mac!.toString('hex'))).size).toBe(6);
    const [{ unkeyed }] = await queryRows<{ unkeyed: number }>(
      t.db,
      `SELECT count(*)::int AS unkeyed
         FROM ballot_participation b JOIN ballot_choice c ON c.vote_id = b.vote_id JOIN vote v ON v.id = b.vote_id
        WHERE b.vote_id = $1
          AND b.change_mac IN (sha256(uuid_send(v.proposal_id) || uuid_send(b.person_id) || convert_to(c.receipt_code, 'UTF8')),
                               sha256(uuid_send(v.id) || uuid_send(b.person_id) || convert_to(c.receipt_code, 'UTF8')),
                               sha256(convert_to(c.receipt_code, 'UTF8')),
                               sha256(convert_to(v.proposal_id::text || b.person_id::text || c.receipt_code, 'UTF8')),
                               sha256(convert_to(v.id::text || b.person_id::text || c.receipt_code, 'UTF8')))`,
      [vote_id],
    );
    expect(unkeyed).toBe(0);
    // The control that makes the line above mean something: with the key (which lives outside the
    // database), each MAC names exactly one receipt. This is the residual risk docs/secret-ballot.md
    // states for whoever holds both the key and the database while the vote is open.
    const k = Buffer.from(hkdfSync('sha256', t.config.piiHashKey, Buffer.alloc(0), 'sangong ballot-change v1', 32));
    const receipts = Object.keys(await storedChoices(vote_id));
    for (const m of macs) {
      const named = receipts.filter((r) => createHmac('sha256', k).update(`${id}${m.person_id}${r}`).digest().equals(m.change_mac!));
      expect(named).toHaveLength(1);
    }

    // After close the rows are rewritten by the closing transaction: one xmin for all, so the
    // insert transactions no longer pair a participation row with its choice row; and the change
    // MACs are gone, so not even the key links a voter to a receipt any more.
    await closeVotes(t, closesAt);
    expect((await storedMacs(vote_id)).map((m) => m.change_mac)).toEqual(Array(6).fill(null));
    const xmins = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(DISTINCT xmin::text)::int AS n FROM ballot_choice WHERE vote_id = $1
       UNION ALL SELECT count(DISTINCT xmin::text)::int FROM ballot_participation WHERE vote_id = $1`,
      [vote_id],
    );
    expect(xmins.map((x) => x.n)).toEqual([1, 1]);
    const r = ok(await t.api.get(`/api/v1/proposals/${id}/results`, voters[0].token));
    expect(r).toMatchObject({ yes: 4, no: 2, participants: 6 });
  });
});

describe('changing a ballot: only the voter who cast it', () => {
  it('secret: a voter holding another voter’s receipt cannot change that ballot, and an unknown receipt gets the same answer', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const a = await t.given.user('resident', village);
    const b = await t.given.user('resident', village);
    const id = await createDraft(t, o, village, { ballotType: 'secret', allowBallotChange: true });
    const { closesAt } = await toVoting(t, o, village, id);
    const ra = ok(await vote(t, id, a.token, 'yes'), 201).receiptCode as string;
    const rb = ok(await vote(t, id, b.token, 'yes'), 201).receiptCode as string;
    const voteId = await voteIdOf(id);

    // A shows up with B's receipt (B showed it, or it leaked): refused, nothing changes, nothing audited.
    const stolen = await vote(t, id, a.token, 'no', rb);
    expect(stolen.status).toBe(403);
    expect(stolen.body.code).toBe('RECEIPT_NOT_YOURS');
    const stolenLower = await vote(t, id, a.token, 'no', rb.toLowerCase());
    expect(stolenLower.body.code).toBe('RECEIPT_NOT_YOURS');
    expect(await storedChoices(voteId)).toEqual({ [ra]: 'yes', [rb]: 'yes' });
    expect(await changeAudits(voteId)).toBe(0);

    // A receipt that no ballot carries: the same status, code and message, so the answer does not
    // say whether a receipt exists.
    const unknown = await vote(t, id, a.token, 'no', await unusedReceipt(voteId));
    expect(unknown.status).toBe(stolen.status);
    expect(unknown.body).toEqual(stolen.body);
    expect(await storedChoices(voteId)).toEqual({ [ra]: 'yes', [rb]: 'yes' });

    // Each voter still changes their own ballot with their own receipt (any letter case).
    expect(ok(await vote(t, id, b.token, 'abstain', rb.toLowerCase()), 201)).toEqual({ receiptCode: rb, changed: true });
    expect(ok(await vote(t, id, a.token, 'no', ra), 201)).toEqual({ receiptCode: ra, changed: true });
    expect(await storedChoices(voteId)).toEqual({ [ra]: 'no', [rb]: 'abstain' });
    expect(await changeAudits(voteId)).toBe(2);
    // Tried again after B's change: still refused, still nothing changed.
    expect((await vote(t, id, a.token, 'yes', rb)).body.code).toBe('RECEIPT_NOT_YOURS');
    expect(await storedChoices(voteId)).toEqual({ [ra]: 'no', [rb]: 'abstain' });

    await closeVotes(t, closesAt);
    expect(ok(await t.api.get(`/api/v1/proposals/${id}/results`, a.token))).toMatchObject({ yes: 0, no: 1, abstain: 1, participants: 2 });
    expect((await storedMacs(voteId)).map((m) => m.change_mac)).toEqual([null, null]);
  });

  it('open: a voter cannot reach another voter’s ballot by passing that voter’s receipt', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const a = await t.given.user('resident', village);
    const b = await t.given.user('resident', village);
    const id = await createDraft(t, o, village, { ballotType: 'open', allowBallotChange: true });
    await toVoting(t, o, village, id);
    const ra = ok(await vote(t, id, a.token, 'yes'), 201).receiptCode as string;
    const rb = ok(await vote(t, id, b.token, 'yes'), 201).receiptCode as string;
    const voteId = await voteIdOf(id);
    const byVoter = async () =>
      Object.fromEntries(
        (
          await queryRows<{ voter_person_id: string; choice: string }>(
            t.db,
            `SELECT voter_person_id, choice FROM ballot_choice WHERE vote_id = $1`,
            [voteId],
          )
        ).map((r) => [r.voter_person_id, r.choice]),
      );

    const stolen = await vote(t, id, a.token, 'no', rb);
    expect(stolen.status).toBe(403);
    expect(stolen.body.code).toBe('RECEIPT_NOT_YOURS');
    expect(await byVoter()).toEqual({ [a.personId]: 'yes', [b.personId]: 'yes' });
    expect(await changeAudits(voteId)).toBe(0);
    // An open ballot is the voter's by name: without a receipt, or with their own, a voter changes only their own.
    expect(ok(await vote(t, id, a.token, 'no'), 201)).toEqual({ receiptCode: ra, changed: true });
    expect(await byVoter()).toEqual({ [a.personId]: 'no', [b.personId]: 'yes' });
    expect(ok(await vote(t, id, b.token, 'abstain', rb), 201)).toEqual({ receiptCode: rb, changed: true });
    expect(await byVoter()).toEqual({ [a.personId]: 'no', [b.personId]: 'abstain' });
    // Open ballots keep no change MAC: they are found by their voter.
    expect((await storedMacs(voteId)).map((m) => m.change_mac)).toEqual([null, null]);
  });

  it('secret, 成员大会: the proxy holder changes the ballot they cast for the grantor, and only with that ballot’s receipt', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const holder = await t.given.user('resident', village);
    const other = await t.given.user('resident', village);
    await t.db.query(`UPDATE person SET household_no = 'Q1' WHERE id = $1`, [holder.personId]);
    await t.db.query(`UPDATE person SET household_no = 'Q2' WHERE id = $1`, [other.personId]);
    const grantor = await t.given.person(village, { household: 'Q1' });
    await orgWithMembers(t, o, village, [holder, other, grantor]);
    const id = await createDraft(t, o, village, {
      decidingBody: 'members_assembly',
      category: 'collective_income',
      ballotType: 'secret',
      allowBallotChange: true,
    });
    const { closesAt } = await toVoting(t, o, village, id);
    ok(
      await t.api.post(
        `/api/v1/proposals/${id}/proxies`,
        { grantorPersonId: grantor.personId, proxyPersonId: holder.personId },
        o.committee.token,
      ),
      201,
    );
    const byProxy = (token: string, choice: string, receiptCode?: string) =>
      t.api.post(
        `/api/v1/proposals/${id}/ballots`,
        { choice, onBehalfOf: grantor.personId, ...(receiptCode ? { receiptCode } : {}) },
        token,
      );

    const rg = ok(await byProxy(holder.token, 'yes'), 201).receiptCode as string;
    const rh = ok(await vote(t, id, holder.token, 'yes'), 201).receiptCode as string;
    const ro = ok(await vote(t, id, other.token, 'yes'), 201).receiptCode as string;
    const voteId = await voteIdOf(id);
    const all = { [rg]: 'yes', [rh]: 'yes', [ro]: 'yes' };

    // The holder's own receipt does not open the grantor's ballot, nor the grantor's receipt the holder's own.
    expect((await byProxy(holder.token, 'no', rh)).body.code).toBe('RECEIPT_NOT_YOURS');
    expect((await vote(t, id, holder.token, 'no', rg)).body.code).toBe('RECEIPT_NOT_YOURS');
    // Another member holding the grantor's receipt: not theirs, and they hold no proxy either.
    expect((await vote(t, id, other.token, 'no', rg)).body.code).toBe('RECEIPT_NOT_YOURS');
    const noProxy = await byProxy(other.token, 'no', rg);
    expect(noProxy.status).toBe(403);
    expect(noProxy.body.code).toBe('PROXY_NOT_HELD');
    expect(await storedChoices(voteId)).toEqual(all);
    expect(await changeAudits(voteId)).toBe(0);

    expect(ok(await byProxy(holder.token, 'no', rg), 201)).toEqual({ receiptCode: rg, changed: true });
    expect(await storedChoices(voteId)).toEqual({ ...all, [rg]: 'no' });
    const [audit] = await queryRows<{ details: Record<string, unknown> }>(
      t.db,
      `SELECT details FROM audit_log WHERE action = 'ballot.change' AND target_id = $1::text`,
      [voteId],
    );
    expect(audit.details).toEqual({ proposalId: id, ballotType: 'secret', byProxyFor: grantor.personId });

    await closeVotes(t, closesAt);
    expect((await storedMacs(voteId)).map((m) => m.change_mac)).toEqual([null, null, null]);
  });
});

describe('no running results, close and tally', () => {
  it('refuses results to every role before close, the scheduler closes a due vote once, and the tally matches our own count', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voters = [];
    for (let i = 0; i < 25; i++) voters.push(await t.given.user('resident', village, { extraRoles: i < 3 ? ['party_member'] : [] }));
    for (let i = 0; i < 5; i++) await t.given.person(village, { roles: ['resident'] });
    const others = [
      o.committee,
      o.township,
      await t.given.user('supervision_committee', village),
      await t.given.user('county_admin', village.slice(0, 6), { home: village }),
      await t.given.user('city_admin', CITY, { home: village }),
      await t.given.user('village_representative', village),
    ];
    const id = await createDraft(t, o, village, { ballotType: 'open' });
    const { closesAt } = await toVoting(t, o, village, id);
    const pick = ['yes', 'no', 'abstain'] as const;
    const mine = { yes: 0, no: 0, abstain: 0 };
    // A deterministic but irregular spread of choices; four voters stay home.
    for (let i = 0; i < 21; i++) {
      const c = pick[((i * 7 + 3) % 5) % 3];
      mine[c]++;
      ok(await vote(t, id, voters[i].token, c), 201);
    }
    for (const who of [...others, voters[0], voters[22]]) {
      const res = await t.api.get(`/api/v1/proposals/${id}/results`, who.token);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('RESULTS_NOT_YET_AVAILABLE');
    }
    expect(ok(await t.api.get(`/api/v1/proposals/${id}/turnout`, o.township.token))).toMatchObject({ electorate: 30, participants: 21 });

    // Register edits after the vote opened do not move the frozen electorate.
    const latecomer = await t.given.user('resident', village);
    await t.db.query(`UPDATE role_grant SET revoked_at = now() WHERE person_id = $1 AND role = 'resident'`, [voters[24].personId]);
    const refused = await vote(t, id, latecomer.token, 'yes');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_IN_ELECTORATE');

    // The 24-hour reminder goes to those who have not voted.
    t.clock.advance(closesAt.getTime() - t.clock.now().getTime() - 12 * 3_600_000);
    await t.app.get(VotingService).closeDueVotes();
    const [{ reminded }] = await queryRows<{ reminded: number }>(
      t.db,
      `SELECT count(*)::int AS reminded FROM notification WHERE proposal_id = $1 AND kind = 'closing_soon'`,
      [id],
    );
    expect(reminded).toBe(9);
    expect(ok(await t.api.get('/api/v1/notifications', voters[22].token)).items.map((n: any) => n.kind)).toContain('closing_soon');
    expect(ok(await t.api.get('/api/v1/notifications', voters[0].token)).items.map((n: any) => n.kind)).not.toContain('closing_soon');

    // Several scheduler ticks at once (as from several processes): the vote is closed once.
    t.clock.advance(closesAt.getTime() - t.clock.now().getTime() + 1000);
    const voting = t.app.get(VotingService);
    const closedCounts = await Promise.all([voting.closeDueVotes(), voting.closeDueVotes(), voting.closeDueVotes()]);
    expect(closedCounts.reduce((a, b) => a + b, 0)).toBe(1);
    const events = await queryRows<{ action: string }>(
      t.db,
      `SELECT action FROM proposal_event WHERE proposal_id = $1 AND action LIKE 'vote_%'`,
      [id],
    );
    expect(events).toHaveLength(1);

    const r = ok(await t.api.get(`/api/v1/proposals/${id}/results`, others[4].token));
    expect(r).toMatchObject({ ...mine, participants: 21, electorate: 30 });
    const expectedOutcome = 2 * 21 > 30 ? (2 * mine.yes > 21 ? 'passed' : 'rejected') : 'no_quorum';
    expect(r.outcome).toBe(expectedOutcome);
    const [stored] = await queryRows<{
      yes_count: number;
      no_count: number;
      abstain_count: number;
      electorate: number;
      outcome: string;
      rule: any;
    }>(t.db, `SELECT yes_count, no_count, abstain_count, electorate, outcome, rule FROM vote WHERE proposal_id = $1`, [id]);
    expect(stored).toMatchObject({
      yes_count: mine.yes,
      no_count: mine.no,
      abstain_count: mine.abstain,
      electorate: 30,
      outcome: expectedOutcome,
    });
    expect(stored.rule.body).toBe('villagers_meeting');
    const late = await vote(t, id, voters[23].token, 'yes');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('VOTING_CLOSED');
  });

  it('a ballot may be changed before close only where the proposal allows it', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const a = await t.given.user('resident', village);
    const b = await t.given.user('resident', village);
    const id = await createDraft(t, o, village, { ballotType: 'secret', allowBallotChange: true });
    const { closesAt } = await toVoting(t, o, village, id);
    const first = ok(await vote(t, id, a.token, 'no'), 201);
    ok(await vote(t, id, b.token, 'no'), 201);
    const noReceipt = await vote(t, id, a.token, 'yes');
    expect(noReceipt.body.code).toBe('RECEIPT_REQUIRED');
    const changed = ok(await vote(t, id, a.token, 'yes', first.receiptCode), 201);
    expect(changed).toEqual({ receiptCode: first.receiptCode, changed: true });
    await closeVotes(t, closesAt);
    expect(ok(await t.api.get(`/api/v1/proposals/${id}/results`, a.token))).toMatchObject({ yes: 1, no: 1, participants: 2 });
    const late = await vote(t, id, a.token, 'abstain', first.receiptCode);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('VOTING_CLOSED');

    const village2 = villages.inA();
    const o2 = await officials(t, village2);
    const c = await t.given.user('resident', village2);
    const id2 = await createDraft(t, o2, village2, { ballotType: 'open' });
    await toVoting(t, o2, village2, id2);
    const r1 = ok(await vote(t, id2, c.token, 'no'), 201);
    const again = await vote(t, id2, c.token, 'yes', r1.receiptCode);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('BALLOT_ALREADY_CAST');
  });

  it('a ballot before the window opens is VOTING_NOT_YET_OPEN, not VOTING_NOT_OPEN, and nothing is written; at the opening it is taken', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voter = await t.given.user('resident', village);
    await t.given.person(village, { roles: ['resident'] });
    const id = await createDraft(t, o, village);
    await toVoting(t, o, village, id);
    // The clock set back a minute before the open vote's opens_at (a clock that jumped back).
    t.clock.advance(-60_000);
    const early = await vote(t, id, voter.token, 'yes');
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('VOTING_NOT_YET_OPEN');
    const [{ parts, audits }] = await queryRows<{ parts: number; audits: number }>(
      t.db,
      `SELECT (SELECT count(*)::int FROM ballot_participation b JOIN vote v ON v.id = b.vote_id WHERE v.proposal_id = $1) AS parts,
              (SELECT count(*)::int FROM audit_log WHERE action = 'ballot.cast' AND account_id = $2) AS audits`,
      [id, voter.accountId],
    );
    expect({ parts, audits }).toEqual({ parts: 0, audits: 0 });
    t.clock.advance(60_000);
    const onTime = await vote(t, id, voter.token, 'yes');
    expect(onTime.status).toBe(201);
  });

  it('refuses a ballot from a resident of another village (404) and from a non-voter role (403)', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    await t.given.person(village, { roles: ['resident'] });
    const elsewhere = await t.given.user('resident', villages.inA());
    const id = await createDraft(t, o, village);
    await toVoting(t, o, village, id);
    const r = await vote(t, id, elsewhere.token, 'yes');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('PROPOSAL_NOT_FOUND');
    const staff = await vote(t, id, o.committee.token, 'yes');
    expect(staff.status).toBe(403);
    expect(staff.body.code).toBe('PERMISSION_DENIED');
    expect(DAY).toBe(86_400_000);
  });
});
