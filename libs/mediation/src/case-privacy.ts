import { maskName } from '#platform';
import type { PartyRole } from './names.js';
import type { PartyView, ViewLevel } from './views.js';

/**
 * How much of a case a caller sees:
 * - full: the assigned mediators, the committee's head, the township's mediation staff;
 * - restricted: anyone else whose scope covers the case (county statistics, say): a person's name
 *   becomes surname + 某, no address, and for a non-public case (Art. 23) no summary, claims,
 *   session records or agreement text;
 * - party: a resident who is a party to the case, through "my cases".
 * ID numbers and phones are masked in every view; the full value comes only through the audited reveal.
 */
export type { ViewLevel } from './views.js';

/** A party as stored: the view's fields, the role under its column's name. */
export type PartyRecord = Omit<PartyView, 'role'> & { partyRole: PartyRole };

export type { PartyView } from './views.js';

export function partyView(p: PartyRecord, level: ViewLevel): PartyView {
  const restricted = level === 'restricted';
  return {
    id: p.id,
    ord: p.ord,
    role: p.partyRole,
    kind: p.kind,
    // An organization's name is not personal information; a person's is.
    name: restricted && p.kind === 'person' ? maskName(p.name) : p.name,
    idNumberMasked: p.idNumberMasked,
    phoneMasked: p.phoneMasked,
    address: level === 'full' ? p.address : null,
    creditCode: p.creditCode,
    representsOrd: p.representsOrd,
  };
}

/** Whether the dispute's facts (summary, claims, records, agreement text) are shown. */
export function showsFacts(level: ViewLevel, nonPublic: boolean): boolean {
  return level !== 'restricted' || !nonPublic;
}

/** Whether the session records and attendees (full names of those present) are shown. */
export function showsRecords(level: ViewLevel): boolean {
  return level === 'full';
}
