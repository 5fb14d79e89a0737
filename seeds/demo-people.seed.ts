import type { DataSource } from 'typeorm';
import { hashPassword, PeopleService, type Role, systemActor } from '#identity';
import { dbOf } from '#platform';
import { demoIdNumber, demoName } from './demo-ids.js';

/** Demo data, clearly marked (person.is_demo). Never loaded unless DEMO_MODE is on. */
export const DEMO_PASSWORD = 'Sangong@2026';
export const DEMO_VILLAGES = ['140428101200', '140428101201', '140428102200'] as const;
export const DEMO_TOWNSHIPS = ['140428101', '140428102'] as const;

export interface DemoLogin {
  role: Role;
  divisionCode: string;
  phone: string;
  realName: string;
}

interface DemoOfficial extends DemoLogin {
  home: string;
}

function officials(): DemoOfficial[] {
  const list: DemoOfficial[] = [
    { role: 'city_admin', divisionCode: '1404', home: DEMO_VILLAGES[0], phone: '13904280000', realName: '市管理员（演示）' },
    { role: 'county_admin', divisionCode: '140428', home: DEMO_VILLAGES[0], phone: '13904280001', realName: '县管理员（演示）' },
    { role: 'mediator', divisionCode: '140428', home: DEMO_VILLAGES[0], phone: '13904280002', realName: '县调解员（演示）' },
  ];
  DEMO_TOWNSHIPS.forEach((t, k) => {
    const home = DEMO_VILLAGES.find((v) => v.startsWith(t))!;
    list.push({ role: 'township_staff', divisionCode: t, home, phone: `139042800${k + 1}1`, realName: `乡镇干部${k + 1}（演示）` });
    list.push({ role: 'mediator', divisionCode: t, home, phone: `139042800${k + 1}2`, realName: `乡镇调解员${k + 1}（演示）` });
  });
  DEMO_VILLAGES.forEach((v, k) => {
    const base = `1390428${k + 1}0`;
    list.push({ role: 'village_committee', divisionCode: v, home: v, phone: `${base}01`, realName: `村委会主任${k + 1}（演示）` });
    list.push({ role: 'supervision_committee', divisionCode: v, home: v, phone: `${base}02`, realName: `监委会主任${k + 1}（演示）` });
    list.push({ role: 'mediator', divisionCode: v, home: v, phone: `${base}03`, realName: `村调解员${k + 1}（演示）` });
  });
  return list;
}

export const RESIDENTS_PER_VILLAGE = 30;

/**
 * Seeds demo officials and a register of RESIDENTS_PER_VILLAGE people per demo village
 * (households of three, two minors per village, representatives, party members, collective members).
 * Idempotent: the register is keyed by ID number, grants by (person, role, division).
 */
export async function seedDemoPeople(db: DataSource, people: PeopleService): Promise<DemoLogin[]> {
  const actor = systemActor('seed');
  // All demo accounts share one password; hashing it once keeps the first start fast.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let i = 0;
  const logins: DemoLogin[] = [];
  await db.transaction(async (em) => {
    for (const o of officials()) {
      i++;
      const birth = `19${60 + (i % 30)}-0${1 + (i % 9)}-1${i % 9}`;
      const { personId } = await people.registerResident(
        em,
        actor,
        o.home,
        { realName: o.realName, idNumber: demoIdNumber(i, birth, i % 2 === 1), phone: o.phone, householdNo: null },
        { isDemo: true, passwordHash },
      );
      await dbOf(em)
        .insertInto('role_grant')
        .values({ person_id: personId, role: o.role, division_code: o.divisionCode })
        .onConflict((oc) => oc.columns(['person_id', 'role', 'division_code']).where('revoked_at', 'is', null).doNothing())
        .execute();
      logins.push({ role: o.role, divisionCode: o.divisionCode, phone: o.phone, realName: o.realName });
    }
    for (const [k, v] of DEMO_VILLAGES.entries()) {
      for (let r = 0; r < RESIDENTS_PER_VILLAGE; r++) {
        i++;
        const minor = r >= RESIDENTS_PER_VILLAGE - 2;
        const birth = minor
          ? `201${r % 10}-0${1 + (r % 9)}-15`
          : `19${50 + ((r * 3) % 50)}-${String(1 + (r % 12)).padStart(2, '0')}-${String(1 + (r % 28)).padStart(2, '0')}`;
        const extra: Role[] = [];
        if (!minor) {
          extra.push('collective_member');
          // Every third: ten representatives, half of them women, so that with the two demo committee
          // members (demo-registers.seed.ts) they are over 4/5 of the 村民代表会议 and women over 1/3.
          if (r % 3 === 0) extra.push('village_representative');
          if (r % 6 === 1) extra.push('party_member');
        }
        const phone = minor ? null : `13904282${k + 1}${String(r).padStart(2, '0')}`;
        await people.registerResident(
          em,
          actor,
          v,
          {
            realName: demoName(i),
            idNumber: demoIdNumber(i, birth, r % 2 === 0),
            phone,
            householdNo: `${v.slice(-3)}-${String(Math.floor(r / 3) + 1).padStart(3, '0')}`,
            extraRoles: extra,
          },
          { isDemo: true, passwordHash },
        );
        if (r === 0) logins.push({ role: 'resident', divisionCode: v, phone: phone!, realName: demoName(i) });
      }
    }
  });
  return logins;
}
