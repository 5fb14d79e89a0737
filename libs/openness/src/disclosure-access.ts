import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isWithinAny, normalizeScopes, withinScopes } from '#divisions';
import type { Actor } from '#platform';
import type { DisclosureState, Subject } from './names.js';

const scopesOfRoles = (actor: Actor, roles: readonly string[]) =>
  normalizeScopes(actor.grants.filter((g) => roles.includes(g.role)).map((g) => g.divisionCode));

/** Roles that read a village's disclosures in every state (drafts included): its committee, its supervision committee, and above. */
const STAFF_ROLES = ['village_committee', 'supervision_committee', 'township_staff', 'county_admin', 'city_admin'] as const;

/** Whether the actor is staff for the village's disclosures (sees drafts and every query's asker). */
export const isOpennessStaff = (actor: Actor, villageCode: string): boolean => isWithinAny(villageCode, scopesOfRoles(actor, STAFF_ROLES));

/**
 * Who may read a disclosure: `disclosure.read` over its village, and either staff there, or it is published
 * and the reader is one it is published to — the village's residents for the committee's disclosures, the
 * collective organization's members for the organization's (农村集体经济组织法 Art. 45). Anyone else is told
 * it does not exist.
 */
export function canReadDisclosure(actor: Actor, d: { villageCode: string; subject: Subject; state: DisclosureState }): boolean {
  if (!isWithinAny(d.villageCode, actor.scopesFor('disclosure.read'))) return false;
  if (isOpennessStaff(actor, d.villageCode)) return true;
  if (d.state !== 'published') return false;
  if (d.subject === 'collective') return isWithinAny(d.villageCode, scopesOfRoles(actor, ['collective_member']));
  return true;
}

/** canReadDisclosure's SQL form over alias `d` (the list's WHERE: the same rule as the detail's). */
export function visibleDisclosuresSql(actor: Actor): RawBuilder<SqlBool> {
  const read = withinScopes('d.village_code', actor.scopesFor('disclosure.read'));
  const staff = withinScopes('d.village_code', scopesOfRoles(actor, STAFF_ROLES));
  const members = withinScopes('d.village_code', scopesOfRoles(actor, ['collective_member']));
  return sql<SqlBool>`(${read} AND (${staff} OR (d.state = 'published' AND (d.subject = 'village' OR ${members}))))`;
}
