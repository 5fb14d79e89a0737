import { csvCell, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('handles BOM, quotes, embedded commas/newlines, CRLF and line numbers', () => {
    const text = '\ufeff姓名,备注\r\n张三,"a,b"\r\n李四,"多\n行"\n\n王五,"说""好"""\n';
    const { header, rows } = parseCsv(text);
    expect(header).toEqual(['姓名', '备注']);
    expect(rows.map((r) => [r.line, r.values['姓名'], r.values['备注']])).toEqual([
      [2, '张三', 'a,b'],
      [3, '李四', '多\n行'],
      [6, '王五', '说"好"'],
    ]);
  });

  it('returns no header for an empty file', () => {
    expect(parseCsv('')).toEqual({ header: [], rows: [] });
  });

  it('csvCell quotes when needed and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(null)).toBe('');
  });
});
