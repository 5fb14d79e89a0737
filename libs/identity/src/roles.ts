import type { DivisionLevel } from '#divisions';
import { ROLES, type Role } from './role-names.js';

// The roles and their names live in role-names.ts (shared with the web UI).
export { ROLE_NAMES, ROLES, type Role } from './role-names.js';

/** The division levels at which each role may be held. */
export const ROLE_LEVELS: Record<Role, readonly DivisionLevel[]> = {
  resident: ['village'],
  village_representative: ['village'],
  party_member: ['village'],
  collective_member: ['village'],
  village_committee: ['village'],
  supervision_committee: ['village'],
  township_staff: ['township'],
  mediator: ['village', 'township', 'county'],
  county_admin: ['county'],
  city_admin: ['city'],
};

/**
 * Who may grant which roles (always only inside the granter's own scope). No role can grant a role
 * above itself: the table is the whole of the "no escalation" rule.
 */
export const GRANTABLE: Record<Role, readonly Role[]> = {
  resident: [],
  village_representative: [],
  party_member: [],
  collective_member: [],
  supervision_committee: [],
  mediator: [],
  village_committee: ['resident', 'village_representative', 'party_member', 'collective_member'],
  township_staff: [
    'resident',
    'village_representative',
    'party_member',
    'collective_member',
    'village_committee',
    'supervision_committee',
    'mediator',
  ],
  county_admin: [
    'resident',
    'village_representative',
    'party_member',
    'collective_member',
    'village_committee',
    'supervision_committee',
    'mediator',
    'township_staff',
  ],
  city_admin: [...ROLES],
};

export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);
