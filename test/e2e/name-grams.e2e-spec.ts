import { shortGramsOf } from '#platform';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

// The register's name search narrows by person_name_grams_idx (text_short_grams, computed by PostgreSQL) with
// the grams shortGramsOf computes in the app: every name that contains a term must hold all of its grams, or
// the search would miss people LIKE alone would find.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const NAMES = [
  '王强',
  '欧阳娜娜',
  '裴志强',
  '阿依·买买提',
  '王　强',
  'Anna Li',
  'ANNA li',
  'İlker Öz',
  'Straße',
  'ǅemal',
  '李1号',
  '𠀀𠀁字',
  'e\u0301lise',
];

it('every term cut from a name finds that name through its grams, as LIKE does', async () => {
  const pairs: { n: string; term: string; g: string[] }[] = [];
  for (const n of NAMES) {
    const cs = [...n];
    for (let i = 0; i < cs.length; i++)
      for (let j = i + 1; j <= cs.length; j++) {
        const term = cs.slice(i, j).join('');
        pairs.push({ n, term, g: shortGramsOf(term) });
        // Other casings of the term: LIKE is exact about case, the grams must never be stricter.
        for (const other of [term.toUpperCase(), term.toLowerCase()])
          if (n.includes(other)) pairs.push({ n, term: other, g: shortGramsOf(other) });
      }
  }
  const missed = await queryRows<{ n: string; term: string }>(
    t.db,
    `SELECT x.n, x.term FROM jsonb_to_recordset($1::jsonb) AS x(n text, term text, g text[])
      WHERE x.n LIKE '%' || x.term || '%' AND NOT text_short_grams(x.n) @> x.g`,
    [JSON.stringify(pairs)],
  );
  expect(pairs.length).toBeGreaterThan(200);
  expect(missed).toEqual([]);
});

it('narrows: a two-character term asks for its pair, a name without it is not a candidate', async () => {
  expect(shortGramsOf('裴强')).toEqual(['裴强']);
  expect(shortGramsOf('王')).toEqual(['王']);
  expect(shortGramsOf('欧阳娜')).toEqual(['欧阳', '阳娜']);
  const [r] = await queryRows<{ hit: boolean; miss: boolean }>(
    t.db,
    `SELECT text_short_grams('裴志强') @> $1::text[] AS hit, text_short_grams('裴强') @> $2::text[] AS miss`,
    [shortGramsOf('志强'), shortGramsOf('志强')],
  );
  expect(r).toEqual({ hit: true, miss: false });
});
