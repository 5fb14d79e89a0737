import { DEMO_PASSWORD } from '../../../seeds/demo-people.seed.js';
import { nameVariants } from './name-pinyin.js';
import {
  assessPassword,
  COMMON_CHINESE_PASSWORDS_FILE,
  type PasswordVerdict,
  type PersonFacts,
  personalWords,
  PINYIN_WORDS_FILE,
  readWordList,
} from './password-strength.js';

const accepted = (passwords: string[], facts: PersonFacts = {}) =>
  passwords.map((p) => [p, assessPassword(p, facts)] as const).filter(([, v]) => v.ok);

const reasonsOf = (v: PasswordVerdict): string[] => (!v.ok && v.problem === 'weak' ? v.reasons : []);

describe('common passwords', () => {
  it('the in-repo list of common Chinese passwords is long enough to matter and has no duplicates', () => {
    const list = readWordList(COMMON_CHINESE_PASSWORDS_FILE);
    expect(list.length).toBeGreaterThanOrEqual(300);
    expect(list).toContain('woaini1314');
    expect(list).toContain('5201314');
    expect(readWordList(PINYIN_WORDS_FILE)).toEqual(expect.arrayContaining(['woaini', 'wang', 'zhangwei']));
  });

  it('accepts none of the in-repo common Chinese passwords', () => {
    expect(accepted(readWordList(COMMON_CHINESE_PASSWORDS_FILE))).toEqual([]);
  });

  it('accepts none of them with the usual dressing: capitalised, with a ! or . appended, or doubled', () => {
    // One dressing per entry, in turn, to keep the run short (each check takes tens of milliseconds).
    const dress = [
      (p: string) => p[0].toUpperCase() + p.slice(1),
      (p: string) => `${p}!`,
      (p: string) => `${p}.`,
      (p: string) => `${p}${p}`,
    ];
    const dressed = readWordList(COMMON_CHINESE_PASSWORDS_FILE).map((p, i) => dress[i % dress.length](p));
    expect(accepted(dressed)).toEqual([]);
  });

  // The ones issue 10 found accepted by the old exact-match list, and their close relatives.
  const knownWeak = [
    'Password123',
    'P@ssw0rd',
    'Aa123456',
    'admin123',
    'woaini1314',
    'qq123456',
    'Admin@123',
    'a1234567',
    '5201314a',
    DEMO_PASSWORD,
    'Sangong2026',
    'sangong123',
    'Changzhi@2026',
    'changzhi123456',
    '长治三共2026',
    'Woaini1314!',
    'Woaini520',
    'iloveyou1314',
    'Qq5201314',
    'Zhang123456',
    'wang123456',
    'zhangwei1987',
    'Liuyang888',
    'Qwer1234',
    'Abc123456',
    '1qaz2wsx',
    '1qaz@WSX',
    'zxcvbnm123',
    'qwertyuiop',
    'Passw0rd!',
    'abcd1234',
    '88888888',
    '11111111',
    '147258369',
    'Admin888',
    '19900101',
    '20001231a',
    'asdfghjkl',
    // zxcvbn alone counts each symbol-separated piece as 10,000 guesses and would pass these:
    'woaini-1314-520',
    'Woaini@1314#520',
    'qq_123456_abc',
    'zhang-wei-1987',
  ];

  it('accepts none of the passwords issue 10 found accepted, nor their relatives', () => {
    expect(accepted(knownWeak)).toEqual([]);
  });

  it('explains in Chinese why, naming the pattern', () => {
    expect(reasonsOf(assessPassword('woaini1314'))).toContain('是常见密码');
    expect(reasonsOf(assessPassword(DEMO_PASSWORD))).toContain('是公开的演示密码');
    expect(reasonsOf(assessPassword('mju7nhy6bgt5'))).toContain('包含键盘上相邻的按键（如 qwerty、1qaz2wsx）');
    expect(reasonsOf(assessPassword('Changzhi@2026')).join()).toContain('本平台或本地的名称');
  });

  it('refuses by length before anything else', () => {
    expect(assessPassword('Xq7#')).toEqual({ ok: false, problem: 'length' });
    expect(assessPassword('x'.repeat(65))).toEqual({ ok: false, problem: 'length' });
  });
});

describe("the person's own data", () => {
  const person: PersonFacts = { realName: '王宇航', phone: '13812345678', idNumber: '140428198704281236', birthDate: '1987-04-28' };

  it('derives the pinyin of a common name and its short forms', () => {
    expect(nameVariants('王宇航')).toEqual(expect.arrayContaining(['王宇航', '宇航', 'wangyuhang', 'yuhangwang', 'yuhang', 'wang', 'wyh']));
    expect(nameVariants('欧阳娜娜')).toEqual(expect.arrayContaining(['ouyangnana', 'nana', 'oynn']));
    expect(nameVariants('村委会主任1（演示）')).toEqual(expect.arrayContaining(['村委会主任']));
    const words = personalWords(person);
    expect(words.get('13812345678')).toBe('phone');
    expect(words.get('281236')).toBe('idNumber');
    expect(words.get('19870428')).toBe('birthDate');
    expect(words.get('wangyuhang')).toBe('name');
  });

  const variants = [
    '13812345678',
    'Wang13812345678',
    '13812345678abc',
    '138-1234-5678!',
    'wyh12345678',
    'Wang@345678',
    'Yuhang5678!',
    'wangyuhang1987',
    'WangYuhang0428',
    'Wyh19870428',
    '19870428wang',
    '王宇航1987!',
    '王宇航19870428',
    'yuhang870428',
    'Wyh@281236',
    'wang140428198704281236',
    'hangyu-0428-wang',
  ];

  it('refuses passwords built from the phone, name, birth date or ID number', () => {
    expect(accepted(variants, person)).toEqual([]);
  });

  it('the person data is what refuses some of them: for someone else they pass', () => {
    const elsewhere = ['Wang13812345678', 'hangyu-0428-wang', '138-1234-5678!'];
    expect(elsewhere.filter((p) => assessPassword(p).ok)).toEqual(elsewhere);
    expect(elsewhere.filter((p) => assessPassword(p, person).ok)).toEqual([]);
  });

  it('names the personal data in the reason', () => {
    expect(reasonsOf(assessPassword('Wang13812345678', person))).toContain('包含手机号');
    expect(reasonsOf(assessPassword('Wyh@281236', person))).toContain('包含身份证号码');
    expect(reasonsOf(assessPassword('19870428wang', person))).toContain('包含出生日期');
    expect(reasonsOf(assessPassword('WangYuhang0428', person))).toContain('包含姓名或姓名拼音');
  });

  it('refuses the full phone number even inside an otherwise strong passphrase', () => {
    expect(assessPassword('马灯-黄河-晚风-13812345678', person)).toMatchObject({ ok: false, reasons: ['包含手机号'] });
  });
});

describe('strong passwords', () => {
  const strong = [
    'Qiu-tian de pingguo shu 7',
    '马灯-黄河-1987-晚风',
    '春眠不觉晓，处处闻啼鸟',
    'correct horse battery staple',
    'my cat eats 3 lemons daily',
    'Huanghe liu dao haili qu',
    'x7#Lq9!vR2@mZ4',
    'G8s*Wn3$eJ5^tB',
    'u4K!p7Z@q2Lm9#wd',
    'tqzkwhvbmrxpnsfg',
  ];

  it('accepts ordinary strong passphrases and long random strings', () => {
    expect(strong.filter((p) => !assessPassword(p).ok)).toEqual([]);
  });

  it('accepts them for a person too, when they do not contain that person’s data', () => {
    const person = { realName: '王宇航', phone: '13812345678', idNumber: '140428198704281236', birthDate: '1987-04-28' };
    expect(strong.filter((p) => !assessPassword(p, person).ok)).toEqual([]);
  });
});
