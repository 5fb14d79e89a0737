import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { DivisionsService, isWithinAny } from '#divisions';
import { PersonNames } from '#identity';
import { type Actor, Clock, type Conn } from '#platform';
import { OpennessErrors } from './openness.errors.js';
import { type OrderRow, OrdersRepository } from './orders.repository.js';
import { shanghaiDay } from './periods.js';
import type { OrderBody } from './routes.js';
import type { TownshipOrderView } from './views.js';

/**
 * The township's order to publish (村民委员会组织法 Art. 31: when a village does not publish in time, or a villager
 * reports that what it published is untrue, the township investigates and orders publication) and its follow-up.
 * Only township staff over the village ('openness.oversee'); anyone else's request for a village outside that
 * scope is told the village does not exist.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repo: OrdersRepository,
    private readonly divisions: DivisionsService,
    private readonly names: PersonNames,
  ) {}

  private assertOversees(actor: Actor, villageCode: string): void {
    if (villageCode.length !== 12 || !isWithinAny(villageCode, actor.scopesFor('openness.oversee'))) throw OpennessErrors.villageNotFound();
  }

  async record(actor: Actor, body: OrderBody): Promise<TownshipOrderView> {
    this.assertOversees(actor, body.villageCode);
    if (!(await this.divisions.exists(body.villageCode, 'village'))) throw OpennessErrors.villageNotFound();
    const now = this.clock.now();
    const today = shanghaiDay(now);
    const series = body.series ?? null;
    const periodStart = body.periodStart ?? null;
    if ((series === null) !== (periodStart === null)) throw OpennessErrors.orderInvalid('公开类别和期间须一并填写');
    if (series === null && !body.queryId) throw OpennessErrors.orderInvalid('请指明未按时公开的类别和期间，或村民反映的质询');
    if (periodStart !== null && (!periodStart.endsWith('-01') || periodStart > today))
      throw OpennessErrors.orderInvalid('期间应为已经开始的某月或某季度，从其第一天算起');
    if (body.dueOn < today) throw OpennessErrors.orderInvalid('限期不能早于今天');
    const id = await this.db.transaction(async (em) => {
      if (body.queryId && !(await this.repo.orderableQuery(em, body.queryId, body.villageCode, now)))
        throw OpennessErrors.orderInvalid('该质询不属于该村，或既未向乡镇反映、也未逾期未答复');
      const orderId = await this.repo.insert(em, {
        villageCode: body.villageCode,
        series,
        periodStart,
        queryId: body.queryId ?? null,
        text: body.text,
        dueOn: body.dueOn,
        by: actor.accountId!,
        at: now,
      });
      await this.audit.record(em, {
        actor,
        action: 'openness.order',
        targetType: 'township_order',
        targetId: orderId,
        targetDivision: body.villageCode,
        details: { series, periodStart, queryId: body.queryId ?? null, dueOn: body.dueOn },
      });
      return orderId;
    });
    return this.viewOf(id);
  }

  async followUp(actor: Actor, id: string, followUp: string): Promise<TownshipOrderView> {
    await this.db.transaction(async (em) => {
      const order = await this.repo.byId(em, id);
      if (!order || !isWithinAny(order.villageCode, actor.scopesFor('openness.oversee'))) throw OpennessErrors.orderNotFound();
      if (!(await this.repo.followUp(em, id, followUp, actor.accountId!, this.clock.now()))) throw OpennessErrors.orderFollowedUp();
      await this.audit.record(em, {
        actor,
        action: 'openness.order.follow_up',
        targetType: 'township_order',
        targetId: id,
        targetDivision: order.villageCode,
      });
    });
    return this.viewOf(id);
  }

  private async viewOf(id: string): Promise<TownshipOrderView> {
    const row = await this.repo.byId(this.db, id);
    if (!row) throw OpennessErrors.orderNotFound();
    const names = await this.divisions.namesOf([row.villageCode]);
    return (await this.views(this.db, [row], names.get(row.villageCode) ?? row.villageCode))[0];
  }

  /** A village's orders, newest first (the caller has checked it may see the village). */
  async ofVillage(conn: Conn, villageCode: string, villageName: string): Promise<TownshipOrderView[]> {
    return this.views(conn, await this.repo.ofVillage(conn, villageCode), villageName);
  }

  private async views(conn: Conn, rows: OrderRow[], villageName: string): Promise<TownshipOrderView[]> {
    const people = await this.names.ofAccounts(conn, [...new Set(rows.map((r) => r.orderedBy))]);
    return rows.map((r) => ({
      id: r.id,
      villageCode: r.villageCode,
      villageName,
      series: r.series,
      periodStart: r.periodStart,
      queryId: r.queryId,
      text: r.text,
      dueOn: r.dueOn,
      orderedAt: r.orderedAt.toISOString(),
      orderedBy: people.get(r.orderedBy) ?? '',
      followUp: r.followUp,
      followedUpAt: r.followedUpAt?.toISOString() ?? null,
    }));
  }
}
