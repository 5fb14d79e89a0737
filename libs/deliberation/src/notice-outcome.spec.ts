import { noticeOutcomeOf } from './notice-outcome.js';

const stored = {
  outcome: 'passed',
  body: 'villagers_meeting',
  bodyName: '村民会议',
  ballotType: 'secret',
  electorate: 120,
  households: 40,
  participants: 80,
  householdsRepresented: 35,
  yes: 60,
  no: 15,
  abstain: 5,
  rule: { quorum: 'more than half' },
  talliedAt: '2026-11-30T02:00:00.000Z',
  threshold: 'body_default',
  representatives: null,
  representativesYes: null,
};

describe('noticeOutcomeOf (the tally stored on a resolution notice, read back)', () => {
  it('gives back what publishResolution stored, field for field', () => {
    expect(noticeOutcomeOf(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it('leaves out the fields a notice published before stage 2 of issue 11 lacks', () => {
    const { threshold: _t, representatives: _r, representativesYes: _y, ...older } = stored;
    const read = noticeOutcomeOf(older);
    expect(read).toEqual(older);
    expect(read && 'threshold' in read).toBe(false);
  });

  it('is null for an implementation report and for anything not a tally', () => {
    expect(noticeOutcomeOf(null)).toBeNull();
    expect(noticeOutcomeOf('passed')).toBeNull();
    expect(noticeOutcomeOf({ ...stored, outcome: 'won' })).toBeNull();
    expect(noticeOutcomeOf({ ...stored, body: 'parliament' })).toBeNull();
    expect(noticeOutcomeOf({ ...stored, ballotType: 'postal' })).toBeNull();
  });
});
