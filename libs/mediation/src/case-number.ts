/**
 * Case numbers in the customary form `（2026）长子鲍店调字第001号`.
 *
 * The place part names the committee's line from the county down:
 * - county committee:   county abbreviation                       （2026）长子调字第001号
 * - township committee: county + township abbreviation            （2026）长子鲍店调字第001号
 * - village committee:  county + township + village abbreviation  （2026）长子鲍店东街调字第001号
 *   (the village part drops a leading township abbreviation: 鲍店东街村 under 鲍店镇 → 东街).
 * The sequence is per committee per year, zero-padded to three digits (more digits past 999).
 */

/** Suffixes stripped from division names, longest first so 社区居委会 wins over 居委会. */
const SUFFIXES = [
  '社区居委会',
  '居民委员会',
  '村民委员会',
  '居委会',
  '村委会',
  '街道办事处',
  '街道',
  '社区',
  '镇',
  '乡',
  '村',
  '县',
  '区',
  '市',
];
const DEVELOPMENT_ZONE = /经济技术开发区$|经济开发区$|开发区$/;

/**
 * A division name's abbreviation: the name without its administrative suffix (长子县 → 长子,
 * 鲍店镇 → 鲍店, 同富村村委会 → 同富). A name that would shrink to a single character keeps its
 * last suffix (沁县 stays 沁县), as is customary. Development zones become 「…经开」.
 */
export function placeAbbreviation(name: string): string {
  let n = name.trim();
  if (DEVELOPMENT_ZONE.test(n)) return n.replace(DEVELOPMENT_ZONE, '') + '经开';
  for (let changed = true; changed;) {
    changed = false;
    for (const s of SUFFIXES) {
      if (n.endsWith(s) && n.length - s.length >= 2) {
        n = n.slice(0, -s.length);
        changed = true;
        break;
      }
    }
  }
  return n;
}

export interface CommitteeLine {
  county: string;
  township?: string;
  village?: string;
}

/** The place part of a case number from the committee's county, township and village names. */
export function casePlace(line: CommitteeLine): string {
  const county = placeAbbreviation(line.county);
  if (!line.township) return county;
  const township = placeAbbreviation(line.township).replace(new RegExp(`^${escapeRegExp(county)}`), '') || placeAbbreviation(line.township);
  if (!line.village) return county + township;
  const full = placeAbbreviation(line.village);
  const village = full.startsWith(township) && full.length > township.length ? full.slice(township.length) : full;
  return county + township + village;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function formatCaseNumber(year: number, place: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError('sequence must be a positive integer');
  return `（${year}）${place}调字第${String(seq).padStart(3, '0')}号`;
}
