import fc from 'fast-check';
import { broadcastScript, speakNumbersIn, spokenDateTime, spokenInteger, spokenYuan } from './broadcast-text.js';

describe('numbers as they are read aloud', () => {
  it.each([
    [0, '零'],
    [7, '七'],
    [10, '十'],
    [15, '十五'],
    [20, '二十'],
    [105, '一百零五'],
    [110, '一百一十'],
    [300, '三百'],
    [1010, '一千零一十'],
    [2026, '二千零二十六'],
    [10000, '一万'],
    [10005, '一万零五'],
    [10500, '一万零五百'],
    [35000, '三万五千'],
    [100000, '十万'],
    [120000, '十二万'],
    [1000000, '一百万'],
    [100000000, '一亿'],
    [100000005, '一亿零五'],
    [230050000, '二亿三千零五万'],
  ])('%d is %s', (n, spoken) => expect(spokenInteger(n)).toBe(spoken));

  it.each([
    ['35000.00', '三万五千元'],
    ['12.50', '十二元五角'],
    ['12.05', '十二元零五分'],
    ['0.05', '五分'],
    ['0.00', '零元'],
  ])('%s 元 is %s', (a, spoken) => expect(spokenYuan(a)).toBe(spoken));

  it('times are said in 长治 local time with the part of the day', () => {
    expect(spokenDateTime(new Date('2026-12-11T01:00:00Z'))).toBe('十二月十一日上午九点');
    expect(spokenDateTime(new Date('2026-12-11T07:30:00Z'))).toBe('十二月十一日下午三点半');
    expect(spokenDateTime(new Date('2026-12-11T06:00:00Z'))).toBe('十二月十一日下午两点');
    expect(spokenDateTime(new Date('2026-12-11T12:05:00Z'))).toBe('十二月十一日晚上八点零五分');
  });

  it('property: no digit survives, and every whole number reads back to itself', () => {
    const value: Record<string, number> = { 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
    const unit: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
    const readBack = (s: string): number => {
      let total = 0;
      let section = 0;
      let digit = 0;
      for (const ch of s) {
        if (ch in value) digit = value[ch];
        else if (ch in unit) {
          section += (digit || 1) * unit[ch];
          digit = 0;
        } else if (ch === '万' || ch === '亿') {
          const big = ch === '万' ? 1e4 : 1e8;
          total = ch === '亿' ? (total + section + digit) * big : total + (section + digit) * big;
          section = 0;
          digit = 0;
        }
      }
      return total + section + digit;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (n) => {
        const s = spokenInteger(n);
        expect(s).not.toMatch(/\d/);
        expect(readBack(s)).toBe(n);
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string(), (t) => expect(speakNumbersIn(t)).not.toMatch(/\d/)));
  });

  it('the broadcast says the matter and place twice and holds no digits', () => {
    const text = broadcastScript({
      villageName: '鲍店东街村村委会',
      bodyName: '村民会议',
      earliestVoteAt: new Date('2026-12-11T01:00:00Z'),
      statutoryDays: 10,
      place: '村委会大院；网上表决在"三共"平台进行',
      matters: '公益事业：硬化村东道路（涉及金额 35000.00 元）；附：年度工作报告《2025年度工作报告》',
      participation: '本村年满十八周岁的村民均可参加。',
    });
    expect(text).not.toMatch(/\d/);
    expect(text).toContain('现在播送鲍店东街村村民会议通知');
    expect(text).toContain('会议提前十天通知大家');
    expect(text).toContain('表决从十二月十一日上午九点以后开始');
    expect(text).toContain('涉及金额三万五千元');
    expect(text).toContain('《二〇二五年度工作报告》');
    expect(text.match(/村委会大院/g)).toHaveLength(2);
    expect(text.match(/硬化村东道路/g)).toHaveLength(2);
  });

  it('a place not yet fixed is said once, as the notice says it', () => {
    const text = broadcastScript({
      villageName: '鲍店东街村村委会',
      bodyName: '村民会议',
      earliestVoteAt: new Date('2026-12-11T14:00:00Z'),
      statutoryDays: null,
      place: '现场会议地点由村民委员会另行公告；网上表决在"三共"平台进行',
      matters: '其他：事项',
      participation: '参加。',
    });
    expect(text.match(/现场会议地点由村民委员会另行公告/g)).toHaveLength(1);
    expect(text).not.toContain('现场会议地点：现场');
    expect(text).not.toContain('提前');
    expect(text).toContain('十二月十一日晚上十点');
  });
});
