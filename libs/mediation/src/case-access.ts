import { isWithin, isWithinAny } from '#divisions';
import { type Role, roleHas } from '#identity';
import type { Actor } from '#platform';
import type { Relation } from './case-lifecycle.js';

/**
 * What the caller is to one case, decided from the caller's grants and the case's committee:
 * - manager: a non-mediator role that may write at the committee (村委会 of a village committee,
 *   乡镇干部 of the township's and its villages' committees) — the committee's head;
 * - member: holds the mediator role at the committee itself;
 * - assigned: a mediator currently assigned to the case (and still holding a mediator role above it).
 */
export interface CaseAccess {
  visible: boolean;
  manager: boolean;
  member: boolean;
  assigned: boolean;
  /** Sees the parties in full (names, addresses, the facts); identifiers stay masked until revealed. */
  full: boolean;
}

export interface CaseLocation {
  committeeCode: string;
  originCommitteeCode: string;
}

export function caseAccess(actor: Actor, c: CaseLocation, assignedPersonIds: readonly string[]): CaseAccess {
  const readScopes = actor.scopesFor('mediation.case.read');
  const visible = isWithinAny(c.committeeCode, readScopes) || isWithinAny(c.originCommitteeCode, readScopes);
  const grants = actor.grants;
  const manager = grants.some(
    (g) => g.role !== 'mediator' && roleHas(g.role as Role, 'mediation.case.write') && isWithin(c.committeeCode, g.divisionCode),
  );
  const member = grants.some((g) => g.role === 'mediator' && g.divisionCode === c.committeeCode);
  const assigned =
    !!actor.personId &&
    assignedPersonIds.includes(actor.personId) &&
    grants.some((g) => g.role === 'mediator' && isWithin(c.committeeCode, g.divisionCode));
  const headFull = grants.some(
    (g) => g.role !== 'mediator' && roleHas(g.role as Role, 'mediation.case.read_parties') && isWithin(c.committeeCode, g.divisionCode),
  );
  const full = visible && (headFull || (assigned && actor.can('mediation.case.read_parties', c.committeeCode)));
  return { visible, manager, member, assigned, full };
}

export function hasRelation(a: CaseAccess, who: Relation): boolean {
  switch (who) {
    case 'committee':
      return a.manager || a.member || a.assigned;
    case 'handler':
      return a.manager || a.assigned;
    default: {
      const never: never = who;
      return never;
    }
  }
}

/** May the caller take in cases for `committeeCode` (its head or one of its mediators)? */
export function canRegisterAt(actor: Actor, committeeCode: string): boolean {
  const a = caseAccess(actor, { committeeCode, originCommitteeCode: committeeCode }, []);
  return a.manager || a.member;
}
