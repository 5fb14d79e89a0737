import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tells every app process when a signed-in state changes, so its session cache can drop the entry:
 * `NOTIFY sangong_auth` at commit with `s:<session>`, `a:<account>` or `p:<person>`
 * (docs/decisions/005-session-cache.md). Only changes the guard reads fire: a session's revocation or
 * expiry, an account's status, a grant, a person's name or home division.
 */
export class SessionCacheNotify1764374000000 implements MigrationInterface {
  name = 'SessionCacheNotify1764374000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION auth_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        r record;
      BEGIN
        IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
        CASE TG_TABLE_NAME
          WHEN 'auth_session' THEN PERFORM pg_notify('sangong_auth', 's:' || r.id::text);
          WHEN 'account' THEN PERFORM pg_notify('sangong_auth', 'a:' || r.id::text);
          WHEN 'person' THEN PERFORM pg_notify('sangong_auth', 'p:' || r.id::text);
          WHEN 'role_grant' THEN
            PERFORM pg_notify('sangong_auth', 'p:' || r.person_id::text);
            IF TG_OP = 'UPDATE' THEN
              IF OLD.person_id IS DISTINCT FROM NEW.person_id THEN
                PERFORM pg_notify('sangong_auth', 'p:' || OLD.person_id::text);
              END IF;
            END IF;
        END CASE;
        RETURN NULL;
      END $$`);
    // A WHEN clause may not read NEW in a DELETE trigger: one trigger for the update, one for the delete.
    const watched: [string, string][] = [
      [
        'auth_session',
        'OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at OR OLD.account_id IS DISTINCT FROM NEW.account_id',
      ],
      ['account', 'OLD.status IS DISTINCT FROM NEW.status OR OLD.person_id IS DISTINCT FROM NEW.person_id'],
      ['person', 'OLD.real_name IS DISTINCT FROM NEW.real_name OR OLD.home_division_code IS DISTINCT FROM NEW.home_division_code'],
    ];
    for (const [table, changed] of watched) {
      await q.query(
        `CREATE TRIGGER ${table}_cache_notify_update AFTER UPDATE ON ${table} FOR EACH ROW WHEN (${changed}) EXECUTE FUNCTION auth_cache_notify()`,
      );
      await q.query(
        `CREATE TRIGGER ${table}_cache_notify_delete AFTER DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION auth_cache_notify()`,
      );
    }
    await q.query(
      `CREATE TRIGGER role_grant_cache_notify AFTER INSERT OR UPDATE OR DELETE ON role_grant FOR EACH ROW EXECUTE FUNCTION auth_cache_notify()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER role_grant_cache_notify ON role_grant`);
    for (const table of ['person', 'account', 'auth_session']) {
      await q.query(`DROP TRIGGER ${table}_cache_notify_delete ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_cache_notify_update ON ${table}`);
    }
    await q.query(`DROP FUNCTION auth_cache_notify()`);
  }
}
