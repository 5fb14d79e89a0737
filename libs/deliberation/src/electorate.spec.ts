import type { Role } from '#identity';
import { ELECTORATE, sitsIn } from './electorate.js';
import { decide, partyMeetingMinimums } from './quorum.js';

// Who sits in the 党员大会 (支部工作条例 Art. 11; 党章 Art. 40), the rule roleElectors and the freeze apply.
describe('党员大会 seats: full members with a vote', () => {
  it('a full member sits; a 预备党员 or a member under 留党察看 does not', () => {
    expect(sitsIn('party_meeting', ['resident', 'party_member'])).toBe(true);
    expect(sitsIn('party_meeting', ['resident', 'party_member', 'probationary_party_member'])).toBe(false);
    expect(sitsIn('party_meeting', ['resident', 'party_member', 'party_member_under_probation'])).toBe(false);
    // The sanction alone (no membership) gives no seat either.
    expect(sitsIn('party_meeting', ['resident', 'party_member_under_probation'])).toBe(false);
    expect(ELECTORATE.party_meeting.unless).toEqual(['probationary_party_member', 'party_member_under_probation']);
  });

  it('留党察看 changes no other body: the member still sits in the 村民会议 and as a representative', () => {
    const sanctioned: Role[] = ['resident', 'party_member', 'party_member_under_probation', 'village_representative'];
    expect(sitsIn('villagers_meeting', sanctioned)).toBe(true);
    expect(sitsIn('representatives_meeting', sanctioned)).toBe(true);
    expect(sitsIn('village_representatives', sanctioned)).toBe(true);
  });

  it('a branch of 10 full members, one under 留党察看: 9 with a vote; 5 attending and 5 yes pass, 4 yes do not', () => {
    const branch: Role[][] = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? ['resident', 'party_member', 'party_member_under_probation'] : ['resident', 'party_member'],
    );
    const members = branch.filter((roles) => sitsIn('party_meeting', roles)).length;
    expect(members).toBe(9);
    expect(partyMeetingMinimums(members)).toEqual({ attend: 5, yes: 5 });
    const counts = (participants: number, yes: number) => ({
      electorate: members,
      households: 0,
      participants,
      householdsRepresented: 0,
      yes,
      no: participants - yes,
      abstain: 0,
    });
    expect(decide('party_meeting', counts(5, 5)).outcome).toBe('passed');
    expect(decide('party_meeting', counts(9, 4)).outcome).toBe('rejected');
    expect(decide('party_meeting', counts(4, 4)).outcome).toBe('no_quorum');
    // Had the sanctioned member been counted (10), 5 yes would not be more than half.
    expect(decide('party_meeting', { ...counts(5, 5), electorate: 10 }).outcome).toBe('rejected');
  });
});
