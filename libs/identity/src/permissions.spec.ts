import { buildActor } from './actor.js';
import { mayGrant } from './grants.service.js';
import { isPermission, type Permission, PERMISSIONS, permissionsOf, roleHas } from './permissions.js';
import { GRANTABLE, PRIVATE_ROLES, ROLE_LEVELS, ROLES, type Role } from './roles.js';

const RANK: Record<Role, number> = {
  resident: 1,
  village_representative: 1,
  party_member: 1,
  collective_member: 1,
  committee_member: 1,
  probationary_party_member: 1,
  party_member_under_probation: 1,
  supervision_committee: 2,
  mediator: 2,
  village_committee: 2,
  township_staff: 3,
  county_admin: 4,
  city_admin: 5,
};

describe('role → permission table', () => {
  it('names only known roles', () => {
    for (const roles of Object.values(PERMISSIONS)) for (const r of roles) expect(ROLES).toContain(r);
  });

  it('gives the statutory powers to the right roles', () => {
    expect(roleHas('township_staff', 'proposal.review')).toBe(true);
    expect(roleHas('village_committee', 'proposal.review')).toBe(false);
    expect(roleHas('village_committee', 'proposal.write')).toBe(true);
    expect(roleHas('resident', 'proposal.write')).toBe(false);
    expect(roleHas('resident', 'ballot.cast')).toBe(true);
    expect(roleHas('city_admin', 'ballot.cast')).toBe(false);
    expect(roleHas('supervision_committee', 'proposal.object')).toBe(true);
    expect(roleHas('mediator', 'mediation.case.read_parties')).toBe(true);
    expect(roleHas('county_admin', 'mediation.case.read_parties')).toBe(false);
    expect(roleHas('resident', 'no.such.permission')).toBe(false);
    expect(ROLES.filter((r) => roleHas(r, 'economy.settings.write'))).toEqual(['city_admin']);
    // Seats: a committee member votes in the 村民代表会议; a probationary party member reads and discusses, casts no counted vote.
    expect(roleHas('committee_member', 'ballot.cast')).toBe(true);
    expect(roleHas('probationary_party_member', 'proposal.comment')).toBe(true);
    expect(roleHas('probationary_party_member', 'ballot.cast')).toBe(false);
  });

  it('留党察看 carries no power of its own: the member acts through party_member and resident (decision 065)', () => {
    expect(permissionsOf('party_member_under_probation')).toEqual(['identity.me']);
    expect(roleHas('party_member_under_probation', 'ballot.cast')).toBe(false);
  });

  it('a private role is seen only by those who may grant it: every reader of grants or restricted audit rows may grant it', () => {
    expect(PRIVATE_ROLES).toEqual(['party_member_under_probation']);
    for (const role of PRIVATE_ROLES) {
      for (const r of ROLES) {
        // The grants list (identity.grant scopes) and the restricted audit rows show private roles without a further filter.
        if (roleHas(r, 'identity.grant') || roleHas(r, 'audit.read_restricted'))
          expect([r, GRANTABLE[r].includes(role)]).toEqual([r, true]);
      }
      // The 村务监督委员会 reads the register and the audit log but may not grant it: people answers and the log hide it from them.
      expect(roleHas('supervision_committee', 'identity.person.read')).toBe(true);
      expect(GRANTABLE.supervision_committee.includes(role)).toBe(false);
      expect(roleHas('supervision_committee', 'audit.read_restricted')).toBe(false);
      expect(ROLES.filter((r) => GRANTABLE[r].includes(role))).toEqual([
        'village_committee',
        'township_staff',
        'county_admin',
        'city_admin',
      ]);
    }
  });

  it('every role can at least read its own profile', () => {
    for (const r of ROLES) expect(permissionsOf(r)).toContain('identity.me');
  });
});

describe('granting (no escalation)', () => {
  it('no role may grant a role ranked above itself', () => {
    for (const r of ROLES) for (const g of GRANTABLE[r]) expect(RANK[g]).toBeLessThanOrEqual(RANK[r]);
  });

  it('grants only inside the granter division', () => {
    const townshipStaff = { grants: [{ role: 'township_staff', divisionCode: '140428101' }] };
    expect(mayGrant(townshipStaff, 'village_committee', '140428101200')).toBe(true);
    expect(mayGrant(townshipStaff, 'village_committee', '140428102200')).toBe(false);
    expect(mayGrant(townshipStaff, 'county_admin', '140428')).toBe(false);
    expect(mayGrant(townshipStaff, 'township_staff', '140428101')).toBe(false);
    const committee = { grants: [{ role: 'village_committee', divisionCode: '140428101200' }] };
    expect(mayGrant(committee, 'village_representative', '140428101200')).toBe(true);
    expect(mayGrant(committee, 'village_committee', '140428101200')).toBe(false);
    expect(mayGrant(committee, 'resident', '140428101201')).toBe(false);
  });

  it('every role can be held at some level', () => {
    for (const r of ROLES) expect(ROLE_LEVELS[r].length).toBeGreaterThan(0);
  });
});

describe('an actor under 留党察看', () => {
  const actor = buildActor({
    accountId: 'a',
    personId: 'p',
    realName: 'x',
    homeDivisionCode: '140428101200',
    grants: [
      { role: 'resident', divisionCode: '140428101200' },
      { role: 'party_member', divisionCode: '140428101200' },
      { role: 'party_member_under_probation', divisionCode: '140428101200' },
    ],
    requestId: 'r',
    ip: '127.0.0.1',
  });

  it('audit rows never name the sanction among the roles acted in', () => {
    expect(actor.roles).toEqual(['party_member', 'resident']);
  });

  it('keeps every power of a member (the vote is taken away by the 党员大会 roll, not by a permission)', () => {
    expect(actor.scopesFor('ballot.cast')).toEqual(['140428101200']);
    expect(actor.can('proposal.comment', '140428101200')).toBe(true);
  });
});

describe('Actor scopes', () => {
  const actor = buildActor({
    accountId: 'a',
    personId: 'p',
    realName: 'x',
    homeDivisionCode: '140428101200',
    grants: [
      { role: 'resident', divisionCode: '140428101200' },
      { role: 'township_staff', divisionCode: '140428102' },
    ],
    requestId: 'r',
    ip: '127.0.0.1',
  });

  it('scopes a permission to the grants that carry it', () => {
    expect(actor.scopesFor('ballot.cast')).toEqual(['140428101200']);
    expect(actor.scopesFor('proposal.review')).toEqual(['140428102']);
    expect(actor.scopesFor('proposal.read').sort()).toEqual(['140428101200', '140428102']);
    expect(actor.scopesFor('audit.verify')).toEqual([]);
  });

  it('can() is the prefix test on those scopes', () => {
    expect(actor.can('proposal.review', '140428102200')).toBe(true);
    expect(actor.can('proposal.review', '140428101200')).toBe(false);
    expect(actor.can('ballot.cast', '140428102200')).toBe(false);
  });
});

describe('permission names are a type', () => {
  it('a misspelt permission does not compile (npm run typecheck fails if this line ever compiles)', () => {
    // @ts-expect-error 'proposal.reed' is not a permission
    const typo: Permission = 'proposal.reed';
    expect(isPermission(typo)).toBe(false);
  });
});
