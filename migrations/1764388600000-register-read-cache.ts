import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The register's lists are kept in the read cache (decision 063): every change to what a list shows
 * sends `NOTIFY sangong_reads` with `register:<village>`, which drops the lists of that village, its
 * township, county and city. What a list shows: the person's row (added, changed, removed, or moved to
 * another village: both villages), their account's status, and their roles at their village.
 * One notification per distinct payload per transaction: an import of a village is one message.
 */
export class RegisterReadCache1764388600000 implements MigrationInterface {
  name = 'RegisterReadCache1764388600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION read_cache_notify_register() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        CASE TG_TABLE_NAME
          WHEN 'person' THEN
            IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('sangong_reads', 'register:' || OLD.home_division_code); END IF;
            IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('sangong_reads', 'register:' || NEW.home_division_code); END IF;
          WHEN 'account' THEN
            IF TG_OP <> 'INSERT' THEN
              PERFORM pg_notify('sangong_reads', 'register:' || home_division_code) FROM person WHERE id = OLD.person_id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
              PERFORM pg_notify('sangong_reads', 'register:' || home_division_code) FROM person WHERE id = NEW.person_id;
            END IF;
          ELSE
            IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('sangong_reads', 'register:' || OLD.division_code); END IF;
            IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('sangong_reads', 'register:' || NEW.division_code); END IF;
        END CASE;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER person_register_cache AFTER INSERT OR UPDATE OR DELETE ON person FOR EACH ROW EXECUTE FUNCTION read_cache_notify_register()`,
    );
    // Logins and password changes update the account too: only a change of its status shows in a list.
    await q.query(
      `CREATE TRIGGER account_register_cache AFTER INSERT OR DELETE OR UPDATE OF status, person_id ON account FOR EACH ROW EXECUTE FUNCTION read_cache_notify_register()`,
    );
    await q.query(
      `CREATE TRIGGER role_grant_register_cache AFTER INSERT OR UPDATE OR DELETE ON role_grant FOR EACH ROW EXECUTE FUNCTION read_cache_notify_register()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['role_grant', 'account', 'person']) await q.query(`DROP TRIGGER ${t}_register_cache ON ${t}`);
    await q.query(`DROP FUNCTION read_cache_notify_register()`);
  }
}
