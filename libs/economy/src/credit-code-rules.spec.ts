import fc from 'fast-check';
import { CREDIT_ALPHABET, creditCodeCheckChar } from '#platform';
import { acceptedRegistrationCounties, creditCodeError, orgCreditCodeError } from './credit-code-rules.js';

const withCheck = (first17: string) => first17 + creditCodeCheckChar(first17);
/** A village-level organization of 长子县 (140428). */
const VILLAGE_ORG = withCheck('N2140428MA0K3C7Q1');
const codeOf = (raw: string, level: 'group' | 'village' | 'township' = 'village', division = '140428101200') =>
  orgCreditCodeError(raw, level, division)?.code ?? null;

const body17 = fc.array(fc.constantFrom(...CREDIT_ALPHABET), { minLength: 17, maxLength: 17 }).map((a) => a.join(''));

describe('credit code rules (GB 32100 + collective organization)', () => {
  it('accepts valid samples', () => {
    expect(creditCodeError('91350100M000100Y43')).toBeNull();
    expect(codeOf(VILLAGE_ORG)).toBeNull();
    expect(codeOf(VILLAGE_ORG.toLowerCase())).toBeNull();
    expect(codeOf(withCheck('N1140428000000001'), 'group')).toBeNull();
    expect(codeOf(withCheck('N3140428000000001'), 'township', '140428101')).toBeNull();
  });

  it('refuses one character changed with CREDIT_CODE_CHECKSUM, at every position', () => {
    fc.assert(
      fc.property(body17, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (b, pos, delta) => {
        const code = withCheck(b);
        const changed = code.slice(0, pos) + CREDIT_ALPHABET[(CREDIT_ALPHABET.indexOf(code[pos]) + delta) % 31] + code.slice(pos + 1);
        expect(creditCodeError(changed)?.code).toBe('CREDIT_CODE_CHECKSUM');
      }),
    );
    expect(codeOf(VILLAGE_ORG.slice(0, 10) + (VILLAGE_ORG[10] === '0' ? '1' : '0') + VILLAGE_ORG.slice(11))).toBe('CREDIT_CODE_CHECKSUM');
  });

  it('refuses two different characters swapped with CREDIT_CODE_CHECKSUM', () => {
    fc.assert(
      fc.property(body17, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 16 }), (b, i, j) => {
        const code = withCheck(b);
        fc.pre(i !== j && code[i] !== code[j]);
        const a = [...code];
        [a[i], a[j]] = [a[j], a[i]];
        expect(creditCodeError(a.join(''))?.code).toBe('CREDIT_CODE_CHECKSUM');
      }),
    );
    const a = [...VILLAGE_ORG];
    [a[9], a[10]] = [a[10], a[9]];
    expect(codeOf(a.join(''))).toBe('CREDIT_CODE_CHECKSUM');
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('refuses the letter %s with CREDIT_CODE_CHARSET', (letter) => {
    expect(codeOf(VILLAGE_ORG.slice(0, 12) + letter + VILLAGE_ORG.slice(13))).toBe('CREDIT_CODE_CHARSET');
  });

  it('refuses a wrong length with CREDIT_CODE_LENGTH', () => {
    expect(codeOf(VILLAGE_ORG.slice(0, 17))).toBe('CREDIT_CODE_LENGTH');
    expect(codeOf(`${VILLAGE_ORG}0`)).toBe('CREDIT_CODE_LENGTH');
    expect(codeOf('')).toBe('CREDIT_CODE_LENGTH');
  });

  it('refuses a registering authority other than N with CREDIT_CODE_AUTHORITY', () => {
    expect(codeOf(withCheck('92140428MA0K3C7Q1'))).toBe('CREDIT_CODE_AUTHORITY');
    expect(codeOf('91350100M000100Y43')).toBe('CREDIT_CODE_AUTHORITY');
  });

  it('refuses a type digit that does not match the level with CREDIT_CODE_TYPE_LEVEL', () => {
    expect(codeOf(VILLAGE_ORG, 'group')).toBe('CREDIT_CODE_TYPE_LEVEL');
    expect(codeOf(VILLAGE_ORG, 'township', '140428101')).toBe('CREDIT_CODE_TYPE_LEVEL');
    expect(codeOf(withCheck('N3140428MA0K3C7Q1'), 'village')).toBe('CREDIT_CODE_TYPE_LEVEL');
    expect(codeOf(withCheck('N9140428MA0K3C7Q1'), 'village')).toBe('CREDIT_CODE_TYPE_LEVEL');
  });

  it('refuses a registering county other than the organization’s with CREDIT_CODE_DIVISION', () => {
    expect(codeOf(VILLAGE_ORG, 'village', '140403001200')).toBe('CREDIT_CODE_DIVISION');
    expect(orgCreditCodeError(VILLAGE_ORG, 'village', '140403001200')?.message).toContain('140403');
  });

  describe('codes issued before 长治’s 2018–2019 redistricting', () => {
    const orgIn = (county: string, level: 'village' | 'township' = 'village') =>
      withCheck(`N${level === 'village' ? '2' : '3'}${county}MA0K3C7Q1`);
    // [today's county, a village or township in it, its predecessors]
    const cases: [string, string, string[]][] = [
      ['140403', '140403001200', ['140402', '140411']],
      ['140404', '140404100200', ['140421']],
      ['140405', '140405100200', ['140424']],
      ['140406', '140406100200', ['140481']],
    ];

    it.each(cases)('a county %s organization may carry its own code or a predecessor’s', (county, division, olds) => {
      expect(acceptedRegistrationCounties(county)).toEqual([county, ...olds]);
      expect(codeOf(orgIn(county), 'village', division)).toBeNull();
      for (const old of olds) expect(codeOf(orgIn(old), 'village', division)).toBeNull();
      expect(codeOf(orgIn(olds[0], 'township'), 'township', division.slice(0, 9))).toBeNull();
    });

    it('still refuses another county’s code, and another county’s predecessor', () => {
      // 上党区 may not carry 屯留县 (屯留区's predecessor) nor 潞州区's old 城区.
      expect(codeOf(orgIn('140424'), 'village', '140404100200')).toBe('CREDIT_CODE_DIVISION');
      expect(codeOf(orgIn('140402'), 'village', '140404100200')).toBe('CREDIT_CODE_DIVISION');
      // 长子县 was not redistricted: only its own code.
      expect(acceptedRegistrationCounties('140428')).toEqual(['140428']);
      expect(codeOf(orgIn('140421'), 'village', '140428101200')).toBe('CREDIT_CODE_DIVISION');
      // A predecessor code is not a county of its own today.
      expect(acceptedRegistrationCounties('140421')).toEqual(['140421']);
    });

    it('names the predecessors in the message', () => {
      expect(orgCreditCodeError(orgIn('140428'), 'village', '140403001200')?.message).toBe(
        '统一社会信用代码第 3–8 位（登记管理机关行政区划）应为所在县 140403（或区划调整前的 城区 140402、郊区 140411）',
      );
    });

    it('accepts any predecessor code and refuses any other county, over every county of 长治', () => {
      const counties = [
        '140403',
        '140404',
        '140405',
        '140406',
        '140423',
        '140425',
        '140426',
        '140427',
        '140428',
        '140429',
        '140430',
        '140431',
      ];
      const codes = [...counties, '140402', '140411', '140421', '140424', '140481', '140400', '140422'];
      fc.assert(
        fc.property(fc.constantFrom(...counties), fc.constantFrom(...codes), (county, carried) => {
          const ok = carried === county || (Object.fromEntries(cases.map(([c, , olds]) => [c, olds]))[county] ?? []).includes(carried);
          expect(codeOf(orgIn(carried), 'village', `${county}100200`)).toBe(ok ? null : 'CREDIT_CODE_DIVISION');
        }),
      );
    });
  });

  it('gives each kind of corruption its own code', () => {
    const codes = new Set([
      codeOf(VILLAGE_ORG.slice(0, 17)),
      codeOf(VILLAGE_ORG.slice(0, 12) + 'O' + VILLAGE_ORG.slice(13)),
      codeOf(VILLAGE_ORG.slice(0, 17) + (VILLAGE_ORG[17] === 'A' ? 'B' : 'A')),
      codeOf(withCheck('92140428MA0K3C7Q1')),
      codeOf(VILLAGE_ORG, 'group'),
      codeOf(VILLAGE_ORG, 'village', '140403001200'),
    ]);
    expect(codes).toEqual(
      new Set([
        'CREDIT_CODE_LENGTH',
        'CREDIT_CODE_CHARSET',
        'CREDIT_CODE_CHECKSUM',
        'CREDIT_CODE_AUTHORITY',
        'CREDIT_CODE_TYPE_LEVEL',
        'CREDIT_CODE_DIVISION',
      ]),
    );
  });
});
