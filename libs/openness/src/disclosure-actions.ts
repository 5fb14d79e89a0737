/**
 * What a person may do with a disclosure now (DisclosureDetail.actions). Pure: the service gathers the
 * facts; each step checks them again inside its transaction with a conditional update.
 *   draft, returned  --submit (committee)-->  submitted
 *   submitted        --return (supervision committee, with reasons)-->  returned
 *   submitted        --sign_off (supervision committee)-->  signed_off
 *   signed_off       --publish (committee)-->  published
 * Editing (text, balances, entries, import, attachments of vouchers) is the committee's in draft and returned.
 */
import type { DisclosureAction, DisclosureState } from './names.js';

export const EDITABLE: readonly DisclosureState[] = ['draft', 'returned'];

export const NEXT: Record<Exclude<DisclosureAction, 'edit'>, { from: readonly DisclosureState[]; to: DisclosureState; by: 'committee' | 'supervision' }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', by: 'committee' },
  return: { from: ['submitted'], to: 'returned', by: 'supervision' },
  sign_off: { from: ['submitted'], to: 'signed_off', by: 'supervision' },
  publish: { from: ['signed_off'], to: 'published', by: 'committee' },
};

export function disclosureActions(state: DisclosureState, roles: { committee: boolean; supervision: boolean }): DisclosureAction[] {
  const out: DisclosureAction[] = [];
  if (roles.committee && EDITABLE.includes(state)) out.push('edit');
  for (const [action, step] of Object.entries(NEXT) as [Exclude<DisclosureAction, 'edit'>, (typeof NEXT)['submit']][]) {
    const may = step.by === 'committee' ? roles.committee : roles.supervision;
    if (may && step.from.includes(state)) out.push(action);
  }
  return out;
}
