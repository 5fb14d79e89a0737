import { attachmentDisposition } from './attachment.js';

describe('attachmentDisposition', () => {
  it('carries the Chinese name percent-encoded as UTF-8 beside an ASCII fallback', () => {
    const v = attachmentDisposition('集体经济汇总.xlsx', 'economy-rollup.xlsx');
    expect(v).toBe(
      `attachment; filename="economy-rollup.xlsx"; filename*=UTF-8''%E9%9B%86%E4%BD%93%E7%BB%8F%E6%B5%8E%E6%B1%87%E6%80%BB.xlsx`,
    );
    expect(decodeURIComponent(v.split("UTF-8''")[1])).toBe('集体经济汇总.xlsx');
  });

  it("encodes the characters RFC 5987 leaves out of attr-char (' ( ) *)", () => {
    expect(attachmentDisposition("a'(b)*.xlsx", 'a.xlsx')).toContain("filename*=UTF-8''a%27%28b%29%2A.xlsx");
  });

  it('refuses a fallback that is not plain ASCII or would break the quoted string', () => {
    expect(() => attachmentDisposition('x', '汇总.xlsx')).toThrow();
    expect(() => attachmentDisposition('x', 'a".xlsx')).toThrow();
  });
});
