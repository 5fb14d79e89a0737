import { CREDIT_ALPHABET, creditCodeCheckChar } from '#platform';
import predecessors from '../../libs/economy/src/data/predecessor-counties.json' with { type: 'json' };
import { orgBody, waitForImport, xlsxBase64 } from '../support/economy-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const E = '/api/v1/economy';
let serial = 7000;
/** A village organization's code registered in `county` (positions 3–8), valid check character. */
function villageCode(county: string): string {
  const n = ++serial;
  const first17 = `N2${county}MA0${CREDIT_ALPHABET[Math.floor(n / 961) % 31]}${CREDIT_ALPHABET[Math.floor(n / 31) % 31]}${CREDIT_ALPHABET[n % 31]}7Q1`;
  return first17 + creditCodeCheckChar(first17);
}

// Real villages of the counties formed in 长治's 2018–2019 redistricting.
const LUZHOU_VILLAGE = '140403001200'; // 北石槽村委会, 潞州区 (was 城区 / 郊区)
const SHANGDANG_VILLAGE = '140404102209'; // 行马村委会, 上党区 (was 长治县)
const TUNLIU_VILLAGE = '140405103201'; // 东街村委会, 屯留区 (was 屯留县)
const LUCHENG_VILLAGE = '140406100200'; // 店上村村委会, 潞城区 (was 潞城市)

const storedCode = async (division: string) =>
  (await queryRows<{ credit_code: string }>(t.db, `SELECT credit_code FROM collective_org WHERE division_code = $1`, [division])).map(
    (r) => r.credit_code,
  );

describe('credit codes issued before the redistricting', () => {
  it('the registry accepts a code carrying the county’s predecessor and refuses another county’s', async () => {
    const city = await t.given.user('city_admin', '1404');
    const oldLuzhou = villageCode('140411'); // 郊区
    const created = await t.api.post(`${E}/orgs`, orgBody(LUZHOU_VILLAGE, { creditCode: oldLuzhou }), city.token);
    expect(created.body).toMatchObject({ creditCode: oldLuzhou });
    expect(created.status).toBe(201);
    expect(created.body.creditCode).toBe(oldLuzhou);
    expect(await storedCode(LUZHOU_VILLAGE)).toEqual([oldLuzhou]);

    // 屯留县's code in 上党区 (formerly 长治县) is another county's: refused, and the message names the predecessor.
    const wrong = await t.api.post(`${E}/orgs`, orgBody(SHANGDANG_VILLAGE, { creditCode: villageCode('140424') }), city.token);
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('CREDIT_CODE_DIVISION');
    expect(JSON.stringify(wrong.body)).toContain('长治县 140421');
    expect(await storedCode(SHANGDANG_VILLAGE)).toEqual([]);

    const oldShangdang = villageCode('140421');
    const ok = await t.api.post(`${E}/orgs`, orgBody(SHANGDANG_VILLAGE, { creditCode: oldShangdang }), city.token);
    expect(ok.status).toBe(201);
    expect(await storedCode(SHANGDANG_VILLAGE)).toEqual([oldShangdang]);

    // Updating the organization keeps its old code valid.
    const upd = await t.api.patch(`${E}/orgs/${ok.body.id}`, { chairName: '赵文明' }, city.token);
    expect(upd.status).toBe(200);
    expect(upd.body.creditCode).toBe(oldShangdang);
  });

  it('the Excel and CSV imports accept predecessor codes row by row and refuse another county’s', async () => {
    const city = await t.given.user('city_admin', '1404');
    const header = [
      '层级',
      '所在区划代码',
      '所在区划',
      '组织名称',
      '统一社会信用代码',
      '登记证书编号',
      '登记日期',
      '章程备案日期',
      '理事长',
      '成员数',
      '总份额',
      '状态',
    ];
    const row = (division: string, code: string, i: number) => [
      '村级',
      division,
      '',
      `旧码${i}村股份经济合作社集体经济组织`,
      code,
      `旧字${i}`,
      '2016-06-01',
      '2016-05-20',
      '王建国',
      80 + i,
      500 + i,
      '正常',
    ];
    const tunliuOld = villageCode('140424');
    const wrongInLucheng = villageCode('140421');
    const startImport = async (body: Record<string, unknown>) => {
      const started = await t.api.post(`${E}/imports`, body, city.token);
      expect(started.status).toBe(202);
      return waitForImport(() => t.api.get(`${E}/imports/${started.body.id}`, city.token));
    };

    // A file with one wrong row writes nothing, and names that row only.
    const bad = await startImport({
      fileName: '旧码.xlsx',
      contentBase64: await xlsxBase64([
        { name: '集体经济组织', rows: [header, row(TUNLIU_VILLAGE, tunliuOld, 1), row(LUCHENG_VILLAGE, wrongInLucheng, 2)] },
      ]),
    });
    expect(bad.status).toBe('failed');
    expect(bad.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [3, '统一社会信用代码', 'CREDIT_CODE_DIVISION'],
    ]);
    expect(await storedCode(TUNLIU_VILLAGE)).toEqual([]);

    const xlsx = await startImport({
      fileName: '旧码.xlsx',
      contentBase64: await xlsxBase64([{ name: '集体经济组织', rows: [header, row(TUNLIU_VILLAGE, tunliuOld, 1)] }]),
    });
    expect(xlsx.status).toBe('succeeded');
    expect(xlsx.result.counts.orgs).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(await storedCode(TUNLIU_VILLAGE)).toEqual([tunliuOld]);

    // CSV: 潞城市's old code (140481) in 潞城区 beside a current-code row.
    const luchengOld = villageCode('140481');
    const csv = [header.join(','), row(LUCHENG_VILLAGE, luchengOld, 3).join(',')].join('\r\n');
    const fromCsv = await startImport({ fileName: '旧码.csv', kind: 'orgs', contentBase64: Buffer.from(csv).toString('base64') });
    expect(fromCsv.status).toBe('succeeded');
    expect(await storedCode(LUCHENG_VILLAGE)).toEqual([luchengOld]);
  });
});

describe('the database constraint', () => {
  it('allows exactly the predecessor pairs of the data file, and refuses a code of another county', async () => {
    const city = await t.given.user('city_admin', '1404');
    const org = await t.api.post(`${E}/orgs`, orgBody('140406101212'), city.token);
    expect(org.status).toBe(201);
    const tryCode = async (division: string, carried: string) => {
      const code = villageCode(carried);
      try {
        await t.db.query(`UPDATE collective_org SET division_code = $2, credit_code = $3 WHERE id = $1`, [org.body.id, division, code]);
        return 'ok';
      } catch (e) {
        return (
          (e as { constraint?: string; driverError?: { constraint?: string } }).driverError?.constraint ??
          (e as { constraint?: string }).constraint
        );
      }
    };
    // Villages without an organization yet (北津良, 羊川, 张店, 李家庄).
    const villageOf: Record<string, string> = {
      '140403': '140403013208',
      '140404': '140404103232',
      '140405': '140405105201',
      '140406': '140406101212',
    };
    const table = predecessors.counties as Record<string, { code: string }[]>;
    expect(Object.keys(table).sort()).toEqual(Object.keys(villageOf));
    for (const [county, olds] of Object.entries(table)) {
      for (const old of olds) expect([county, old.code, await tryCode(villageOf[county], old.code)]).toEqual([county, old.code, 'ok']);
      // Every other predecessor (another county's) is refused.
      for (const [other, otherOlds] of Object.entries(table)) {
        if (other === county) continue;
        for (const o of otherOlds) {
          expect([county, o.code, await tryCode(villageOf[county], o.code)]).toEqual([county, o.code, 'collective_org_code_county']);
        }
      }
    }
  });
});
