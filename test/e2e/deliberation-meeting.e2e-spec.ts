import { jest } from '@jest/globals';
import { VotingService } from '#deliberation';
import type { GivenUser } from '../support/factories.js';
import { queryRows } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { closeVotes, createDraft, DAY, officials, ok, type Officials, throughPartyReview, Villages, vote } from './deliberation-support.js';

jest.setTimeout(240_000);

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp();
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t?.close();
});

/** The smallest JPEG header the tally-sheet check accepts as a photo (the bytes a camera's file starts with). */
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]).toString('base64');

/** The village's registered residents of 18 or over: the 村民会议's electorate when the vote opens. */
async function adultsIn(village: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(
    t.db,
    `SELECT count(DISTINCT p.id)::int AS n FROM person p JOIN role_grant g ON g.person_id = p.id AND g.role = 'resident' AND g.revoked_at IS NULL
      WHERE g.division_code = $1 AND p.birth_date <= (now() - interval '18 years')::date`,
    [village],
  );
  return n;
}

interface Meeting {
  village: string;
  o: Officials;
  id: string;
  tellers: GivenUser[];
  scrutineer: GivenUser;
  closesAt: Date;
}

/**
 * A proposal through the township's approval, its meeting arranged (two tellers, a scrutineer, the
 * chair = the committee member), `fill` more people registered, then the vote opened.
 */
async function hybridMeeting(opts: { ballotType: 'open' | 'secret'; fill: (village: string) => Promise<void> }): Promise<Meeting> {
  const village = villages.inA();
  const o = await officials(t, village);
  const id = await createDraft(t, o, village, { ballotType: opts.ballotType, title: '村民活动中心修缮' });
  await throughPartyReview(t, o, village, id);
  const tellers = [await t.given.user('resident', village), await t.given.user('resident', village)];
  const scrutineer = await t.given.user('supervision_committee', village);
  const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, { comment: '同意' }, o.township.token));
  const heldAt = new Date(new Date(approved.earliestVotingAt).getTime() + DAY).toISOString();
  const arranged = ok(
    await t.api.put(
      `/api/v1/proposals/${id}/meeting`,
      {
        heldAt,
        place: '村委会大院',
        chairPersonId: o.committee.personId,
        tellerPersonIds: tellers.map((u) => u.personId),
        scrutineerPersonIds: [scrutineer.personId],
        onlinePart: true,
        onsitePart: true,
      },
      o.committee.token,
    ),
  );
  expect(arranged.tellers.map((p: { personId: string }) => p.personId).sort()).toEqual(tellers.map((u) => u.personId).sort());
  expect(arranged.onsite).toBeNull(); // the vote has not opened
  // The printed notice for the 村务公开栏 now carries the meeting's time and place.
  const printed = await t.api.get(`/api/v1/proposals/${id}/meeting-notice/print`, o.committee.token);
  expect(printed.body as string).toContain('在村委会大院召开现场会议（本次设现场会议和网上表决）');
  // Nothing on site before the vote opens.
  const early = await t.api.post(`/api/v1/proposals/${id}/meeting/sign-ins`, { personId: tellers[0].personId }, tellers[0].token);
  expect(early.status).toBe(409);
  expect(early.body.code).toBe('ONSITE_PART_NOT_HELD');
  await opts.fill(village);
  t.clock.advance(new Date(approved.earliestVotingAt).getTime() - t.clock.now().getTime() + 1000);
  const closesAt = new Date(t.clock.now().getTime() + 3 * DAY);
  ok(await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, o.committee.token));
  return { village, o, id, tellers, scrutineer, closesAt };
}

const signIn = (m: Meeting, personId: string, by: GivenUser = m.tellers[0]) =>
  t.api.post(`/api/v1/proposals/${m.id}/meeting/sign-ins`, { personId }, by.token);
const paper = (m: Meeting, by: GivenUser, totals: Record<string, number>) =>
  t.api.post(`/api/v1/proposals/${m.id}/meeting/paper-totals`, totals, by.token);

describe('a 村民会议 of 300 electors: 100 vote online (5 of them helped at the office), 60 take part on site with paper ballots', () => {
  let m: Meeting;
  let online: GivenUser[];
  let offline: string[];
  let onsiteUsers: GivenUser[];

  beforeAll(async () => {
    m = await hybridMeeting({
      ballotType: 'secret',
      fill: async (village) => {
        online = [];
        for (let i = 0; i < 95; i++) online.push(await t.given.user('resident', village));
        onsiteUsers = [];
        for (let i = 0; i < 3; i++) onsiteUsers.push(await t.given.user('resident', village));
        offline = [];
        let household = 0;
        while ((await adultsIn(village)) < 300) {
          const p = await t.given.person(village, {
            roles: ['resident'],
            phone: null,
            household: `H${String(household++ % 120).padStart(3, '0')}`,
          });
          offline.push(p.personId);
        }
      },
    });
  });

  it('the frozen electorate is 300 and the sign-in sheet lists every one of them, with the last 4 of the ID number', async () => {
    const sheet = ok(await t.api.get(`/api/v1/proposals/${m.id}/meeting/sign-in-sheet`, m.tellers[0].token));
    expect(sheet.electorate).toBe(300);
    expect(sheet.rows).toHaveLength(300);
    expect(sheet.place).toBe('村委会大院');
    const mine = sheet.rows.find((r: { personId: string }) => r.personId === online[0].personId);
    expect(mine.idLast4).toBe(online[0].idNumber.slice(-4));
    expect(mine.took).toBeNull();
    // Nobody outside the meeting's officers and the committee reads it.
    const outsider = await t.api.get(`/api/v1/proposals/${m.id}/meeting/sign-in-sheet`, online[1].token);
    expect(outsider.status).toBe(403);
    expect(outsider.body.code).toBe('MEETING_DUTY_REQUIRED');
  });

  it('online ballots, assisted ballots, sign-ins, the refusals across channels, and the chair’s live turnout', async () => {
    const choices = [...Array(65).fill('yes'), ...Array(20).fill('no'), ...Array(10).fill('abstain')] as ('yes' | 'no' | 'abstain')[];
    for (let i = 0; i < 95; i++) ok(await vote(t, m.id, online[i].token, choices[i]), 201);
    // 代投: five villagers without a phone vote at the office on the committee's device.
    for (const personId of offline.slice(0, 5)) {
      const r = ok(await t.api.post(`/api/v1/proposals/${m.id}/assisted-ballots`, { personId, choice: 'yes' }, m.o.committee.token), 201);
      expect(r.receiptCode).toMatch(/^[0-9A-Z]{12}$/);
    }
    const turnout1 = ok(await t.api.get(`/api/v1/proposals/${m.id}/meeting/turnout`, m.o.committee.token));
    expect(turnout1).toMatchObject({
      electorate: 300,
      votedOnline: 95,
      assisted: 5,
      signedIn: 0,
      participants: 100,
      quorumMet: false,
      shortBy: 51,
    });
    expect(JSON.stringify(turnout1)).not.toMatch(/"yes"|"no"|"abstain"/);

    // An elector who voted online cannot be signed in; one helped at the office neither.
    const twice = await signIn(m, online[0].personId);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_VOTED_ONLINE');
    expect((await signIn(m, offline[0])).body.code).toBe('ALREADY_VOTED_ONLINE');

    // 60 sign in: 3 who have accounts, 57 without, by both tellers and the committee.
    const onsite = [...onsiteUsers.map((u) => u.personId), ...offline.slice(5, 62)];
    for (const [i, personId] of onsite.entries()) {
      const by = [m.tellers[0], m.tellers[1], m.o.committee][i % 3];
      const r = ok(await signIn(m, personId, by), 201);
      expect(r.row).toMatchObject({ personId, took: 'onsite' });
      expect(r.signedIn).toBe(i + 1);
    }
    const again = await signIn(m, onsite[0], m.tellers[1]);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_SIGNED_IN');
    // A villager with no duty at the meeting cannot sign anyone in.
    const byOutsider = await signIn(m, offline[100], online[3]);
    expect(byOutsider.status).toBe(403);
    // An elector signed in on site can no longer vote online, nor be helped to.
    const late = await vote(t, m.id, onsiteUsers[0].token, 'no');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('SIGNED_IN_ON_SITE');
    const helped = await t.api.post(
      `/api/v1/proposals/${m.id}/assisted-ballots`,
      { personId: onsite[5], choice: 'no' },
      m.o.committee.token,
    );
    expect(helped.body.code).toBe('SIGNED_IN_ON_SITE');

    const turnout2 = ok(await t.api.get(`/api/v1/proposals/${m.id}/meeting/turnout`, m.o.committee.token));
    expect(turnout2).toMatchObject({ signedIn: 60, votedOnline: 95, assisted: 5, participants: 160, quorumMet: true, shortBy: 0 });

    const [{ n, onsiteRows }] = await queryRows<{ n: number; onsiteRows: number }>(
      t.db,
      `SELECT count(*)::int AS n, (count(*) FILTER (WHERE channel = 'onsite'))::int AS "onsiteRows" FROM ballot_participation b JOIN vote v ON v.id = b.vote_id WHERE v.proposal_id = $1`,
      [m.id],
    );
    expect({ n, onsiteRows }).toEqual({ n: 160, onsiteRows: 60 });
  });

  it('the assisted ballots are listed for the scrutineers and audited without the choice', async () => {
    const list = ok(await t.api.get(`/api/v1/proposals/${m.id}/assisted-ballots`, m.scrutineer.token));
    expect(list.map((r: { personId: string }) => r.personId).sort()).toEqual(offline.slice(0, 5).sort());
    expect(list[0].assistedBy).toBe(m.o.committee.realName);
    const audit = await queryRows<{ details: Record<string, unknown> }>(
      t.db,
      `SELECT details FROM audit_log WHERE action = 'ballot.assisted' AND details->>'proposalId' = $1`,
      [m.id],
    );
    expect(audit).toHaveLength(5);
    for (const a of audit) expect(a.details).not.toHaveProperty('choice');
  });

  it('paper totals: the same teller twice, figures that do not reconcile, and a mismatch are refused; two matching entries are accepted', async () => {
    const right = { issued: 60, returned: 59, yes: 40, no: 10, abstain: 5, spoiled: 4 };
    const bad = await paper(m, m.tellers[0], { ...right, issued: 61 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('PAPER_TOTALS_INCONSISTENT');
    expect(bad.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['issued']);
    const sum = await paper(m, m.tellers[0], { ...right, yes: 41 });
    expect(sum.body.code).toBe('PAPER_TOTALS_INCONSISTENT');
    // A scrutineer does not enter totals.
    expect((await paper(m, m.scrutineer, right)).body.code).toBe('MEETING_DUTY_REQUIRED');

    expect(ok(await paper(m, m.tellers[0], right), 201)).toEqual({ entries: 1, state: 'counting', totals: null });
    // The first entry ends sign-in.
    const lateSignIn = await signIn(m, offline[150]);
    expect(lateSignIn.body.code).toBe('SIGN_IN_CLOSED');
    expect((await paper(m, m.tellers[0], right)).body.code).toBe('PAPER_ENTRY_SAME_TELLER');
    // The second teller's first entry is hidden from her in the meeting view.
    const view = ok(await t.api.get(`/api/v1/proposals/${m.id}/meeting`, m.tellers[1].token));
    expect(view.meeting.onsite).toMatchObject({ state: 'counting', entries: 1, totals: null });

    const mismatch = await paper(m, m.tellers[1], { ...right, yes: 39, no: 11 });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.code).toBe('PAPER_TOTALS_MISMATCH');
    const [{ entries }] = await queryRows<{ entries: number }>(
      t.db,
      `SELECT count(*)::int AS entries FROM paper_tally_entry p JOIN vote v ON v.id = p.vote_id WHERE v.proposal_id = $1`,
      [m.id],
    );
    expect(entries).toBe(0); // both void: recount

    ok(await paper(m, m.tellers[1], right), 201);
    const accepted = ok(await paper(m, m.tellers[0], right), 201);
    expect(accepted).toEqual({ entries: 2, state: 'entered', totals: { ...right, representativesYes: null } });
    // The counts are sealed until the close: the scrutineer sees the accepted totals, a villager does not.
    const scrutinised = ok(await t.api.get(`/api/v1/proposals/${m.id}/meeting`, m.scrutineer.token));
    expect(scrutinised.meeting.onsite.totals).toMatchObject({ yes: 40, no: 10 });
    const villager = ok(await t.api.get(`/api/v1/proposals/${m.id}/meeting`, online[2].token));
    expect(villager.meeting.onsite).toMatchObject({ state: 'entered', totals: null });
  });

  it('no result before the scrutineer confirms (with the photo of the signed 计票单); then one lawful tally of both parts', async () => {
    // The vote's time is up, but the on-site part is not confirmed: nothing is tallied, nothing is shown.
    expect(await closeVotes(t, m.closesAt)).toBe(0);
    const sealed = await t.api.get(`/api/v1/proposals/${m.id}/results`, m.o.committee.token);
    expect(sealed.status).toBe(403);
    const notReady = await t.api.post(`/api/v1/proposals/${m.id}/meeting/confirmation`, {}, m.scrutineer.token);
    expect(notReady.status).toBe(409);
    expect(notReady.body.code).toBe('ONSITE_NOT_READY_TO_CONFIRM');
    const notAPhoto = await t.api.post(
      `/api/v1/proposals/${m.id}/meeting/tally-sheet`,
      { contentBase64: Buffer.from('not an image').toString('base64'), contentType: 'image/jpeg' },
      m.tellers[0].token,
    );
    expect(notAPhoto.body.code).toBe('TALLY_SHEET_INVALID');
    ok(
      await t.api.post(
        `/api/v1/proposals/${m.id}/meeting/tally-sheet`,
        { contentBase64: PHOTO, contentType: 'image/jpeg' },
        m.tellers[0].token,
      ),
      201,
    );
    // Only the scrutineer confirms.
    expect((await t.api.post(`/api/v1/proposals/${m.id}/meeting/confirmation`, {}, m.tellers[1].token)).body.code).toBe(
      'MEETING_DUTY_REQUIRED',
    );
    const confirmed = ok(await t.api.post(`/api/v1/proposals/${m.id}/meeting/confirmation`, {}, m.scrutineer.token), 201);
    expect(confirmed.onsite).toMatchObject({ state: 'confirmed', confirmedBy: m.scrutineer.realName, tallySheetAttached: true });
    // Nothing on site after confirmation.
    expect((await paper(m, m.tellers[0], { issued: 60, returned: 60, yes: 60, no: 0, abstain: 0, spoiled: 0 })).body.code).toBe(
      'ONSITE_STEP_NOT_OPEN',
    );

    expect(await closeVotes(t, m.closesAt)).toBe(1);
    const r = ok(await t.api.get(`/api/v1/proposals/${m.id}/results`, m.o.committee.token));
    // 村民会议: quorum 160 > 300/2; yes 65 + 5 + 40 = 110 of 160 attendees, more than half.
    expect(r).toMatchObject({
      electorate: 300,
      participants: 160,
      yes: 110,
      no: 30,
      abstain: 15,
      spoiled: 5, // 4 spoiled and 1 not returned: they took part, and are not yes
      outcome: 'passed',
      parts: { online: 100, assisted: 5, onsite: 60, paper: { issued: 60, returned: 59, yes: 40, no: 10, abstain: 5, spoiled: 4 } },
    });

    const notice = ok(await t.api.post(`/api/v1/proposals/${m.id}/resolution`, {}, m.o.committee.token), 201);
    expect(notice.body).toContain('线上 100 人（其中工作人员协助投票 5 人）、现场 60 人');
    expect(notice.outcome.parts).toMatchObject({ online: 100, onsite: 60 });
  });
});

describe('one participation per elector, whatever the timing', () => {
  it('20 concurrent attempts for one elector across both channels (two staff phones and the elector’s own) leave exactly one participation', async () => {
    let electors: GivenUser[] = [];
    const m = await hybridMeeting({
      ballotType: 'secret',
      fill: async (village) => {
        electors = [];
        for (let i = 0; i < 6; i++) electors.push(await t.given.user('resident', village));
      },
    });
    const outcomes: Record<string, number> = {};
    for (const e of electors) {
      const attempts = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0 ? vote(t, m.id, e.token, 'yes') : signIn(m, e.personId, m.tellers[i % 4 === 1 ? 0 : 1]),
      );
      const res = await Promise.all(attempts);
      const won = res.filter((r) => r.status === 201);
      expect(won).toHaveLength(1);
      for (const r of res.filter((x) => x.status !== 201)) {
        expect(r.status).toBe(409);
        expect(['BALLOT_ALREADY_CAST', 'SIGNED_IN_ON_SITE', 'ALREADY_VOTED_ONLINE', 'ALREADY_SIGNED_IN']).toContain(r.body.code);
      }
      const rows = await queryRows<{ channel: string }>(
        t.db,
        `SELECT b.channel FROM ballot_participation b JOIN vote v ON v.id = b.vote_id WHERE v.proposal_id = $1 AND b.person_id = $2`,
        [m.id, e.personId],
      );
      expect(rows).toHaveLength(1);
      outcomes[rows[0].channel] = (outcomes[rows[0].channel] ?? 0) + 1;
    }
    // Every online win left exactly one choice; every on-site win none (its choice is on paper).
    const [{ choices }] = await queryRows<{ choices: number }>(
      t.db,
      `SELECT count(*)::int AS choices FROM ballot_choice c JOIN vote v ON v.id = c.vote_id WHERE v.proposal_id = $1`,
      [m.id],
    );
    expect(choices).toBe(outcomes.online ?? 0);
  });
});

describe('an open on-site ballot (举手 / 记名): tellers record each signed-in elector’s choice', () => {
  it('records, corrects, refuses the unsigned; the scrutineer confirms only when every signed-in choice is recorded', async () => {
    let people: string[] = [];
    let voters: GivenUser[] = [];
    let elder = '';
    const m = await hybridMeeting({
      ballotType: 'open',
      fill: async (village) => {
        // A villager with a feature phone, no account, who does not take part: every statutory message reaches them by SMS.
        elder = (await t.given.person(village, { roles: ['resident'] })).personId;
        voters = [await t.given.user('resident', village), await t.given.user('resident', village)];
        people = [];
        for (let i = 0; i < 6; i++) people.push((await t.given.person(village, { roles: ['resident'], phone: null })).personId);
      },
    });
    for (const p of people.slice(0, 4)) ok(await signIn(m, p), 201);
    ok(await vote(t, m.id, voters[0].token, 'no'), 201);
    const choice = (personId: string, c: string, by = m.tellers[1]) =>
      t.api.post(`/api/v1/proposals/${m.id}/meeting/choices`, { personId, choice: c }, by.token);
    const unsigned = await choice(people[5], 'yes');
    expect(unsigned.body.code).toBe('NOT_SIGNED_IN');
    const onlineVoter = await choice(voters[0].personId, 'yes');
    expect(onlineVoter.body.code).toBe('NOT_SIGNED_IN');
    expect(ok(await choice(people[0], 'no'), 201).onsiteChoice).toBe('no');
    expect(ok(await choice(people[0], 'yes'), 201).onsiteChoice).toBe('yes'); // a correction
    ok(await choice(people[1], 'yes'), 201);
    ok(await choice(people[2], 'abstain'), 201);
    // Paper totals are for a secret ballot only.
    expect((await paper(m, m.tellers[0], { issued: 4, returned: 4, yes: 4, no: 0, abstain: 0, spoiled: 0 })).body.code).toBe(
      'ONSITE_METHOD_MISMATCH',
    );
    ok(
      await t.api.post(
        `/api/v1/proposals/${m.id}/meeting/tally-sheet`,
        { contentBase64: PHOTO, contentType: 'image/jpeg' },
        m.scrutineer.token,
      ),
      201,
    );
    const missing = await t.api.post(`/api/v1/proposals/${m.id}/meeting/confirmation`, {}, m.scrutineer.token);
    expect(missing.body.code).toBe('ONSITE_NOT_READY_TO_CONFIRM');
    expect(missing.body.message).toContain('还有 1 名签到村民的表决未登记');
    ok(await choice(people[3], 'yes'), 201);
    ok(await t.api.post(`/api/v1/proposals/${m.id}/meeting/confirmation`, {}, m.scrutineer.token), 201);
    expect((await choice(people[3], 'no')).body.code).toBe('ONSITE_STEP_NOT_OPEN');

    // The sign-in sheet of an open ballot shows the recorded choices.
    const sheet = ok(await t.api.get(`/api/v1/proposals/${m.id}/meeting/sign-in-sheet`, m.o.committee.token));
    const rowOf = (id: string) => sheet.rows.find((r: { personId: string }) => r.personId === id);
    expect(rowOf(people[0])).toMatchObject({ took: 'onsite', onsiteChoice: 'yes' });
    expect(rowOf(voters[0].personId)).toMatchObject({ took: 'online', onsiteChoice: null });

    // 12 hours before the close, the scheduler's tick reminds those who have not taken part.
    t.clock.advance(m.closesAt.getTime() - t.clock.now().getTime() - 12 * 3_600_000);
    expect(await t.app.get(VotingService).closeDueVotes()).toBe(0);
    expect(await closeVotes(t, m.closesAt)).toBe(1);
    const smsKinds = await queryRows<{ kind: string }>(
      t.db,
      `SELECT kind FROM outbox_message WHERE proposal_id = $1 AND about_person_id = $2 ORDER BY created_at`,
      [m.id, elder],
    );
    expect(smsKinds.map((r) => r.kind)).toEqual(['voting_opened', 'closing_soon', 'result_published']);
    // Those who took part on site get no reminder.
    const [{ reminded }] = await queryRows<{ reminded: number }>(
      t.db,
      `SELECT count(*)::int AS reminded FROM notification WHERE proposal_id = $1 AND kind = 'closing_soon' AND person_id = ANY($2::uuid[])`,
      [m.id, people.slice(0, 4)],
    );
    expect(reminded).toBe(0);
    const r = ok(await t.api.get(`/api/v1/proposals/${m.id}/results`, m.o.committee.token));
    expect(r).toMatchObject({
      participants: 5,
      yes: 3,
      no: 1,
      abstain: 1,
      spoiled: 0,
      parts: { online: 1, onsite: 4, assisted: 0, paper: null },
    });
  });
});

describe('arranging the meeting', () => {
  it('refuses officers from another village, one person in two duties, too few tellers, and taking away a part after the vote opened', async () => {
    let elder = '';
    const m = await hybridMeeting({
      ballotType: 'secret',
      // A villager with a feature phone and no account: reached by SMS.
      fill: async (village) => void (elder = (await t.given.person(village, { roles: ['resident'] })).personId),
    });
    const other = await t.given.person(villages.inB(), { roles: ['resident'] });
    const base = {
      heldAt: new Date(t.clock.now().getTime() + DAY).toISOString(),
      place: '村民活动中心',
      chairPersonId: m.o.committee.personId,
      tellerPersonIds: m.tellers.map((u) => u.personId),
      scrutineerPersonIds: [m.scrutineer.personId],
      onlinePart: true,
      onsitePart: true,
    };
    const put = (body: object) => t.api.put(`/api/v1/proposals/${m.id}/meeting`, body, m.o.committee.token);
    const outsider = await put({ ...base, scrutineerPersonIds: [other.personId] });
    expect(outsider.status).toBe(400);
    expect(outsider.body.code).toBe('MEETING_INVALID');
    expect((await put({ ...base, scrutineerPersonIds: [m.tellers[0].personId] })).body.code).toBe('MEETING_INVALID');
    expect((await put({ ...base, tellerPersonIds: [m.tellers[0].personId] })).body.code).toBe('MEETING_INVALID');
    expect((await put({ ...base, onlinePart: false })).body.code).toBe('MEETING_PARTS_FIXED');
    // Not before the statutory notice has run.
    const tooEarly = await put({ ...base, heldAt: new Date(t.clock.now().getTime() - 30 * DAY).toISOString() });
    expect(tooEarly.body.code).toBe('MEETING_INVALID');
    expect(tooEarly.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['heldAt']);
    // A new place and time are still possible while the vote is open.
    expect(ok(await put(base)).place).toBe('村民活动中心');
    // The electorate is told the new place: in the app, and by SMS to the villager the app does not reach.
    const sms = () =>
      queryRows<{ params: Record<string, string> }>(
        t.db,
        `SELECT params FROM outbox_message WHERE kind = 'meeting_arranged' AND proposal_id = $1 AND about_person_id = $2 ORDER BY created_at`,
        [m.id, elder],
      );
    expect((await sms()).map((r) => r.params.place)).toEqual(['村民活动中心']);
    // Officers changed, time and place not: nothing new to tell.
    ok(await put({ ...base, tellerPersonIds: [...base.tellerPersonIds].reverse() }));
    expect(await sms()).toHaveLength(1);
    // Moved again: told again.
    ok(await put({ ...base, place: '村小学操场' }));
    expect((await sms()).map((r) => r.params.place)).toEqual(['村民活动中心', '村小学操场']);
    // A teller cannot arrange it.
    expect((await t.api.put(`/api/v1/proposals/${m.id}/meeting`, base, m.tellers[0].token)).status).toBe(403);
  });

  it('an on-site-only meeting refuses online ballots with a clear code', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const id = await createDraft(t, o, village, { ballotType: 'secret' });
    await throughPartyReview(t, o, village, id);
    const tellers = [await t.given.user('resident', village), await t.given.user('resident', village)];
    const scrutineer = await t.given.user('supervision_committee', village);
    const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, { comment: '同意' }, o.township.token));
    ok(
      await t.api.put(
        `/api/v1/proposals/${id}/meeting`,
        {
          heldAt: approved.earliestVotingAt,
          place: '村委会大院',
          chairPersonId: o.committee.personId,
          tellerPersonIds: tellers.map((u) => u.personId),
          scrutineerPersonIds: [scrutineer.personId],
          onlinePart: false,
          onsitePart: true,
        },
        o.committee.token,
      ),
    );
    t.clock.advance(new Date(approved.earliestVotingAt).getTime() - t.clock.now().getTime() + 1000);
    ok(
      await t.api.post(
        `/api/v1/proposals/${id}/voting`,
        { closesAt: new Date(t.clock.now().getTime() + 2 * DAY).toISOString() },
        o.committee.token,
      ),
    );
    const r = await vote(t, id, tellers[0].token, 'yes');
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('ONLINE_PART_NOT_HELD');
    ok(await t.api.post(`/api/v1/proposals/${id}/meeting/sign-ins`, { personId: tellers[0].personId }, tellers[1].token), 201);
  });
});
