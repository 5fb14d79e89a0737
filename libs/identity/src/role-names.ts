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
] as const;
export type Role = (typeof ROLES)[number];

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
};

/** Village seats the register records beside the resident grant (RegisterResidentDto.extraRoles, the CSV's 是/否 columns). */
export const EXTRA_VILLAGE_ROLES = ['village_representative', 'party_member', 'probationary_party_member', 'committee_member', 'collective_member'] as const satisfies readonly Role[];
