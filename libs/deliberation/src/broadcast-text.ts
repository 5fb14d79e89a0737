/**
 * The meeting notice as a 村广播稿: short sentences read aloud over the village loudspeaker, every number
 * written as it is spoken (issue 14: "numbers written as spoken"), the matter and place said twice. Pure.
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const SMALL_UNITS = ['', '十', '百', '千'];

/** 0–9999 in its spoken form; `lead` is whether nothing precedes it (so 10–19 read 十…, not 一十…). */
function belowTenThousand(n: number, lead: boolean): string {
  const d = [Math.floor(n / 1000), Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10];
  let out = '';
  let zero = false;
  for (let i = 0; i < 4; i++) {
    const digit = d[i];
    const unit = SMALL_UNITS[3 - i];
    if (digit === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += lead && !out && digit === 1 && unit === '十' ? '十' : DIGITS[digit] + unit;
  }
  return out;
}

/** A whole number (0 ≤ n < 10¹²) as spoken: 10 十, 105 一百零五, 2026 二千零二十六, 35000 三万五千, 100000 十万. */
export function spokenInteger(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e12) throw new RangeError(`spokenInteger: ${n}`);
  if (n === 0) return '零';
  const groups = [Math.floor(n / 1e8), Math.floor(n / 1e4) % 1e4, n % 1e4];
  const names = ['亿', '万', ''];
  let out = '';
  let gap = false;
  for (let i = 0; i < 3; i++) {
    const g = groups[i];
    if (g === 0) {
      if (out) gap = true;
      continue;
    }
    // A zero between groups (一万零五) or a group below a thousand after a higher one (一万零五百) is said.
    if (out && (gap || g < 1000)) out += '零';
    out += belowTenThousand(g, !out) + names[i];
    gap = false;
  }
  return out;
}

/** An amount in yuan written "35000.00" as spoken: 三万五千元, 12.50 → 十二元五角, 0.05 → 五分. */
export function spokenYuan(amount: string): string {
  const m = /^(\d+)(?:\.(\d)(\d)?)?$/.exec(amount);
  if (!m) throw new RangeError(`spokenYuan: ${amount}`);
  const yuan = Number(m[1]);
  const jiao = Number(m[2] ?? 0);
  const fen = Number(m[3] ?? 0);
  let out = yuan > 0 ? `${spokenInteger(yuan)}元` : '';
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  if (fen > 0) out += `${jiao === 0 && yuan > 0 ? '零' : ''}${DIGITS[fen]}分`;
  return out || '零元';
}

/** An instant as 长治 local time, spoken: 十二月十一日上午九点, 下午三点半, 晚上八点十五分. */
export function spokenDateTime(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3_600_000);
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  const h = local.getUTCHours();
  const min = local.getUTCMinutes();
  const part = h < 6 ? '凌晨' : h < 12 ? '上午' : h < 13 ? '中午' : h < 18 ? '下午' : '晚上';
  const h12 = h > 12 ? h - 12 : h;
  const hour = h12 === 2 ? '两' : spokenInteger(h12);
  const minutes = min === 0 ? '' : min === 30 ? '半' : `${min < 10 ? '零' : ''}${spokenInteger(min)}分`;
  return `${spokenInteger(month)}月${spokenInteger(day)}日${part}${hour}点${minutes}`;
}

/** Every number left in a text, spoken: a year digit by digit (二〇二五年), amounts "… 元" as money, the rest as whole numbers. */
export function speakNumbersIn(text: string): string {
  return text
    .replace(/(\d{4})\s*年/g, (_, y: string) => `${[...y].map((d) => '〇一二三四五六七八九'[Number(d)]).join('')}年`)
    .replace(/(\d+(?:\.\d{1,2})?)\s*元/g, (_, a: string) => spokenYuan(a))
    .replace(/\d+/g, (d) => spokenInteger(Number(d)))
    .replace(/\s+/g, '');
}

export interface BroadcastSubject {
  villageName: string;
  bodyName: string;
  earliestVoteAt: Date;
  statutoryDays: number | null;
  /** The meeting place as the notice states it (its online part is left out: the broadcast names the platform once). */
  place: string;
  matters: string;
  participation: string;
}

/** The 村广播稿 of a meeting notice. */
export function broadcastScript(s: BroadcastSubject): string {
  const place = speakNumbersIn(s.place.split('；')[0]);
  // A place not yet fixed is said as the notice says it ("现场会议地点由村民委员会另行公告"), once.
  const placeKnown = !place.startsWith('现场会议地点');
  const matters = speakNumbersIn(s.matters);
  // The register's names end in 村委会 / 居委会 (统计用区划代码); the loudspeaker says the village.
  const village = s.villageName.replace(/(村|居)(民)?委员?会$/, '');
  return [
    `各位村民请注意，现在播送${village}${s.bodyName}通知。`,
    s.statutoryDays === null ? '' : `按照法律规定，会议提前${spokenInteger(s.statutoryDays)}天通知大家。`,
    `这次要表决的事项是：${matters}。`,
    `表决从${spokenDateTime(s.earliestVoteAt)}以后开始，具体时间另行通知。`,
    `${placeKnown ? `现场会议地点：${place}` : place}。也可以在手机上的"三共"平台投票。`,
    `参加方式：${speakNumbersIn(s.participation)}`,
    `再播送一遍：要表决的事项是${matters}${placeKnown ? `，地点是${place}` : ''}。请大家相互转告。`,
  ]
    .filter(Boolean)
    .join('\n');
}
