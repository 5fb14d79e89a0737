/** The Chinese names of 村务共管's audit actions and targets: pure data, registered with the audit catalog by OpennessModule. */
import { DISCLOSURE_ACTION_NAMES, DISCLOSURE_ACTIONS } from './names.js';

const steps = Object.fromEntries(DISCLOSURE_ACTIONS.map((a) => [`disclosure.${a}`, `公开事项：${DISCLOSURE_ACTION_NAMES[a]}`]));

export const OPENNESS_AUDIT_NAMES = {
  actions: {
    ...steps,
    'disclosure.create': '公开事项：新建',
    'disclosure.entry.add': '财务公开：添加收支明细',
    'disclosure.entry.delete': '财务公开：删除收支明细',
    'disclosure.import': '财务公开：导入收支明细',
    'disclosure.attachment.add': '公开事项：添加附件',
    'disclosure.query': '村民质询',
    'disclosure.query.answer': '答复村民质询',
    'disclosure.query.escalate': '质询向乡镇反映',
    'disclosure.query.close': '乡镇办结质询',
    'openness.setting': '设置村财务公开频次',
    'openness.order': '乡镇责令公开',
    'openness.order.follow_up': '责令公开的跟进情况',
  } as Record<string, string>,
  targets: {
    disclosure: '公开事项',
    disclosure_query: '村民质询',
    township_order: '责令公开',
    division: '行政区划',
  },
};
