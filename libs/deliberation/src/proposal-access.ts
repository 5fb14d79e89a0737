import { type RawBuilder, sql, type SqlBool } from 'kysely';
import { isWithinAny, normalizeScopes, scopeSql, withinScopes } from '#divisions';
import type { Actor } from '#platform';
import { PUBLIC_STATES, type ProposalState } from './proposal-lifecycle.js';

/** Roles that see a proposal before township approval (drafts, meeting records, the review queue). */
const STAFF_ROLES = ['village_committee', 'supervision_committee', 'township_staff', 'county_admin', 'city_admin'];

/** Party members, full or probationary: both attend the 审议 (only full members vote, electorate.ts). */
const PARTY_ROLES = ['party_member', 'probationary_party_member'];

const scopesOfRoles = (actor: Actor, roles: readonly string[]) =>
  normalizeScopes(actor.grants.filter((g) => roles.includes(g.role)).map((g) => g.divisionCode));

/**
 * Who may see a proposal: `proposal.read` over its village, and either a public state (township
 * approved it) or a staff role there; party members also see the 审议 vote they take part in.
 */
export function canSeeProposal(actor: Actor, villageCode: string, status: ProposalState): boolean {
  if (!isWithinAny(villageCode, actor.scopesFor('proposal.read'))) return false;
  if (PUBLIC_STATES.includes(status)) return true;
  if (isWithinAny(villageCode, scopesOfRoles(actor, STAFF_ROLES))) return true;
  return status === 'party_voting' && isWithinAny(villageCode, scopesOfRoles(actor, PARTY_ROLES));
}

/**
 * A proposal forced by a 联名提议 is a committee draft until the township approves it, but the people who
 * forced it must not be told it does not exist: its signers and those who may sign the request (its base's
 * electors, JointRequestsService.isSignerOrElector) see its title and state, read only, in every state in
 * which canSeeProposal refuses them (ProposalsService.get answers a JointProposalGlimpse). Nothing else of
 * the draft — text, meeting records, attachments, history, discussion — is theirs before approval.
 */
export const mayGlimpseJointProposal = (actor: Actor, villageCode: string, origin: 'committee' | 'joint'): boolean =>
  origin === 'joint' && isWithinAny(villageCode, actor.scopesFor('proposal.read'));

/** Whether the actor is staff at the village (sees hidden comments and objections). */
export const isStaffAt = (actor: Actor, villageCode: string): boolean => isWithinAny(villageCode, scopesOfRoles(actor, STAFF_ROLES));

/** Everything visibleSql depends on: two readers with the same key see the same proposals (a read cache key). */
export const visibilityKey = (actor: Actor): string =>
  JSON.stringify([actor.scopesFor('proposal.read'), scopesOfRoles(actor, STAFF_ROLES), scopesOfRoles(actor, PARTY_ROLES)]);

/** The SQL form of canSeeProposal over alias `p`: one `LIKE 'prefix%'` term per scope (withinScopes). */
export function visibleSql(actor: Actor): RawBuilder<SqlBool> {
  const read = withinScopes('p.village_code', actor.scopesFor('proposal.read'));
  const staff = withinScopes('p.village_code', scopesOfRoles(actor, STAFF_ROLES));
  const party = withinScopes('p.village_code', scopesOfRoles(actor, PARTY_ROLES));
  return sql<SqlBool>`(${read} AND (p.status = ANY(${[...PUBLIC_STATES]}::text[]) OR ${staff} OR (p.status = 'party_voting' AND ${party})))`;
}

/**
 * Collects positional parameters for hand-built WHERE clauses.
 * @deprecated Use Kysely fragments (`withinScopes`, `allOf`); kept only while notices and authorisations still build SQL by hand.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
  /** "column lies inside one of scopes" (the divisions module's scopeSql), numbered after the values so far. */
  scope(column: string, scopes: readonly string[]): string {
    const s = scopeSql(column, scopes, this.values.length + 1);
    this.values.push(...s.params);
    return s.sql;
  }
}
