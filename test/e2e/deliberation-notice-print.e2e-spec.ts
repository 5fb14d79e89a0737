import { jest } from '@jest/globals';
import { queryRows } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { officials, ok, throughPartyReview, Villages } from './deliberation-support.js';

jest.setTimeout(90_000);

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t.close();
});

describe('the statutory meeting notice printed for the 村务公开栏', () => {
  it('prints on A4 once issued: title, place, matters, how to take part, the article, the committee and the date; scoped as the proposal', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const resident = await t.given.user('resident', village);
    const outsider = await t.given.user('village_committee', villages.inB());
    const filed = ok(
      await t.api.post(
        '/api/v1/proposals',
        {
          villageCode: village,
          title: '村西排水渠清淤工程',
          body: '清理村西排水渠 800 米，预算 2.4 万元。',
          category: 'public_welfare',
          amountFen: 2_400_000,
          decidingBody: 'villagers_meeting',
          ballotType: 'secret',
          deliberationDays: 3,
          meetingPlace: '村民活动中心一楼大厅',
        },
        o.committee.token,
      ),
      201,
    );
    const id = filed.id as string;
    const path = `/api/v1/proposals/${id}/meeting-notice/print`;

    // Before the township's approval there is no notice to print.
    const early = await t.api.get(path, o.committee.token);
    expect(early.status).toBe(404);
    expect(early.body).toEqual({ code: 'MEETING_NOTICE_NOT_ISSUED', message: '该议题尚未发出会议通知（乡镇审核通过之日发出）' });

    await throughPartyReview(t, o, village, id);
    const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, { comment: '同意' }, o.township.token));
    const notice = approved.notice;

    const page = await t.api.get(path, resident.token);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = page.body as string;
    expect(html).toContain('size: A4');
    expect(html).toContain('<h1>关于召开村民会议的通知</h1>');
    expect(html).toContain('<div>本村全体村民：</div>');
    expect(html).toContain('<tr><th>会议地点</th><td>村民活动中心一楼大厅；网上表决在&quot;三共&quot;平台进行</td></tr>');
    expect(html).toContain('<tr><th>表决事项</th><td>公益事业兴办和筹资筹劳：村西排水渠清淤工程（涉及金额 24000.00 元）</td></tr>');
    expect(html).toContain('<tr><th>法定依据</th><td>依据《中华人民共和国村民委员会组织法》第二十一条，会议应当提前10日通知</td></tr>');
    expect(html).toContain(`<tr><th>会议时间</th><td>${notice.meetingTime}</td></tr>`);
    // How to take part: on site and online, as the notice says it.
    expect(notice.participation).toContain('现场表决');
    expect(notice.participation).toContain('网上投票');
    expect(html).toContain(`<tr><th>参加方式</th><td>${notice.participation.replace(/"/g, '&quot;')}</td></tr>`);
    expect(html).toContain('没有智能手机的，请按时到会场签到后现场表决');

    // The issuing committee (the register's 村委会 in full) and the date, in 长治 time.
    const [{ name }] = await queryRows<{ name: string }>(t.db, `SELECT name FROM division WHERE code = $1`, [village]);
    // The register's names end in 村委会 (统计用区划代码) or are the village's own name (test divisions).
    const committee = /村委会$/.test(name) ? name.replace(/村委会$/, '村民委员会') : `${name}村民委员会`;
    const local = new Date(new Date(notice.issuedAt).getTime() + 8 * 3_600_000);
    const date = `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
    expect(html).toContain(`<div class="sign">${committee}<br>${date}</div>`);
    expect(html).toContain(`平台通知${notice.recipients}人。</div>`);

    // Whoever cannot read the proposal cannot print its notice: another village's committee gets 404.
    const foreign = await t.api.get(path, outsider.token);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('PROPOSAL_NOT_FOUND');
    const anonymous = await t.api.get(path);
    expect(anonymous.status).toBe(401);
  });
});
