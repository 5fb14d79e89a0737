/**
 * The Chinese names of 人民调解's audit actions and targets: pure data (built from names.ts), registered
 * with the audit catalog by MediationModule.
 */
import { ACTION_NAMES, CASE_ACTIONS } from './names.js';

const actions = Object.fromEntries(CASE_ACTIONS.map((a) => [`mediation.case.${a}`, `调解案件：${ACTION_NAMES[a]}`]));

export const MEDIATION_AUDIT_NAMES = {
  actions: {
    ...actions,
    'mediation.case.register': '调解案件：登记',
    'mediation.case.apply': '调解案件：当事人申请调解',
    'mediation.case.overdue': '调解案件：超过调解期限',
    'mediation.case.print_full': '调解案件：打印司法确认申请书（含当事人完整身份证号和手机号）',
    'mediation.party.reveal': '调解案件：查看当事人完整身份证号或手机号',
  } as Record<string, string>,
  targets: {
    mediation_case: '调解案件',
    mediation_party: '调解当事人',
  },
};
