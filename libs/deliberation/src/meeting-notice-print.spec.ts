import { issuingBody, meetingNoticePage } from './meeting-notice-print.js';
import type { MeetingNoticeView } from './views.js';

const notice: MeetingNoticeView = {
  issuedAt: '2026-11-30T16:30:00.000Z', // 2026-12-01 00:30 in 长治
  earliestVoteAt: '2026-12-11T16:30:00.000Z',
  statutoryDays: 10,
  statutorySource: '《中华人民共和国农村集体经济组织法》第二十七条',
  meetingTime: '2026-12-12 00:30 以后开始表决',
  place: '村委会二楼<会议室>',
  matters: '收益分配：2026 年度收益分配方案',
  participation: '可到会、网上投票，或书面委托',
  recipients: 42,
  reports: [],
  broadcast: '',
};

describe('the printed meeting notice', () => {
  it('names the issuing body in full: 村民委员会 / 居民委员会, and the 理事会 for a 成员大会', () => {
    expect(issuingBody('鲍店东街村委会', 'villagers_meeting')).toBe('鲍店东街村民委员会');
    expect(issuingBody('城南社区居委会', 'representatives_meeting')).toBe('城南社区居民委员会');
    expect(issuingBody('鲍店东街村委会', 'members_assembly')).toBe('鲍店东街村集体经济组织理事会');
    expect(issuingBody('某村', 'villagers_meeting')).toBe('某村村民委员会');
    expect(issuingBody('某村', 'members_assembly')).toBe('某村集体经济组织理事会');
    expect(issuingBody('城南社区居委会', 'members_assembly')).toBe('城南社区集体经济组织理事会');
  });

  it('states the article, the addressees and the date in 长治 time, and escapes every stored text', () => {
    const html = meetingNoticePage(notice, {
      villageName: '鲍店东街村委会',
      decidingBody: 'members_assembly',
      title: '分配 & 公示',
      isDemo: true,
    });
    expect(html).toContain('<h1>关于召开集体经济组织成员大会的通知</h1>');
    expect(html).toContain('<div class="kind">分配 &amp; 公示（演示数据）</div>');
    expect(html).toContain('<div>本集体经济组织全体成员：</div>');
    expect(html).toContain('依据《中华人民共和国农村集体经济组织法》第二十七条，会议应当提前10日通知');
    expect(html).toContain('<td>村委会二楼&lt;会议室&gt;</td>');
    expect(html).not.toContain('<会议室>');
    expect(html).toContain('<div class="sign">鲍店东街村集体经济组织理事会<br>2026年12月1日</div>');
  });

  it('says so where the statute sets no notice period', () => {
    const html = meetingNoticePage(
      { ...notice, statutoryDays: null, statutorySource: null },
      { villageName: '鲍店东街村委会', decidingBody: 'representatives_meeting', title: '道路', isDemo: false },
    );
    expect(html).toContain('法律未规定村民代表会议的通知期限，按议题的讨论期办理');
    expect(html).toContain('现通知如下：');
    expect(html).not.toContain('演示数据');
  });
});
