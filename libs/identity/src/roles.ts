import type { DivisionLevel } from '#divisions';
import { ROLES, type Role } from './role-names.js';

// The roles and their names live in role-names.ts (shared with the web UI).
export { EXTRA_VILLAGE_ROLES, ROLE_NAMES, ROLES, type Role } from './role-names.js';

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
  // Seats: a member of the elected village committee (sits in the 村民代表会议, Art. 25); a probationary
  // party member (attends the 党员大会 without a vote).
  committee_member: ['village'],
  probationary_party_member: ['village'],
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
  committee_member: [],
  probationary_party_member: [],
  village_committee: ['resident', 'village_representative', 'party_member', 'probationary_party_member', 'collective_member', 'committee_member'],
  township_staff: [
    'resident',
    'village_representative',
    'party_member',
    'probationary_party_member',
    'collective_member',
    'committee_member',
    'village_committee',
    'supervision_committee',
    'mediator',
  ],
  county_admin: [
    'resident',
    'village_representative',
    'party_member',
    'probationary_party_member',
    'collective_member',
    'committee_member',
    'village_committee',
    'supervision_committee',
    'mediator',
    'township_staff',
  ],
  city_admin: [...ROLES],
};

export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);
