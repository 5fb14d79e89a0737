import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sealer's work inside PostgreSQL: `audit_seal(batch)` gives committed unsealed rows, in id order,
 * the next `seq`, `prev_hash` and `hash = sha256(prev_hash ‖ canonical row)`, exactly as
 * libs/audit/src/audit-chain.ts computes them (the verifier recomputes them there). The canonical row
 * is the JSON array [seq, id, occurred_at, account_id, actor_roles, actor_division, action,
 * target_type, target_id, target_division, result, request_id, client_ip, details] of texts or nulls,
 * written without spaces as JSON.stringify writes it; to_json(text) escapes a string as JSON.stringify
 * does (", \\, \\b \\f \\n \\r \\t, other control characters as \\u00xx, everything else as is).
 * Hashing in the database keeps the rows out of the web process (docs/performance.md).
 */
export class AuditSealFunction1764375000000 implements MigrationInterface {
  name = 'AuditSealFunction1764375000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_canonical(s bigint, a audit_log) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT '[' || array_to_string(ARRAY(
                 SELECT COALESCE(to_json(v)::text, 'null')
                   FROM unnest(ARRAY[s::text, a.id::text,
                                     to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                     a.account_id::text, a.actor_roles, a.actor_division::text, a.action, a.target_type,
                                     a.target_id, a.target_division::text, a.result, a.request_id, a.client_ip,
                                     a.details::text]) WITH ORDINALITY AS x(v, i)
                  ORDER BY i), ',') || ']'
      $$`);
    await q.query(`
      CREATE FUNCTION audit_seal(batch integer) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        prev bytea;
        s bigint;
        r audit_log;
        ids bigint[] := '{}';
        seqs bigint[] := '{}';
        prevs bytea[] := '{}';
        hashes bytea[] := '{}';
      BEGIN
        SELECT a.seq, a.hash INTO s, prev FROM audit_log a WHERE a.seq IS NOT NULL ORDER BY a.seq DESC LIMIT 1;
        IF s IS NULL THEN
          s := 0;
          prev := decode(repeat('00', 32), 'hex');
        END IF;
        FOR r IN SELECT * FROM audit_log a WHERE a.seq IS NULL ORDER BY a.id LIMIT batch FOR UPDATE LOOP
          s := s + 1;
          ids := ids || r.id;
          seqs := seqs || s;
          prevs := prevs || prev;
          prev := sha256(prev || convert_to(audit_canonical(s, r), 'UTF8'));
          hashes := hashes || prev;
        END LOOP;
        -- One set-based UPDATE for the batch (a statement per row costs several times more).
        UPDATE audit_log a SET seq = v.seq, prev_hash = v.prev, hash = v.hash
          FROM unnest(ids, seqs, prevs, hashes) AS v(id, seq, prev, hash)
         WHERE a.id = v.id;
        RETURN cardinality(ids);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_seal(integer)`);
    await q.query(`DROP FUNCTION audit_canonical(bigint, audit_log)`);
  }
}
