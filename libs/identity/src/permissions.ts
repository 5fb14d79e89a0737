import type { Role } from './roles.js';

/**
 * Every named permission and the roles that hold it: the one role→permission table.
 * A holder exercises a permission on records of the grant's division and below.
 */
export const PERMISSIONS = {
  // identity and register
  'identity.me': [
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
    // 留党察看 is held beside party_member and resident, which carry everything the member may do; it carries
    // nothing of its own (no vote: electorate.ts leaves its holders out of the 党员大会).
    'party_member_under_probation',
  ],
  'identity.person.read': ['village_committee', 'supervision_committee', 'township_staff', 'county_admin', 'city_admin'],
  'identity.person.reveal': ['village_committee', 'township_staff', 'county_admin', 'city_admin'],
  'identity.register.write': ['village_committee', 'township_staff', 'county_admin', 'city_admin'],
  'identity.grant': ['village_committee', 'township_staff', 'county_admin', 'city_admin'],
  'identity.account.manage': ['township_staff', 'county_admin', 'city_admin'],
  'audit.read': ['supervision_committee', 'township_staff', 'county_admin', 'city_admin'],
  /**
   * Audit rows marked restricted (the grants of a private role, role-names.ts PRIVATE_ROLES: 留党察看): listed
   * only to readers who may also grant that role at the division (decision 065).
   */
  'audit.read_restricted': ['township_staff', 'county_admin', 'city_admin'],
  'audit.verify': ['county_admin', 'city_admin'],
  // 村事共议
  'proposal.read': [
    'resident',
    'village_representative',
    'party_member',
    'collective_member',
    'village_committee',
    'supervision_committee',
    'township_staff',
    'county_admin',
    'city_admin',
    'committee_member',
    'probationary_party_member',
  ],
  'proposal.write': ['village_committee'],
  'proposal.review': ['township_staff'],
  'proposal.comment': [
    'resident',
    'village_representative',
    'party_member',
    'collective_member',
    'village_committee',
    'supervision_committee',
    'committee_member',
    'probationary_party_member',
  ],
  'proposal.answer': ['village_committee'],
  'proposal.moderate': ['village_committee'],
  'proposal.object': ['supervision_committee'],
  'proposal.cosign': ['resident', 'village_representative'],
  /** Records the 村民会议's authorisation of the 村民代表会议 (村民委员会组织法 Art. 24 ¶2, Art. 25). */
  'proposal.authorisation.write': ['village_committee', 'township_staff'],
  /**
   * Records an authority's approval of a resolution after the vote (农村土地承包法 Art. 28 ¶2, 52 ¶1): the
   * township government's and the county 农业农村 department's, both entered by township staff (decision 015).
   */
  'proposal.approval.record': ['township_staff'],
  'ballot.cast': ['resident', 'village_representative', 'party_member', 'collective_member', 'committee_member'],
  'proposal.stats.read': ['village_committee', 'supervision_committee', 'township_staff', 'county_admin', 'city_admin'],
  'notice.read': [
    'resident',
    'village_representative',
    'party_member',
    'collective_member',
    'village_committee',
    'supervision_committee',
    'township_staff',
    'county_admin',
    'city_admin',
    'committee_member',
    'probationary_party_member',
  ],
  // 集体经济
  'economy.org.read': ['collective_member', 'village_committee', 'supervision_committee', 'township_staff', 'county_admin', 'city_admin'],
  'economy.org.write': ['village_committee', 'township_staff', 'county_admin', 'city_admin'],
  'economy.company.read': ['township_staff', 'county_admin', 'city_admin'],
  'economy.company.write': ['township_staff', 'county_admin', 'city_admin'],
  'economy.figures.confirm': ['township_staff', 'county_admin', 'city_admin'],
  'economy.stats.read': ['township_staff', 'county_admin', 'city_admin'],
  /** City-wide settings (the weak-village yardstick): one value for all of Changzhi. */
  'economy.settings.write': ['city_admin'],
  // 人民调解
  'mediation.case.apply': [
    'resident',
    'village_representative',
    'party_member',
    'collective_member',
    'committee_member',
    'probationary_party_member',
  ],
  'mediation.case.read': ['village_committee', 'township_staff', 'mediator', 'county_admin', 'city_admin'],
  'mediation.case.read_parties': ['mediator', 'village_committee', 'township_staff'],
  'mediation.case.write': ['mediator', 'village_committee', 'township_staff'],
  'mediation.case.reveal': ['mediator', 'village_committee', 'township_staff'],
  'mediation.stats.read': ['township_staff', 'county_admin', 'city_admin'],
  // 短信发送记录 (the outbox): 查看 by the committee and above; 重发 a failed message by the committee and township staff.
  'outbox.read': ['village_committee', 'township_staff', 'county_admin', 'city_admin'],
  'outbox.retry': ['village_committee', 'township_staff'],
  // 村务共管 (村民委员会组织法 Art. 30–32; 农村集体经济组织法 Art. 45–46). Reading a draft is for staff; villagers read
  // what is published (the service decides, disclosure-access.ts).
  'disclosure.read': [
    'resident',
    'village_representative',
    'party_member',
    'collective_member',
    'committee_member',
    'probationary_party_member',
    'village_committee',
    'supervision_committee',
    'township_staff',
    'county_admin',
    'city_admin',
  ],
  /** Prepares, edits, imports, submits and publishes disclosures; answers villagers' queries. */
  'disclosure.write': ['village_committee'],
  /** The 村务监督委员会 reviews a draft: signs it off (审核) or returns it with reasons (Art. 32). */
  'disclosure.review': ['supervision_committee'],
  /** A villager's query (质询) of a published disclosure, and its escalation to the township (Art. 31). */
  'disclosure.query': [
    'resident',
    'village_representative',
    'party_member',
    'collective_member',
    'committee_member',
    'probationary_party_member',
  ],
  /** The schedule and what is due, overdue and published, for the village and rolled up. */
  'openness.oversight.read': ['village_committee', 'supervision_committee', 'township_staff', 'county_admin', 'city_admin'],
  /** The township's watch: a village's finance cadence, orders to publish (Art. 31), escalated queries. */
  'openness.oversee': ['township_staff'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

type PermissionTable = { readonly [P in Permission]: true };
declare module '../../platform/src/http/actor.js' {
  // The platform's registry of permission names is this table's keys (see PermissionRegistry).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled from the table above, it declares no members of its own
  interface PermissionRegistry extends PermissionTable {}
}

export const isPermission = (p: string): p is Permission => Object.hasOwn(PERMISSIONS, p);

const BY_ROLE = new Map<Role, Set<Permission>>();
for (const [perm, roles] of Object.entries(PERMISSIONS) as [Permission, readonly Role[]][]) {
  for (const r of roles) {
    if (!BY_ROLE.has(r)) BY_ROLE.set(r, new Set());
    BY_ROLE.get(r)!.add(perm);
  }
}

export function roleHas(role: Role, permission: string): boolean {
  return isPermission(permission) && (BY_ROLE.get(role)?.has(permission) ?? false);
}

export function permissionsOf(role: Role): Permission[] {
  return [...(BY_ROLE.get(role) ?? [])].sort();
}
