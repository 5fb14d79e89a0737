import { agreementPage, escapeHtml } from './print-pages.js';
import type { AgreementRow, CaseRow, PrintParty } from './case-reads.service.js';

describe('printable pages', () => {
  it('escapes every value', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });

  it('lays out the agreement with the Art. 29 contents, one signature line per party and the mediators', () => {
    const c = { caseNo: '（2026）长子鲍店东街调字第001号', committeeName: '鲍店东街村村委会', disputeType: 'neighbor' } as CaseRow;
    const party = (role: string, name: string): PrintParty => ({
      id: name, ord: 0, role, kind: 'person', name, idNumberMasked: null, phoneMasked: null, address: null, creditCode: null, representsOrd: null,
      idNumber: '1101**********002X', phone: null,
    });
    const a: AgreementRow = {
      facts: '事实<b>', disputePoints: '争议', responsibilities: '责任', terms: '内容', performanceMethod: '转账', performBy: '2026-12-31',
      effectiveOn: '2026-11-29', confirmDeadline: '2026-12-29', followUpDue: '2026-12-14',
    };
    const html = agreementPage(c, [party('applicant', '王建国'), party('respondent', '李秀英')], a, ['赵调解']);
    expect(html).toContain('鲍店东街村人民调解委员会');
    expect(html).toContain('事实&lt;b&gt;');
    expect(html.match(/（签名）/g)).toHaveLength(3);
    expect(html).toContain('一式3份');
    expect(html).toContain('2026年12月29日');
    expect(html).toContain('赵调解');
  });
});
