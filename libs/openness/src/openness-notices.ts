import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ElectorReads } from '#identity';
import { Inbox, type NotificationKind } from '#messaging';

/** A 村务共管 notification: what happened, and the disclosure it opens. */
export interface OpennessNotice {
  kind: Extract<
    NotificationKind,
    | 'disclosure_due'
    | 'disclosure_overdue'
    | 'disclosure_submitted'
    | 'disclosure_returned'
    | 'query_asked'
    | 'query_answered'
    | 'query_escalated'
  >;
  disclosureId: string | null;
  title: string;
  body: string;
  /** Where it opens when there is no disclosure (a village's schedule). */
  link?: string;
}

/** Who hears of what in 村务共管 (in the app, in the transaction of the event): the committee, the supervision committee, the township, the asker. */
@Injectable()
export class OpennessNotices {
  constructor(
    private readonly inbox: Inbox,
    private readonly holdersRead: ElectorReads,
  ) {}

  private send(em: EntityManager, ids: readonly string[], n: OpennessNotice): Promise<number> {
    return this.inbox.toPeople(em, ids, {
      kind: n.kind,
      link: n.link ?? (n.disclosureId ? `/disclosures/${n.disclosureId}` : null),
      title: n.title,
      body: n.body,
    });
  }

  async toCommittee(em: EntityManager, villageCode: string, n: OpennessNotice): Promise<number> {
    return this.send(em, await this.holdersRead.holdersOf(em, villageCode, 'village_committee'), n);
  }

  async toSupervision(em: EntityManager, villageCode: string, n: OpennessNotice): Promise<number> {
    return this.send(em, await this.holdersRead.holdersOf(em, villageCode, 'supervision_committee'), n);
  }

  /** The township's staff (their grant is at the village's township). */
  async toTownship(em: EntityManager, villageCode: string, n: OpennessNotice): Promise<number> {
    return this.send(em, await this.holdersRead.holdersOf(em, villageCode.slice(0, 9), 'township_staff'), n);
  }

  toPerson(em: EntityManager, personId: string, n: OpennessNotice): Promise<number> {
    return this.send(em, [personId], n);
  }

  toPeople(em: EntityManager, personIds: readonly string[], n: OpennessNotice): Promise<number> {
    return personIds.length ? this.send(em, personIds, n) : Promise.resolve(0);
  }

  /** The holders of `role` at each division (a batch: one statement). */
  holders(
    em: EntityManager,
    divisionCodes: readonly string[],
    role: 'village_committee' | 'township_staff',
  ): Promise<Map<string, string[]>> {
    return this.holdersRead.holdersIn(em, divisionCodes, role);
  }
}
