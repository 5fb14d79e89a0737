import { renderSms, SMS_TEMPLATES, OUTBOX_KINDS } from './names.js';
import { smsRecipients } from './offline-recipients.js';

const base = { helperId: null, helperName: null, helperHasPhone: false };

describe('who gets an SMS about an offline elector', () => {
  it('the elector with a phone; the helper with a phone for one without; nobody otherwise', () => {
    const r = smsRecipients([
      { ...base, personId: 'a', name: '张大爷', hasPhone: true },
      { personId: 'b', name: '李奶奶', hasPhone: false, helperId: 'h', helperName: '李小军', helperHasPhone: true },
      { personId: 'c', name: '王婶', hasPhone: false, helperId: 'h2', helperName: '王二', helperHasPhone: false },
      { ...base, personId: 'd', name: '赵叔', hasPhone: false },
    ]);
    expect(r).toEqual([
      { personId: 'a', aboutPersonId: 'a', electorName: '张大爷', relay: false },
      { personId: 'h', aboutPersonId: 'b', electorName: '李奶奶', relay: true },
    ]);
  });
});

describe('the SMS texts', () => {
  it('every parameter is filled, and a filled message is short', () => {
    const text = renderSms('meeting_notice', {
      greeting: '请转告李奶奶',
      body: '村民会议',
      matter: '村东道路硬化工程',
      time: '12月11日 08:00',
      place: '村委会大院',
    });
    expect(text).toBe('请转告李奶奶：本村将召开村民会议表决"村东道路硬化工程"，12月11日 08:00起可投票，地点村委会大院。详见村务公开栏。');
    for (const k of OUTBOX_KINDS) expect(SMS_TEMPLATES[k].replace(/\$\{\w+\}/g, '').length).toBeLessThanOrEqual(45);
  });
  it('a missing parameter stays visible rather than silently empty', () => {
    expect(renderSms('closing_soon', { greeting: '张三您好', matter: '修路' })).toContain('${closes}');
  });
});
