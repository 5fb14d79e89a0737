/**
 * RFC 4180 CSV parsing (quoted fields, doubled quotes, CRLF or LF, UTF-8 BOM) into header-keyed rows.
 * `line` is the 1-based line number of the row in the file (the header is line 1), for error reports.
 */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export function parseCsv(text: string): { header: string[]; rows: CsvRow[] } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { line: number; fields: string[] }[] = [];
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (inQuotes) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') inQuotes = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  const nonEmpty = records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (!nonEmpty.length) return { header: [], rows: [] };
  const header = nonEmpty[0].fields.map((h) => h.trim());
  const rows = nonEmpty.slice(1).map((r) => ({
    line: r.line,
    values: Object.fromEntries(header.map((h, i) => [h, (r.fields[i] ?? '').trim()])),
  }));
  return { header, rows };
}

/** Quotes a value for CSV output when it needs it; neutralises spreadsheet formula injection. */
export function csvCell(v: unknown): string {
  let s =
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean | bigint).toString();
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
