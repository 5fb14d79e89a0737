import fc from 'fast-check';
import { CREDIT_ALPHABET, checkCreditCode, creditCodeCheckChar } from './credit-code.js';
import { maskMobile, maskName, maskResidentId } from './masking.js';
import { checkResidentId, residentIdCheckChar } from './resident-id.js';

describe('GB 11643 resident ID number', () => {
  it('accepts the sample from DOMAIN.md', () => {
    expect(checkResidentId('11010519491231002X')).toEqual({ ok: true, birthDate: '1949-12-31', gender: 'F' });
  });

  it('refuses a changed check character, a bad date and a bad format', () => {
    expect(checkResidentId('110105194912310021')).toEqual({ ok: false, problem: 'checksum' });
    expect(checkResidentId('11010519491331002X')).toEqual({ ok: false, problem: 'birth_date' });
    expect(checkResidentId('11010519490230002X')).toEqual({ ok: false, problem: 'birth_date' });
    expect(checkResidentId('1101051949123100')).toEqual({ ok: false, problem: 'format' });
    expect(checkResidentId('11010519491231002Y')).toEqual({ ok: false, problem: 'format' });
  });

  it('detects every single-digit change in the first 17 digits', () => {
    const valid = '11010519491231002X';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const d = (Number(valid[pos]) + delta) % 10;
        const changed = valid.slice(0, pos) + d + valid.slice(pos + 1);
        const r = checkResidentId(changed);
        expect(r.ok).toBe(false);
      }),
    );
  });

  it('computes a check character that validates for any generated body', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.date({ min: new Date('1920-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
        (seq, date) => {
          const body = `140428${date.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
          expect(checkResidentId(body + residentIdCheckChar(body)).ok).toBe(true);
        },
      ),
    );
  });
});

describe('GB 32100 unified social credit code', () => {
  it('accepts the sample from DOMAIN.md', () => {
    expect(checkCreditCode('91350100M000100Y43')).toEqual({ ok: true, authority: '9', type: '1', divisionCode: '350100' });
  });

  it('names the problem: length, charset, checksum', () => {
    expect(checkCreditCode('91350100M000100Y4')).toEqual({ ok: false, problem: 'length' });
    for (const bad of ['I', 'O', 'S', 'V', 'Z']) {
      expect(checkCreditCode(`91350100M000100${bad}43`)).toEqual({ ok: false, problem: 'charset' });
    }
    expect(checkCreditCode('91350100M000100Y44')).toEqual({ ok: false, problem: 'checksum' });
  });

  it('detects any single character change and any adjacent swap of distinct characters', () => {
    const valid = '91350100M000100Y43';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (pos, delta) => {
        const v = (CREDIT_ALPHABET.indexOf(valid[pos]) + delta) % 31;
        const changed = valid.slice(0, pos) + CREDIT_ALPHABET[v] + valid.slice(pos + 1);
        expect(checkCreditCode(changed).ok).toBe(false);
      }),
    );
    for (let i = 0; i < 16; i++) {
      if (valid[i] === valid[i + 1]) continue;
      const swapped = valid.slice(0, i) + valid[i + 1] + valid[i] + valid.slice(i + 2);
      expect(checkCreditCode(swapped)).toEqual({ ok: false, problem: 'checksum' });
    }
  });

  it('round-trips generated bodies', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 17, maxLength: 17 }), (digits) => {
        const body = digits.map((d) => CREDIT_ALPHABET[d]).join('');
        expect(checkCreditCode(body + creditCodeCheckChar(body)).ok).toBe(true);
      }),
    );
  });
});

describe('masking', () => {
  it('masks ID numbers and phones as DOMAIN.md shows', () => {
    expect(maskResidentId('11010519491231002X')).toBe('1101**********002X');
    expect(maskMobile('13812345678')).toBe('138****5678');
  });

  it('reduces a name to surname + 某', () => {
    expect(maskName('张三丰')).toBe('张某');
    expect(maskName('欧阳修')).toBe('欧阳某');
    expect(maskName('王')).toBe('王某');
  });

  it('never leaves more than 8 characters of an ID number visible', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const m = maskResidentId(id);
        expect(m.length).toBe(18);
        expect(m.replace(/\*/g, '').length).toBe(8);
        expect(m.slice(4, 14)).toBe('**********');
      }),
    );
  });
});
