import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '#platform';

/** An elector drawn from a collective organization's register. */
export interface RegisterElector {
  personId: string;
  householdNo: string | null;
}

/** A 成员代表's term: five years from the election (农村集体经济组织法 Art. 28). */
export const MEMBER_REPRESENTATIVE_TERM_YEARS = 5;
/** Art. 28: the member representatives must be more than twenty. */
export const MEMBER_REPRESENTATIVES_MORE_THAN = 20;

/** The village-level organization of a village that is registered and not cancelled. */
const VILLAGE_ORG = `o.division_code = $1 AND o.level = 'village' AND o.status = 'active'`;
/** A member on day $2: joined on or before it and not yet left. */
const MEMBER_ON_DAY = `m.joined_on <= $2::date AND (m.left_on IS NULL OR m.left_on > $2::date)`;
/**
 * Full civil capacity, as the register can tell it: 18 or over on the day (民法典 Art. 17–18). The
 * register records no court declaration of incapacity, nor the 16–17-year-old who lives on their own
 * labour; docs/decisions/012-bodies-and-seats.md.
 */
const FULL_CAPACITY = `p.birth_date <= ($2::date - interval '18 years')::date`;

/**
 * The collective organization's registers as the bodies that vote see them: the members of the
 * 成员大会 and the seated 成员代表 of the 成员代表大会, on a given day. The one way other modules read
 * who belongs to a collective organization (ENGINEERING.md: through this module's exported service).
 * Stateless: every method works inside the caller's transaction.
 */
@Injectable()
export class CollectiveRegisters {
  /** 成员大会 (Art. 26–27): the village organization's members of full civil capacity on `day`. */
  assemblyElectors(em: EntityManager, villageCode: string, day: string): Promise<RegisterElector[]> {
    return queryRows<RegisterElector>(
      em,
      `SELECT p.id AS "personId", p.household_no AS "householdNo"
         FROM collective_org o JOIN collective_member m ON m.org_id = o.id JOIN person p ON p.id = m.person_id
        WHERE ${VILLAGE_ORG} AND ${MEMBER_ON_DAY} AND ${FULL_CAPACITY}
        ORDER BY p.id`,
      [villageCode, day],
    );
  }

  /**
   * 成员代表大会 (Art. 28): the 成员代表 in office on `day` — elected on or before it, term not run out,
   * not ended early — who are still members.
   */
  seatedMemberRepresentatives(em: EntityManager, villageCode: string, day: string): Promise<RegisterElector[]> {
    return queryRows<RegisterElector>(
      em,
      `SELECT DISTINCT p.id AS "personId", p.household_no AS "householdNo"
         FROM collective_org o JOIN collective_member_representative r ON r.org_id = o.id
         JOIN collective_member m ON m.id = r.member_id JOIN person p ON p.id = m.person_id
        WHERE ${VILLAGE_ORG} AND ${MEMBER_ON_DAY}
          AND r.elected_on <= $2::date AND r.term_ends_on > $2::date AND (r.ended_on IS NULL OR r.ended_on > $2::date)
        ORDER BY p.id`,
      [villageCode, day],
    );
  }
}
