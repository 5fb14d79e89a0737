/**
 * The roles and their Chinese names: pure data, shared by the API and the web UI (which imports this
 * file through its `@libs` alias). It must import nothing: no Nest, no #divisions (eslint.config.mjs
 * enforces it).
 */

export const ROLES = [
  'resident',
  'village_representative',
  'party_member',
  'collective_member',
  'village_committee',
  'supervision_committee',
  'township_staff',
  'mediator',
  'county_admin',
  'city_admin',
  'committee_member',
  'probationary_party_member',
  'party_member_under_probation',
] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

export const ROLE_NAMES: Record<Role, string> = {
  resident: '村民',
  village_representative: '村民代表',
  party_member: '党员',
  collective_member: '集体经济组织成员',
  village_committee: '村委会（村"两委"）',
  supervision_committee: '村务监督委员会',
  township_staff: '乡镇干部',
  mediator: '人民调解员',
  county_admin: '县（区）管理员',
  city_admin: '市管理员',
  committee_member: '村民委员会成员',
  probationary_party_member: '预备党员',
  party_member_under_probation: '留党察看党员',
};

/**
 * Roles that only those who may grant them see on another person: a disciplinary sanction (留党察看,
 * 党章 Art. 40) is no villager's business. People answers drop them for any other reader, the audit log
 * lists their grants only to readers who may manage them, and an actor's audit roles never name them
 * (docs/decisions/065-party-probation-no-vote.md).
 */
export const PRIVATE_ROLES = ['party_member_under_probation'] as const satisfies readonly Role[];
export const isPrivateRole = (r: string): boolean => (PRIVATE_ROLES as readonly string[]).includes(r);

/** A role held only beside another at the same division: 留党察看 is a sanction on a full party member. */
export const HELD_BESIDE: Partial<Record<Role, Role>> = { party_member_under_probation: 'party_member' };

/** Village seats the register records beside the resident grant (RegisterResidentDto.extraRoles, the CSV's 是/否 columns). */
export const EXTRA_VILLAGE_ROLES = [
  'village_representative',
  'party_member',
  'probationary_party_member',
  'party_member_under_probation',
  'committee_member',
  'collective_member',
] as const satisfies readonly Role[];

/** A division level, as #divisions names it (repeated here: this file imports nothing). */
export type RoleLevel = 'city' | 'county' | 'township' | 'village';

/** Each level as the grant form names it. */
export const ROLE_LEVEL_NAMES: Record<RoleLevel, string> = {
  city: '市',
  county: '县（区）',
  township: '乡镇（街道）',
  village: '村（社区）',
};

/** The division levels at which each role may be held. */
export const ROLE_LEVELS: Record<Role, readonly RoleLevel[]> = {
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
  // party member (attends the 党员大会 without a vote); a full member under 留党察看 (党章 Art. 40: no vote,
  // held beside party_member for the sanction's duration, the grant's dates being the record).
  committee_member: ['village'],
  probationary_party_member: ['village'],
  party_member_under_probation: ['village'],
};

/**
 * Who may grant which roles (always only inside the granter's own scope). No role can grant a role
 * above itself: the table is the whole of the "no escalation" rule.
 */
const TOWNSHIP_GRANTS: readonly Role[] = [
  'resident',
  'village_representative',
  'party_member',
  'probationary_party_member',
  'party_member_under_probation',
  'collective_member',
  'committee_member',
  'village_committee',
  'supervision_committee',
  'mediator',
];

export const GRANTABLE: Record<Role, readonly Role[]> = {
  resident: [],
  village_representative: [],
  party_member: [],
  collective_member: [],
  supervision_committee: [],
  mediator: [],
  committee_member: [],
  probationary_party_member: [],
  party_member_under_probation: [],
  village_committee: [
    'resident',
    'village_representative',
    'party_member',
    'probationary_party_member',
    'party_member_under_probation',
    'collective_member',
    'committee_member',
  ],
  township_staff: TOWNSHIP_GRANTS,
  county_admin: [...TOWNSHIP_GRANTS, 'township_staff'],
  city_admin: [...ROLES],
};
