import type { DomainError } from '#platform';
import type { QueryState } from './names.js';
import { OpennessErrors } from './openness.errors.js';

/**
 * What can be done with a villager's query (质询, 村民委员会组织法 Art. 31–32) and by whom: the one decision
 * behind both QueryView.actions (what the UI offers) and the refusal the API answers, so they cannot drift.
 *
 * - answer (答复): the village committee, while the query is open; and, while it is answered and the asker has
 *   not taken it to the township, to correct its answer (the earlier text stays in the audit row). Once
 *   escalated, the answer under dispute is frozen: the township decides.
 * - escalate (向乡镇反映): the asker, when they find the answer untrue, or when the committee let the deadline
 *   pass without answering (Art. 31 lets villagers go to the township when the committee does not disclose).
 * - close (办结): the township, on an escalated query, with its reply.
 */
export const QUERY_ACTIONS = ['answer', 'escalate', 'close'] as const;
export type QueryAction = (typeof QUERY_ACTIONS)[number];
export const QUERY_ACTION_NAMES: Record<QueryAction, string> = { answer: '答复', escalate: '向乡镇反映', close: '办结' };
export const QUERY_ACTION_WHO: Record<QueryAction, string> = { answer: '村民委员会', escalate: '提出质询的村民本人', close: '乡镇' };

/** The caller's relation to the query's village and to the query itself. */
export interface QueryCaller {
  /** `disclosure.write` over the village (the committee). */
  committee: boolean;
  /** Asked it, and still holds `disclosure.query` there. */
  asker: boolean;
  /** `openness.oversee` over the village (township staff). */
  township: boolean;
}

export interface QueryFacts {
  state: QueryState;
  answerDueAt: Date;
}

/** Open and past its deadline: on the township's overdue list, and the asker may take it there. */
export const isOverdue = (f: QueryFacts, now: Date): boolean => f.state === 'open' && now.getTime() > f.answerDueAt.getTime();

const holds = (action: QueryAction, c: QueryCaller): boolean => {
  switch (action) {
    case 'answer':
      return c.committee;
    case 'escalate':
      return c.asker;
    case 'close':
      return c.township;
    default: {
      const never: never = action;
      return never;
    }
  }
};

/** Why the caller may not take `action` now, or null when they may: who first (403), then the state (409). */
export function queryRefusal(action: QueryAction, c: QueryCaller, f: QueryFacts, now: Date): DomainError | null {
  if (!holds(action, c)) return OpennessErrors.queryForbidden(QUERY_ACTION_NAMES[action], QUERY_ACTION_WHO[action]);
  switch (action) {
    case 'answer':
      return f.state === 'open' || f.state === 'answered' ? null : OpennessErrors.queryStepIllegal(f.state, QUERY_ACTION_NAMES[action]);
    case 'escalate':
      if (f.state === 'answered' || isOverdue(f, now)) return null;
      return f.state === 'open'
        ? OpennessErrors.queryNotOverdue(f.answerDueAt)
        : OpennessErrors.queryStepIllegal(f.state, QUERY_ACTION_NAMES[action]);
    case 'close':
      return f.state === 'escalated' ? null : OpennessErrors.queryStepIllegal(f.state, QUERY_ACTION_NAMES[action]);
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** The actions the caller may take now, in a fixed order. */
export function queryActions(c: QueryCaller, f: QueryFacts, now: Date): QueryAction[] {
  return QUERY_ACTIONS.filter((a) => queryRefusal(a, c, f, now) === null);
}
