import fc from 'fast-check';
import { buildActor } from '#identity';
import type { Grant } from '#platform';
import { caseAccess, canRegisterAt, hasRelation } from './case-access.js';

const VILLAGE = '140428101200';
const OTHER_VILLAGE = '140428101201';
const TOWNSHIP = '140428101';
const COUNTY = '140428';
const at = (committeeCode: string) => ({ committeeCode, originCommitteeCode: committeeCode });

function actor(grants: Grant[], personId = 'me') {
  return buildActor({ accountId: 'a', personId, realName: '测试', homeDivisionCode: VILLAGE, grants, requestId: 'r', ip: '127.0.0.1' });
}

describe('case access', () => {
  it('the village committee heads its own village committee: full view, may act', () => {
    const a = caseAccess(actor([{ role: 'village_committee', divisionCode: VILLAGE }]), at(VILLAGE), []);
    expect(a).toEqual({ visible: true, manager: true, member: false, assigned: false, full: true });
    expect(hasRelation(a, 'handler')).toBe(true);
  });

  it('township staff see their villages and their own committee in full, not the county committee', () => {
    const ts = actor([{ role: 'township_staff', divisionCode: TOWNSHIP }]);
    expect(caseAccess(ts, at(VILLAGE), []).full).toBe(true);
    expect(caseAccess(ts, at(TOWNSHIP), []).full).toBe(true);
    expect(caseAccess(ts, at(COUNTY), []).visible).toBe(false);
    // …but a case received in one of its villages and escalated to the county stays visible, restricted.
    expect(caseAccess(ts, { committeeCode: COUNTY, originCommitteeCode: VILLAGE }, [])).toMatchObject({
      visible: true,
      full: false,
      manager: false,
    });
  });

  it('a mediator sees parties in full only while assigned', () => {
    const m = actor([{ role: 'mediator', divisionCode: VILLAGE }], 'p1');
    expect(caseAccess(m, at(VILLAGE), [])).toMatchObject({ member: true, assigned: false, full: false });
    expect(caseAccess(m, at(VILLAGE), ['p1'])).toMatchObject({ member: true, assigned: true, full: true });
    expect(hasRelation(caseAccess(m, at(VILLAGE), []), 'handler')).toBe(false);
    expect(hasRelation(caseAccess(m, at(VILLAGE), []), 'committee')).toBe(true);
    expect(canRegisterAt(m, VILLAGE)).toBe(true);
    expect(canRegisterAt(m, TOWNSHIP)).toBe(false);
  });

  it('nobody outside the case line sees it, and the county administrator never sees parties in full', () => {
    expect(caseAccess(actor([{ role: 'village_committee', divisionCode: OTHER_VILLAGE }]), at(VILLAGE), []).visible).toBe(false);
    expect(caseAccess(actor([{ role: 'county_admin', divisionCode: COUNTY }]), at(VILLAGE), [])).toMatchObject({
      visible: true,
      full: false,
      manager: false,
    });
    expect(caseAccess(actor([{ role: 'resident', divisionCode: VILLAGE }]), at(VILLAGE), []).visible).toBe(false);
  });

  it('full view always implies visibility, for any grants', () => {
    const roles = ['resident', 'village_committee', 'township_staff', 'mediator', 'county_admin', 'city_admin', 'supervision_committee'];
    const codes = [VILLAGE, OTHER_VILLAGE, TOWNSHIP, '140428102', COUNTY, '1404'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ role: fc.constantFrom(...roles), divisionCode: fc.constantFrom(...codes) }), { maxLength: 4 }),
        fc.constantFrom(VILLAGE, TOWNSHIP, COUNTY),
        fc.boolean(),
        (grants, committee, assigned) => {
          const a = caseAccess(actor(grants, 'p'), at(committee), assigned ? ['p'] : []);
          if (a.full || a.manager || a.member) expect(a.visible).toBe(true);
        },
      ),
    );
  });
});
