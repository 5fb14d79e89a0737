/** Server-side display masks (GB/T 35273): first 4 and last 4 of an ID number, 3+4 of a phone. */
export function maskResidentId(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

export function maskMobile(phone: string): string {
  if (phone.length !== 11) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(7)}`;
}

/** 张三 → 张某; two-character compound surnames are kept whole. */
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '端木',
];
export function maskName(name: string): string {
  const n = name.trim();
  if (!n) return n;
  const surname = COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length) ?? n[0];
  return `${surname}某`;
}
