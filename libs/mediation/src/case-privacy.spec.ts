import fc from 'fast-check';
import { partyView, type PartyRecord, showsFacts, showsRecords } from './case-privacy.js';

const person: PartyRecord = {
  id: 'p1',
  ord: 0,
  partyRole: 'applicant',
  kind: 'person',
  name: '欧阳秀英',
  idNumberMasked: '1101**********002X',
  phoneMasked: '138****5678',
  address: '鲍店镇东街 12 号',
  creditCode: null,
  representsOrd: null,
};

describe('case privacy', () => {
  it('shows a person in full (still masked identifiers) to full viewers', () => {
    expect(partyView(person, 'full')).toMatchObject({
      name: '欧阳秀英',
      address: '鲍店镇东街 12 号',
      idNumberMasked: '1101**********002X',
    });
  });

  it('reduces a name to surname + 某 and drops the address for restricted viewers', () => {
    expect(partyView(person, 'restricted')).toMatchObject({ name: '欧阳某', address: null, phoneMasked: '138****5678' });
    expect(partyView({ ...person, name: '王建国' }, 'restricted').name).toBe('王某');
  });

  it('keeps an organization name, which is not personal information', () => {
    expect(partyView({ ...person, kind: 'organization', name: '长子县某某建材有限公司' }, 'restricted').name).toBe(
      '长子县某某建材有限公司',
    );
  });

  it('hides the facts of a non-public case only from restricted viewers', () => {
    expect(showsFacts('restricted', true)).toBe(false);
    expect(showsFacts('restricted', false)).toBe(true);
    expect(showsFacts('full', true)).toBe(true);
    expect(showsFacts('party', true)).toBe(true);
    expect(showsRecords('restricted')).toBe(false);
    expect(showsRecords('party')).toBe(false);
  });

  it('a restricted view of any person never contains the given name', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('王', '李', '张', '刘'),
        fc.string({ unit: fc.constantFrom('建', '国', '秀', '英', '海'), minLength: 1, maxLength: 3 }),
        (s, given) => {
          const v = partyView({ ...person, name: s + given }, 'restricted');
          expect(v.name).toBe(`${s}某`);
        },
      ),
    );
  });
});
