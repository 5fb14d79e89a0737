import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tells every app process what its read cache must drop (docs/decisions/062-read-cache.md):
 * `NOTIFY sangong_reads` at commit with the village a proposal's facts belong to (the proposal, its
 * events, attachments, meeting notice, approvals, votes and notices; a grant, which counts a body's
 * members), `person:<id>` for a register entry, or `*` when a division changes.
 * PostgreSQL sends one notification per distinct payload per transaction, so a bulk change of one
 * village costs one message.
 */
export class ReadCacheNotify1764388000000 implements MigrationInterface {
  name = 'ReadCacheNotify1764388000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION read_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        CASE TG_ARGV[0]
          WHEN 'village' THEN
            IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('sangong_reads', OLD.village_code); END IF;
            IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('sangong_reads', NEW.village_code); END IF;
          WHEN 'proposal' THEN
            IF TG_OP <> 'INSERT' THEN
              PERFORM pg_notify('sangong_reads', village_code) FROM proposal WHERE id = OLD.proposal_id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
              PERFORM pg_notify('sangong_reads', village_code) FROM proposal WHERE id = NEW.proposal_id;
            END IF;
          WHEN 'division' THEN
            IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('sangong_reads', OLD.division_code); END IF;
            IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('sangong_reads', NEW.division_code); END IF;
          WHEN 'person' THEN
            PERFORM pg_notify('sangong_reads', 'person:' || OLD.id::text);
          ELSE
            PERFORM pg_notify('sangong_reads', '*');
        END CASE;
        RETURN NULL;
      END $$`);
    for (const table of ['proposal', 'notice']) {
      await q.query(
        `CREATE TRIGGER ${table}_read_cache AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION read_cache_notify('village')`,
      );
    }
    for (const table of PROPOSAL_PARTS) {
      await q.query(
        `CREATE TRIGGER ${table}_read_cache AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION read_cache_notify('proposal')`,
      );
    }
    await q.query(
      `CREATE TRIGGER role_grant_read_cache AFTER INSERT OR UPDATE OR DELETE ON role_grant FOR EACH ROW EXECUTE FUNCTION read_cache_notify('division')`,
    );
    await q.query(
      `CREATE TRIGGER person_read_cache AFTER UPDATE OR DELETE ON person FOR EACH ROW EXECUTE FUNCTION read_cache_notify('person')`,
    );
    await q.query(
      `CREATE TRIGGER division_read_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON division FOR EACH STATEMENT EXECUTE FUNCTION read_cache_notify('all')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER division_read_cache ON division`);
    await q.query(`DROP TRIGGER person_read_cache ON person`);
    await q.query(`DROP TRIGGER role_grant_read_cache ON role_grant`);
    for (const table of [...PROPOSAL_PARTS, 'notice', 'proposal']) await q.query(`DROP TRIGGER ${table}_read_cache ON ${table}`);
    await q.query(`DROP FUNCTION read_cache_notify()`);
  }
}

/** The tables of a proposal's detail that carry its id (ProposalsService.detail). */
const PROPOSAL_PARTS = ['proposal_event', 'proposal_attachment', 'proposal_notice', 'proposal_approval', 'vote'];
