import fc from 'fast-check';
import { QUERY_STATES, type QueryState } from './names.js';
import { OpennessErrorCode } from './openness.errors.js';
import { isOverdue, QUERY_ACTIONS, type QueryCaller, queryActions, queryRefusal } from './query-actions.js';

const DUE = new Date('2026-12-11T07:00:00Z');
const before = new Date(DUE.getTime() - 1);
const after = new Date(DUE.getTime() + 1);
const nobody: QueryCaller = { committee: false, asker: false, township: false };
const committee: QueryCaller = { ...nobody, committee: true };
const asker: QueryCaller = { ...nobody, asker: true };
const township: QueryCaller = { ...nobody, township: true };
const facts = (state: QueryState) => ({ state, answerDueAt: DUE });

describe('what a caller may do with a villager query now', () => {
  it('the committee answers an open query, before or after the deadline, and may correct an answer not yet escalated', () => {
    expect(queryActions(committee, facts('open'), before)).toEqual(['answer']);
    expect(queryActions(committee, facts('open'), after)).toEqual(['answer']);
    expect(queryActions(committee, facts('answered'), after)).toEqual(['answer']);
    expect(queryActions(committee, facts('escalated'), after)).toEqual([]);
    expect(queryActions(committee, facts('closed'), after)).toEqual([]);
    expect(queryRefusal('answer', committee, facts('escalated'), after)?.code).toBe(OpennessErrorCode.queryStepIllegal);
    expect(queryRefusal('answer', committee, facts('escalated'), after)?.message).toBe('质询当前为"已向乡镇反映"，不能答复');
  });

  it('the asker escalates an answer, or an open query only once the deadline has passed', () => {
    expect(queryActions(asker, facts('answered'), before)).toEqual(['escalate']);
    expect(queryActions(asker, facts('open'), before)).toEqual([]);
    expect(queryActions(asker, facts('open'), DUE)).toEqual([]);
    expect(queryActions(asker, facts('open'), after)).toEqual(['escalate']);
    const early = queryRefusal('escalate', asker, facts('open'), before);
    expect(early?.code).toBe(OpennessErrorCode.queryNotOverdue);
    // 07:00 UTC is 15:00 in 长治.
    expect(early?.message).toContain('2026年12月11日 15:00');
    expect(queryRefusal('escalate', asker, facts('escalated'), after)?.code).toBe(OpennessErrorCode.queryStepIllegal);
    expect(queryRefusal('escalate', asker, facts('closed'), after)?.code).toBe(OpennessErrorCode.queryStepIllegal);
  });

  it('the township closes an escalated query only', () => {
    expect(queryActions(township, facts('escalated'), before)).toEqual(['close']);
    for (const s of ['open', 'answered', 'closed'] as const) {
      expect(queryActions(township, facts(s), after)).toEqual([]);
      expect(queryRefusal('close', township, facts(s), after)?.code).toBe(OpennessErrorCode.queryStepIllegal);
    }
  });

  it('who is asked before what state: another role is refused (403) whatever the state', () => {
    expect(queryRefusal('answer', asker, facts('open'), after)?.kind).toBe('forbidden');
    expect(queryRefusal('answer', township, facts('escalated'), after)?.message).toBe('质询的答复须由村民委员会办理');
    expect(queryRefusal('escalate', committee, facts('answered'), after)?.message).toBe('质询的向乡镇反映须由提出质询的村民本人办理');
    expect(queryRefusal('close', committee, facts('escalated'), after)?.code).toBe(OpennessErrorCode.queryForbidden);
  });

  it('overdue is open and strictly past the deadline', () => {
    expect(isOverdue(facts('open'), DUE)).toBe(false);
    expect(isOverdue(facts('open'), after)).toBe(true);
    for (const s of ['answered', 'escalated', 'closed'] as const) expect(isOverdue(facts(s), after)).toBe(false);
  });

  it('every state, caller and instant: the actions listed are exactly those not refused, and each needs its role', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...QUERY_STATES),
        fc.record({ committee: fc.boolean(), asker: fc.boolean(), township: fc.boolean() }),
        fc.integer({ min: -30 * 86_400_000, max: 30 * 86_400_000 }),
        (state, caller, offset) => {
          const now = new Date(DUE.getTime() + offset);
          const listed = queryActions(caller, facts(state), now);
          expect(listed).toEqual(QUERY_ACTIONS.filter((a) => queryRefusal(a, caller, facts(state), now) === null));
          if (listed.includes('answer')) expect(caller.committee && (state === 'open' || state === 'answered')).toBe(true);
          if (listed.includes('escalate')) expect(caller.asker && (state === 'answered' || (state === 'open' && offset > 0))).toBe(true);
          if (listed.includes('close')) expect(caller.township && state === 'escalated').toBe(true);
          expect(queryActions(nobody, facts(state), now)).toEqual([]);
        },
      ),
    );
  });
});
