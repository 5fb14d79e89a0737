import { agreementPage, escapeHtml } from './print-pages.js';
import type { AgreementRow, CaseRow, PrintParty } from './case-reads.service.js';
import type { PartyRole } from './names.js';

describe('printable pages', () => {
  it('escapes every value', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });

  it('lays out the agreement with the Art. 29 contents, one signature line per party and the mediators', () => {
    const c = { caseNo: '（2026）长子鲍店东街调字第001号', committeeName: '鲍店东街村村委会', disputeType: 'neighbor' } as CaseRow;
    const party = (role: PartyRole, name: string): PrintParty => ({
      id: name,
      ord: 0,
      role,
      kind: 'person',
      name,
      idNumberMasked: null,
      phoneMasked: null,
      address: null,
      creditCode: null,
      representsOrd: null,
      idNumber: '1101**********002X',
      phone: null,
    });
    const a: AgreementRow = {
      form: 'written',
      facts: '事实<b>',
      disputePoints: '争议',
      responsibilities: '责任',
      terms: '内容',
      performanceMethod: '转账',
      performBy: '2026-12-31',
      effectiveOn: '2026-11-29',
      confirmDeadline: '2026-12-29',
      confirmUnverifiedYear: null,
      followUpDue: '2026-12-14',
      committeeSealed: true,
      recordedByName: null,
      partyExecutions: [
        { partyId: '王建国', ord: 0, mode: 'sign' },
        { partyId: '李秀英', ord: 1, mode: 'thumbprint' },
      ],
      mediatorSignatures: [{ personId: 'm', name: '赵调解' }],
      confirmation: null,
    };
    const html = agreementPage(c, [party('applicant', '王建国'), party('respondent', '李秀英')], a, ['另一位']);
    expect(html).toContain('鲍店东街村人民调解委员会');
    expect(html).toContain('事实&lt;b&gt;');
    expect(html).toContain('申请人（签名）：王建国');
    expect(html).toContain('被申请人（按指印）：李秀英');
    expect(html.match(/（签名）/g)).toHaveLength(2);
    expect(html).toContain('一式3份');
    expect(html).toContain('2026年12月29日');
    expect(html).toContain('人民调解员（签名）：赵调解');
    expect(html).not.toContain('另一位');

    const oral = agreementPage(
      c,
      [party('applicant', '王建国'), party('respondent', '李秀英')],
      {
        ...a,
        form: 'oral',
        facts: null,
        disputePoints: null,
        responsibilities: null,
        committeeSealed: null,
        recordedByName: '赵调解',
        partyExecutions: [],
        mediatorSignatures: [],
        confirmUnverifiedYear: 2027,
        confirmDeadline: '2027-01-04',
        confirmation: { appliedOn: '2026-12-01', court: '长子县人民法院', outcome: 'confirmed', decidedOn: '2026-12-08' },
      },
      ['赵调解'],
    );
    expect(oral).toContain('<h1>口头调解协议记录</h1>');
    expect(oral).not.toContain('class="sig"');
    expect(oral).not.toContain('纠纷主要事实');
    expect(oral).toContain('记录人（人民调解员）：赵调解');
    expect(oral).toContain('2027 年节假日安排未录入');
    expect(oral).toContain('长子县人民法院申请司法确认，人民法院于2026年12月8日裁定确认协议有效');
  });
});
