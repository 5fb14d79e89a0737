import type { AgreementRow, CaseRow, PrintParty } from './case-reads.service.js';
import { DISPUTE_TYPE_NAMES, PARTY_ROLE_NAMES } from './dto/case.dto.js';
import { CONFIRMATION_OUTCOME_NAMES, EXECUTION_MODE_NAMES, unverifiedDeadlineNote } from './names.js';

/** Printable A4 pages in the customary layout. Every value is escaped; identifiers arrive masked unless revealed. */
export function escapeHtml(s: string | null | undefined): string {
  return (s ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** The printable pages' stylesheet; exported so the UI's Content-Security-Policy can allow it by hash. */
export const MEDIATION_PRINT_STYLE = `
  @page { size: A4; margin: 25mm 20mm; }
  body { font-family: "SimSun", "Songti SC", serif; font-size: 14pt; line-height: 1.8; color: #000; }
  h1 { text-align: center; font-size: 22pt; letter-spacing: 0.3em; margin: 0 0 4mm; }
  .no { text-align: right; margin-bottom: 6mm; }
  h2 { font-size: 14pt; margin: 5mm 0 1mm; }
  p { margin: 0 0 2mm; text-indent: 2em; white-space: pre-wrap; }
  .party { text-indent: 0; }
  .signatures { margin-top: 14mm; display: grid; grid-template-columns: 1fr 1fr; row-gap: 12mm; }
  .sig { border-bottom: 1px solid #000; height: 10mm; }
  .seal { margin-top: 14mm; text-align: right; }
  .note { font-size: 10.5pt; margin-top: 10mm; text-indent: 0; }
  @media print { .noprint { display: none; } }`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${MEDIATION_PRINT_STYLE}</style></head>
<body>${body}</body></html>`;
}

function partyLine(p: PrintParty): string {
  const role = PARTY_ROLE_NAMES[p.role] ?? p.role;
  const ident =
    p.kind === 'person'
      ? p.idNumber
        ? `身份证号码：${escapeHtml(p.idNumber)}`
        : '身份证号码：未登记'
      : `统一社会信用代码：${escapeHtml(p.creditCode)}`;
  const phone = p.phone ? `，联系电话：${escapeHtml(p.phone)}` : '';
  const addr = p.address ? `，住址：${escapeHtml(p.address)}` : '';
  return `<p class="party">${role}：${escapeHtml(p.name)}，${ident}${phone}${addr}</p>`;
}

function cnDate(d: string): string {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

const committeeOf = (c: CaseRow) => `${escapeHtml(c.committeeName.replace(/村委会$|居委会$/, ''))}人民调解委员会`;

function confirmationLine(a: AgreementRow): string {
  const note = a.confirmUnverifiedYear ? `；${unverifiedDeadlineNote(a.confirmUnverifiedYear)}` : '';
  const k = a.confirmation;
  const applied = k
    ? `<p>当事人已于${cnDate(k.appliedOn)}向${escapeHtml(k.court)}申请司法确认${
        k.outcome && k.decidedOn ? `，人民法院于${cnDate(k.decidedOn)}${CONFIRMATION_OUTCOME_NAMES[k.outcome]}` : '，尚待裁定'
      }。</p>`
    : '';
  return `<p>当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认（本协议生效日期${cnDate(a.effectiveOn)}，申请期限至${cnDate(a.confirmDeadline)}${note}）。</p>${applied}`;
}

/**
 * 人民调解协议书 with the contents of 人民调解法 Art. 29, each party's line showing how they executed it
 * (签名、盖章或者按指印), or the mediator's record of an oral agreement (Art. 28, 30), which has no signatures.
 */
export function agreementPage(c: CaseRow, parties: PrintParty[], a: AgreementRow, mediators: string[]): string {
  const principal = parties.filter((p) => p.role !== 'agent');
  if (a.form === 'oral') return oralAgreementPage(c, parties, a);
  const modeOf = (p: PrintParty) => a.partyExecutions.find((e) => e.partyId === p.id)?.mode;
  const signers = a.mediatorSignatures.length ? a.mediatorSignatures.map((m) => m.name) : mediators;
  const signLines = principal
    .map((p) => {
      const mode = modeOf(p);
      return `<div>${PARTY_ROLE_NAMES[p.role]}（${mode ? EXECUTION_MODE_NAMES[mode] : '签名、盖章或按指印'}）：${escapeHtml(p.name)}<div class="sig"></div></div>`;
    })
    .concat(`<div>人民调解员（签名）：${escapeHtml(signers.join('、'))}<div class="sig"></div></div>`)
    .join('');
  return page(
    `人民调解协议书 ${c.caseNo}`,
    `<h1>人民调解协议书</h1>
<div class="no">${escapeHtml(c.caseNo)}</div>
<h2>当事人</h2>
${parties.map(partyLine).join('\n')}
<h2>纠纷类型</h2><p>${escapeHtml(DISPUTE_TYPE_NAMES[c.disputeType] ?? c.disputeType)}</p>
<h2>纠纷主要事实</h2><p>${escapeHtml(a.facts)}</p>
<h2>争议事项</h2><p>${escapeHtml(a.disputePoints)}</p>
<h2>各方当事人责任</h2><p>${escapeHtml(a.responsibilities)}</p>
<p>经${committeeOf(c)}调解，当事人自愿达成如下协议：</p>
<h2>协议内容</h2><p>${escapeHtml(a.terms)}</p>
<h2>履行方式和期限</h2><p>${escapeHtml(a.performanceMethod)}，于${cnDate(a.performBy)}前履行完毕。</p>
<p>本协议经各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。本协议一式${principal.length + 1}份，当事人各执一份，人民调解委员会留存一份。</p>
${confirmationLine(a)}
<div class="signatures">${signLines}</div>
<div class="seal">${committeeOf(c)}（印章）<br>${cnDate(a.effectiveOn)}</div>`,
  );
}

/** 口头调解协议记录: the mediator's record of an oral agreement; effective the day it was reached (Art. 30). */
function oralAgreementPage(c: CaseRow, parties: PrintParty[], a: AgreementRow): string {
  const opt = (title: string, v: string | null) => (v ? `<h2>${title}</h2><p>${escapeHtml(v)}</p>` : '');
  return page(
    `口头调解协议记录 ${c.caseNo}`,
    `<h1>口头调解协议记录</h1>
<div class="no">${escapeHtml(c.caseNo)}</div>
<p class="party">（当事人认为无需制作调解协议书，达成口头调解协议，由人民调解员记录协议内容。人民调解法第二十八条）</p>
<h2>当事人</h2>
${parties.map(partyLine).join('\n')}
<h2>纠纷类型</h2><p>${escapeHtml(DISPUTE_TYPE_NAMES[c.disputeType] ?? c.disputeType)}</p>
${opt('纠纷主要事实', a.facts)}${opt('争议事项', a.disputePoints)}${opt('各方当事人责任', a.responsibilities)}
<h2>口头协议内容</h2><p>${escapeHtml(a.terms)}</p>
<h2>履行方式和期限</h2><p>${escapeHtml(a.performanceMethod)}，于${cnDate(a.performBy)}前履行完毕。</p>
<p>本口头调解协议自各方当事人达成协议之日（${cnDate(a.effectiveOn)}）起生效（人民调解法第三十条）。</p>
${confirmationLine(a)}
<div class="seal">记录人（人民调解员）：${escapeHtml(a.recordedByName)}<br>${committeeOf(c)}<br>${cnDate(a.effectiveOn)}</div>`,
  );
}

/** 司法确认申请书: the parties' joint application to the basic-level court (人民调解法 Art. 33). */
export function confirmationApplicationPage(c: CaseRow, parties: PrintParty[], a: AgreementRow): string {
  const principal = parties.filter((p) => p.role !== 'agent');
  return page(
    `司法确认申请书 ${c.caseNo}`,
    `<h1>司法确认申请书</h1>
<h2>申请人</h2>
${parties.map(partyLine).join('\n')}
<h2>请求事项</h2>
<p>请求人民法院确认申请人之间于${cnDate(a.effectiveOn)}经${escapeHtml(c.committeeName.replace(/村委会$|居委会$/, ''))}人民调解委员会主持达成的调解协议（${escapeHtml(c.caseNo)}）有效。</p>
<h2>事实和理由</h2>
<p>申请人之间因${escapeHtml(DISPUTE_TYPE_NAMES[c.disputeType] ?? c.disputeType)}纠纷，经人民调解委员会调解，于${cnDate(a.effectiveOn)}自愿达成调解协议。协议内容：${escapeHtml(a.terms)}</p>
<p>申请人依照《中华人民共和国人民调解法》第三十三条的规定，自调解协议生效之日起三十日内（至${cnDate(a.confirmDeadline)}）共同提出申请。申请人保证：出于解决纠纷的目的自愿达成协议，没有恶意串通、规避法律的行为；如因虚假调解给他人造成损失，愿承担相应的法律责任。</p>
<p class="party">此致<br>人民法院</p>
<div class="signatures">${principal.map((p) => `<div>${PARTY_ROLE_NAMES[p.role]}（签名）：<div class="sig"></div></div>`).join('')}</div>
<div class="seal">年&emsp;&emsp;月&emsp;&emsp;日</div>
<p class="note">附：人民调解协议书一份；申请人身份证明材料。</p>`,
  );
}
