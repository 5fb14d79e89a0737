import { meetingActions, type MeetingFacts } from './meeting-actions.js';
import { paperProblems } from './meetings.service.js';

const now = new Date('2026-12-20T02:00:00Z');
const vote = (over: Partial<NonNullable<MeetingFacts['vote']>> = {}): NonNullable<MeetingFacts['vote']> => ({
  status: 'open',
  ballotType: 'secret',
  opensAt: new Date('2026-12-19T00:00:00Z'),
  closesAt: new Date('2026-12-21T00:00:00Z'),
  ...over,
});
const facts = (over: Partial<MeetingFacts> = {}): MeetingFacts => ({
  proposalStatus: 'voting',
  staff: false,
  duties: [],
  arranged: true,
  onlinePart: true,
  vote: vote(),
  onsite: { state: 'signing_in', signedIn: 0, choicesRecorded: 0, tallySheetAttached: false },
  now,
  ...over,
});

describe('what a person may do at the meeting now', () => {
  it('a villager with no duty is offered nothing and told nothing', () => {
    expect(meetingActions(facts())).toEqual({ actions: [], blocked: {} });
  });

  it('staff arrange, sign in, attach the sheet and assist; never enter totals or confirm', () => {
    const a = meetingActions(facts({ staff: true }));
    expect(a.actions.sort()).toEqual(['arrange', 'assist', 'attach_sheet', 'sign_in']);
  });

  it('a teller of a secret ballot signs in and enters totals; of an open ballot records choices once someone signed in', () => {
    expect(meetingActions(facts({ duties: ['teller'] })).actions.sort()).toEqual(['attach_sheet', 'enter_totals', 'sign_in']);
    const open = meetingActions(facts({ duties: ['teller'], vote: vote({ ballotType: 'open' }) }));
    expect(open.actions).not.toContain('record_choice');
    expect(open.blocked.record_choice).toBe('还没有人签到');
    const signed = meetingActions(
      facts({
        duties: ['teller'],
        vote: vote({ ballotType: 'open' }),
        onsite: { state: 'signing_in', signedIn: 3, choicesRecorded: 0, tallySheetAttached: false },
      }),
    );
    expect(signed.actions).toContain('record_choice');
  });

  it('the first paper entry ends sign-in; after the window closes nobody signs in, but counting goes on', () => {
    const counting = meetingActions(
      facts({ duties: ['teller'], onsite: { state: 'counting', signedIn: 60, choicesRecorded: 0, tallySheetAttached: false } }),
    );
    expect(counting.blocked.sign_in).toBe('计票人已开始录入纸质票数，签到已结束');
    expect(counting.actions).toContain('enter_totals');
    const late = meetingActions(facts({ duties: ['teller'], now: new Date('2026-12-22T00:00:00Z') }));
    expect(late.blocked.sign_in).toBe('表决已截止，不能再签到');
    expect(late.actions).toContain('enter_totals');
  });

  it('a scrutineer confirms only matched totals with the photo; an open ballot only when every signed-in choice is recorded', () => {
    const s = (onsite: NonNullable<MeetingFacts['onsite']>, v = vote()) =>
      meetingActions(facts({ duties: ['scrutineer'], onsite, vote: v }));
    expect(s({ state: 'counting', signedIn: 60, choicesRecorded: 0, tallySheetAttached: true }).blocked.confirm).toBe(
      '纸质票数须由两名计票人分别录入且一致',
    );
    expect(s({ state: 'entered', signedIn: 60, choicesRecorded: 0, tallySheetAttached: false }).blocked.confirm).toBe(
      '请先上传签字的计票单照片',
    );
    expect(s({ state: 'entered', signedIn: 60, choicesRecorded: 0, tallySheetAttached: true }).actions).toContain('confirm');
    const open = vote({ ballotType: 'open' });
    expect(s({ state: 'signing_in', signedIn: 4, choicesRecorded: 3, tallySheetAttached: true }, open).blocked.confirm).toBe(
      '还有 1 名签到村民的表决未登记',
    );
    expect(s({ state: 'signing_in', signedIn: 4, choicesRecorded: 4, tallySheetAttached: true }, open).actions).toContain('confirm');
  });

  it('nothing on site after confirmation, after the tally, before the vote, or without an on-site part', () => {
    const everyone = { staff: true, duties: ['teller', 'scrutineer'] as const };
    const confirmed = meetingActions(
      facts({
        ...everyone,
        duties: [...everyone.duties],
        onsite: { state: 'confirmed', signedIn: 5, choicesRecorded: 0, tallySheetAttached: true },
      }),
    );
    for (const a of ['sign_in', 'enter_totals', 'attach_sheet', 'confirm'] as const) expect(confirmed.actions).not.toContain(a);
    const closed = meetingActions(
      facts({ ...everyone, duties: [...everyone.duties], proposalStatus: 'passed', vote: vote({ status: 'closed' }) }),
    );
    expect(closed.actions).toEqual([]);
    expect(closed.blocked.sign_in).toBe('表决已结束');
    const before = meetingActions(
      facts({ ...everyone, duties: [...everyone.duties], proposalStatus: 'deliberation', vote: null, onsite: null }),
    );
    expect(before.actions).toEqual(['arrange']);
    expect(before.blocked.sign_in).toBe('表决尚未开始');
    const onlineOnly = meetingActions(facts({ staff: true, onsite: null }));
    expect(onlineOnly.blocked.sign_in).toBe('本次表决没有现场会议');
    expect(onlineOnly.actions).toContain('assist');
  });

  it('an on-site-only vote offers no assisted ballot', () => {
    expect(meetingActions(facts({ staff: true, onlinePart: false })).blocked.assist).toBe('本次表决只设现场会议');
  });
});

describe('paper totals that cannot be true, figure by figure', () => {
  const ok = { issued: 60, returned: 59, yes: 40, no: 10, abstain: 5, spoiled: 4, representativesYes: null };
  it('accepts totals that add up', () => expect(paperProblems(ok, 60, false)).toEqual([]));
  it('issued must equal those signed in', () => expect(paperProblems(ok, 61, false).map((p) => p.field)).toEqual(['issued']));
  it('no more returned than issued', () =>
    expect(paperProblems({ ...ok, returned: 61, yes: 42 }, 60, false).map((p) => p.field)).toEqual(['returned']));
  it('the choices and spoiled ballots add up to those returned', () =>
    expect(paperProblems({ ...ok, spoiled: 5 }, 60, false)[0].message).toContain('合计 60，应等于收回的 59 张'));
  it('the representatives’ yes ballots when the rule counts them, never more than the yes ballots', () => {
    expect(paperProblems(ok, 60, true).map((p) => p.field)).toEqual(['representativesYes']);
    expect(paperProblems({ ...ok, representativesYes: 41 }, 60, true).map((p) => p.field)).toEqual(['representativesYes']);
    expect(paperProblems({ ...ok, representativesYes: 30 }, 60, true)).toEqual([]);
  });
});
