import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type { Actor, DB } from '#platform';
import { visibleSql } from './proposal-access.js';
import { proposalListWhere } from './proposals.repository.js';

/** Compiles without a database: the statement's text and parameters are what is checked. */
const db = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** A resident of two villages who reads proposals in both, and a committee member of one of them. */
const actor: Actor = {
  accountId: 'a',
  personId: '00000000-0000-0000-0000-000000000001',
  realName: '张三',
  homeDivisionCode: '140428101200',
  grants: [
    { role: 'resident', divisionCode: '140428101200' },
    { role: 'resident', divisionCode: '140428102200' },
    { role: 'village_committee', divisionCode: '140428101200' },
  ],
  roles: ['resident', 'village_committee'],
  divisionCode: '140428101200',
  requestId: 'r',
  ip: '127.0.0.1',
  scopesFor: () => ['140428101200', '140428102200'],
  can: () => true,
  rolesAt: () => [],
};

const compiled = (f: Parameters<typeof proposalListWhere>[0]) => proposalListWhere(f).compile(db);
const count = (s: string, term: string) => s.split(term).length - 1;

describe('the proposal list statement (its shape is its performance)', () => {
  it('filters visibility with one LIKE prefix term per scope, never LIKE ANY', () => {
    const q = compiled({ visible: visibleSql(actor) });
    // read: two scopes; staff: one; party: none (FALSE).
    expect(count(q.sql, ' LIKE $')).toBe(3);
    expect(q.sql).not.toMatch(/LIKE ANY/i);
    expect(q.sql).toContain('"p"."village_code" LIKE $1');
    expect(q.parameters.slice(0, 3)).toEqual(['140428101200%', '140428102200%', expect.any(Array)]);
    expect(q.sql).toContain("p.status = 'party_voting' AND FALSE");
  });

  it('searches with one ILIKE whose pattern escapes % and _; one or two characters also use the gram index', () => {
    const long = compiled({ visible: visibleSql(actor), q: ' 50%_off ' });
    expect(count(long.sql, 'ILIKE')).toBe(1);
    expect(long.sql).not.toContain('text_short_grams');
    expect(long.parameters).toContain('%50\\%\\_off%');
    const short = compiled({ visible: visibleSql(actor), q: '果园' });
    expect(count(short.sql, 'ILIKE')).toBe(1);
    expect(short.sql).toContain("text_short_grams(p.title || ' ' || p.body) @> ARRAY[lower(");
    expect(short.parameters).toEqual(expect.arrayContaining(['果园', '%果园%']));
  });

  it('the review queue adds one LIKE per review scope; the division filter one prefix', () => {
    const q = compiled({ visible: visibleSql(actor), reviewScopes: ['140428101', '140428'], divisionCode: '140428101' });
    // 3 visibility terms, the division prefix, and the review scopes normalised to the wider one.
    expect(count(q.sql, ' LIKE $')).toBe(5);
    expect(q.parameters).toEqual(expect.arrayContaining(['140428101%', '140428%']));
    expect(q.sql).toContain("p.status = 'pending_review'");
  });
});
