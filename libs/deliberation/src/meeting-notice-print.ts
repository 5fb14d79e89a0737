import { BODY_NAMES, type DecidingBody } from './names.js';
import { NOTICE_PRINT_STYLE } from './notice-print-style.js';
import type { MeetingNoticeView } from './views.js';

/** What the printed meeting notice says of its proposal. */
export interface PrintSubject {
  villageName: string;
  decidingBody: DecidingBody;
  title: string;
  isDemo: boolean;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** YYYY年M月D日 in 长治 time. */
function chineseDate(d: Date): string {
  const s = new Date(d.getTime() + 8 * 3_600_000);
  return `${s.getUTCFullYear()}年${s.getUTCMonth() + 1}月${s.getUTCDate()}日`;
}

const ADDRESSEES: Record<DecidingBody, string> = {
  villagers_meeting: '本村全体村民',
  representatives_meeting: '本村村民委员会成员、村民代表',
  members_assembly: '本集体经济组织全体成员',
  members_representatives_assembly: '本集体经济组织成员代表',
};

/**
 * Who issues the notice: the 村民委员会 convenes the 村民会议 and the 村民代表会议 (村民委员会组织法 Art. 21, 26);
 * the 理事会 convenes the 成员大会 and the 成员代表大会 (农村集体经济组织法 Art. 27, 28). The register's
 * names end in 村委会 / 居委会 (统计用区划代码), whose full form is 村民委员会 / 居民委员会.
 */
export function issuingBody(villageName: string, body: DecidingBody): string {
  const m = /(村|居)(民)?委员?会$/.exec(villageName);
  const place = m ? villageName.slice(0, m.index) : villageName;
  if (body === 'members_assembly' || body === 'members_representatives_assembly') {
    // 鲍店东街村委会 → 鲍店东街村…; a name without the suffix is the village's own (鲍店西街村 → 鲍店西街村…).
    return `${m && m[1] === '村' ? `${place}村` : place}集体经济组织理事会`;
  }
  return `${place}${m?.[1] === '居' ? '居民委员会' : '村民委员会'}`;
}

/**
 * The statutory meeting notice as a self-contained A4 page for the 村务公开栏: title, the addressees,
 * time, place, the matters, how to take part (on site and online), the statutory basis, the issuing body
 * and the date. It uses the resolution notice's stylesheet, which the UI's Content-Security-Policy allows by hash.
 */
export function meetingNoticePage(n: MeetingNoticeView, s: PrintSubject): string {
  const bodyName = BODY_NAMES[s.decidingBody];
  const issuer = issuingBody(s.villageName, s.decidingBody);
  const issued = chineseDate(new Date(n.issuedAt));
  const basis =
    n.statutorySource && n.statutoryDays !== null
      ? `依据${n.statutorySource}，会议应当提前${n.statutoryDays}日通知`
      : `法律未规定${bodyName}的通知期限，按议题的讨论期办理`;
  const rows: [string, string][] = [
    ['会议时间', n.meetingTime],
    ['会议地点', n.place],
    ['表决事项', n.matters],
    ['参加方式', n.participation],
    ['法定依据', basis],
  ];
  const title = `关于召开${bodyName}的通知`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${esc(`${issuer}${title}`)}</title>
<style>${NOTICE_PRINT_STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<div class="kind">${esc(s.title)}${s.isDemo ? '（演示数据）' : ''}</div>
<div>${esc(ADDRESSEES[s.decidingBody])}：</div>
<p>${esc(issuer)}定于下列时间召开${esc(bodyName)}，讨论决定"${esc(s.title)}"。${n.statutorySource ? `依据${esc(n.statutorySource)}，现提前${n.statutoryDays}日通知如下：` : '现通知如下：'}</p>
<table class="tally">
${rows.map(([k, v]) => `  <tr><th>${k}</th><td>${esc(v)}</td></tr>`).join('\n')}
</table>
<p>没有智能手机的，请按时到会场签到后现场表决。请相互转告。</p>
<div class="sign">${esc(issuer)}<br>${issued}</div>
<div class="period">本通知于${issued}发出，张贴于村务公开栏，并已通过"三共"平台通知${n.recipients}人。</div>
</body>
</html>
`;
}
