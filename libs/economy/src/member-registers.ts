import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonCards } from '#identity';
import { OrgsRepository } from './orgs.repository.js';

/** An elector drawn from a collective organization's register. */
export interface RegisterElector {
  personId: string;
  householdNo: string | null;
}

/** A 成员代表's term: five years from the election (农村集体经济组织法 Art. 28). */
export const MEMBER_REPRESENTATIVE_TERM_YEARS = 5;
/** Art. 28: the member representatives must be more than twenty. */
export const MEMBER_REPRESENTATIVES_MORE_THAN = 20;

/**
 * The collective organization's registers as the bodies that vote see them: the members of the
 * 成员大会 and the seated 成员代表 of the 成员代表大会, on a given day. The one way other modules read
 * who belongs to a collective organization (ENGINEERING.md: through this module's exported service).
 * Every method works inside the caller's transaction; the person's age and household are identity's.
 */
@Injectable()
export class CollectiveRegisters {
  // Both are stateless: scripts (the demo seeds) may construct the registers without Nest.
  constructor(
    private readonly orgs: OrgsRepository = new OrgsRepository(),
    private readonly people: PersonCards = new PersonCards(),
  ) {}

  /**
   * 成员大会 (Art. 26–27): the village organization's members on `day` of full civil capacity as the
   * register can tell it: 18 or over on the day (民法典 Art. 17–18). The register records no court
   * declaration of incapacity, nor the 16–17-year-old who lives on their own labour;
   * docs/decisions/012-bodies-and-seats.md.
   */
  async assemblyElectors(em: EntityManager, villageCode: string, day: string): Promise<RegisterElector[]> {
    return this.people.adultsOn(em, await this.orgs.villageMembersOn(em, villageCode, day), day);
  }

  /**
   * 成员代表大会 (Art. 28): the 成员代表 in office on `day` — elected on or before it, term not run out,
   * not ended early — who are still members.
   */
  async seatedMemberRepresentatives(em: EntityManager, villageCode: string, day: string): Promise<RegisterElector[]> {
    return this.people.households(em, await this.orgs.seatedRepresentativesOn(em, villageCode, day));
  }
}
