import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Searches of one or two characters (果园, 路) cannot use the trigram index (a trigram needs three),
 * so they scanned every proposal in scope. This indexes each proposal's distinct single characters and
 * character pairs (lower-cased, whitespace left out) in a GIN index; the list query asks it with `@>`
 * for such short terms and keeps ILIKE as the exact check (docs/performance.md).
 */
export class ProposalShortSearch1764376000000 implements MigrationInterface {
  name = 'ProposalShortSearch1764376000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION text_short_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT COALESCE(array_agg(DISTINCT g), '{}'::text[])
          FROM (SELECT substr(s, i, n) AS g
                  FROM (SELECT lower(t) AS s) x,
                       LATERAL (VALUES (1), (2)) AS k(n),
                       LATERAL generate_series(1, length(x.s) - n + 1) AS i) grams
         WHERE g !~ '\\s'
      $$`);
    await q.query(`CREATE INDEX proposal_text_grams_idx ON proposal USING gin (text_short_grams(title || ' ' || body))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX proposal_text_grams_idx`);
    await q.query(`DROP FUNCTION text_short_grams(text)`);
  }
}
