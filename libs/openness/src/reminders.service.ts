import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '#platform';
import { SCHEDULE_SERIES_NAMES, type ScheduleSeries } from './names.js';
import { OpennessNotices } from './openness-notices.js';
import { OPENNESS_SETTINGS, type OpennessSettings } from './openness-settings.js';
import { addDays, periodLabel, shanghaiDay } from './periods.js';
import { RemindersRepository } from './reminders.repository.js';
import { daysBetween, monthlySinceOf, plannedSlots, quarterStart, slotStartOf, slotStatus } from './schedule.js';

/** How many days before a slot's due day the committee is reminded. */
export const REMIND_DAYS_BEFORE = 3;
/** How far back the job looks (older slots were reminded, or predate the job): two quarters. */
const LOOK_BACK_DAYS = 200;

/**
 * The reminders of the schedule (issue 15): the village committee when a period has ended and its
 * disclosure is due within REMIND_DAYS_BEFORE days and not yet published; the township's staff when it
 * becomes overdue (村民委员会组织法 Art. 31: the township must then order publication). Each once per
 * (village, series, period, kind): openness_reminder's primary key, whatever the number of processes.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly repo: RemindersRepository,
    private readonly notices: OpennessNotices,
    @Inject(OPENNESS_SETTINGS) private readonly settings: OpennessSettings,
  ) {}

  /** One pass over every village; returns how many reminders went out. */
  async run(): Promise<{ dueSoon: number; overdue: number }> {
    const now = this.clock.now();
    const asOf = shanghaiDay(now);
    const windowFrom = quarterStart(addDays(asOf, -LOOK_BACK_DAYS));
    const from = windowFrom > this.settings.scheduleFrom ? windowFrom : this.settings.scheduleFrom;
    return this.db.transaction(async (em) => {
      const villages = await this.repo.villages(em);
      const byCode = new Map(villages.map((v) => [v.code, v]));
      const published = new Map<string, string>();
      for (const p of await this.repo.published(em, from)) {
        const v = byCode.get(p.villageCode);
        const monthlySince = v?.financeMonthly && v.setOn ? monthlySinceOf(true, v.setOn) : null;
        const key = `${p.villageCode}|${p.series}|${slotStartOf(p.series, p.periodStart, monthlySince)}`;
        const before = published.get(key);
        if (!before || p.publishedOn < before) published.set(key, p.publishedOn);
      }
      const wanted: {
        villageCode: string;
        series: ScheduleSeries;
        periodStart: string;
        kind: 'due_soon' | 'overdue';
        dueOn: string;
        periodKind: 'month' | 'quarter';
      }[] = [];
      for (const v of villages) {
        const monthlySince = v.financeMonthly && v.setOn ? monthlySinceOf(true, v.setOn) : null;
        const slots = plannedSlots({ from, asOf, dueDays: this.settings.dueDays, monthlySince, collectiveSince: v.collectiveSince });
        for (const s of slots) {
          const st = slotStatus(s, published.get(`${v.code}|${s.series}|${s.periodStart}`) ?? null, asOf);
          if (st.status === 'due' && daysBetween(asOf, s.dueOn) <= REMIND_DAYS_BEFORE)
            wanted.push({
              villageCode: v.code,
              series: s.series,
              periodStart: s.periodStart,
              kind: 'due_soon',
              dueOn: s.dueOn,
              periodKind: s.periodKind,
            });
          if (st.status === 'overdue')
            wanted.push({
              villageCode: v.code,
              series: s.series,
              periodStart: s.periodStart,
              kind: 'overdue',
              dueOn: s.dueOn,
              periodKind: s.periodKind,
            });
        }
      }
      const taken = await this.repo.claim(em, wanted, now);
      const byKey = new Map(wanted.map((w) => [`${w.villageCode}|${w.series}|${w.periodStart}|${w.kind}`, w]));
      // One notification per village and kind, naming every period it is about.
      const groups = new Map<string, typeof wanted>();
      for (const t of taken) {
        const g = `${t.villageCode}|${t.kind}`;
        groups.set(g, [...(groups.get(g) ?? []), byKey.get(`${t.villageCode}|${t.series}|${t.periodStart}|${t.kind}`)!]);
      }
      const villagesTold = [...groups.keys()].map((g) => g.split('|')[0]);
      const committees = await this.notices.holders(em, villagesTold, 'village_committee');
      const townships = await this.notices.holders(
        em,
        villagesTold.map((v) => v.slice(0, 9)),
        'township_staff',
      );
      const labelOf = (w: (typeof wanted)[number]) =>
        `${periodLabel(w.periodKind, w.periodStart)}${SCHEDULE_SERIES_NAMES[w.series].replace(/（.*）$/, '')}（应于 ${w.dueOn} 前公开）`;
      let dueSoon = 0;
      let overdue = 0;
      for (const [g, items] of groups) {
        const [village, kind] = g.split('|') as [string, 'due_soon' | 'overdue'];
        const list = items.map(labelOf).join('；');
        const link = `/openness/villages/${village}`;
        if (kind === 'due_soon') {
          dueSoon += items.length;
          await this.notices.toPeople(em, committees.get(village) ?? [], {
            kind: 'disclosure_due',
            disclosureId: null,
            link,
            title: `请按时公开（${items.length} 项）`,
            body: `${list}。须经村务监督委员会审核后公开（村民委员会组织法第三十条）。`,
          });
        } else {
          overdue += items.length;
          await this.notices.toPeople(em, townships.get(village.slice(0, 9)) ?? [], {
            kind: 'disclosure_overdue',
            disclosureId: null,
            link,
            title: `逾期未公开：${byCode.get(village)?.name ?? village}（${items.length} 项）`,
            body: `${list}，至今未公开。依据村民委员会组织法第三十一条，乡镇应当责令公开并跟进。`,
          });
        }
      }
      return { dueSoon, overdue };
    });
  }
}
