import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Append-only audit log. Writers insert unsealed rows (seq, prev_hash, hash NULL) inside their own
 * transaction; the sealer gives them an order and a hash chain. Triggers refuse any change to a
 * sealed row, any DELETE and any TRUNCATE; on an unsealed row only the sealing columns may be set.
 */
export class AuditLog1764370000003 implements MigrationInterface {
  name = 'AuditLog1764370000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        account_id      uuid,
        actor_roles     text,
        actor_division  varchar(12),
        action          text NOT NULL CHECK (length(action) BETWEEN 1 AND 80),
        target_type     text,
        target_id       text,
        target_division varchar(12),
        result          text NOT NULL CHECK (result IN ('success', 'denied', 'failure')),
        request_id      text,
        client_ip       text,
        details         jsonb,
        seq             bigint,
        prev_hash       bytea,
        hash            bytea,
        CONSTRAINT audit_log_seq_uq UNIQUE (seq),
        CONSTRAINT audit_log_prev_uq UNIQUE (prev_hash),
        CONSTRAINT audit_log_sealed_whole CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL))
      )`);
    await q.query(`CREATE INDEX audit_log_unsealed_idx ON audit_log (id) WHERE seq IS NULL`);
    await q.query(`CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at DESC)`);
    await q.query(`CREATE INDEX audit_log_target_div_idx ON audit_log (target_division varchar_pattern_ops, occurred_at DESC)`);
    await q.query(`CREATE INDEX audit_log_account_idx ON audit_log (account_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id)`);
    await q.query(`
      CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'audit_log is append-only: DELETE of row % refused', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.seq IS NOT NULL THEN
          RAISE EXCEPTION 'audit_log is append-only: row % is sealed', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (NEW.id, NEW.occurred_at, NEW.account_id, NEW.actor_roles, NEW.actor_division, NEW.action, NEW.target_type,
            NEW.target_id, NEW.target_division, NEW.result, NEW.request_id, NEW.client_ip, NEW.details)
           IS DISTINCT FROM
           (OLD.id, OLD.occurred_at, OLD.account_id, OLD.actor_roles, OLD.actor_division, OLD.action, OLD.target_type,
            OLD.target_id, OLD.target_division, OLD.result, OLD.request_id, OLD.client_ip, OLD.details) THEN
          RAISE EXCEPTION 'audit_log: only sealing may change row %', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE FUNCTION audit_log_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_guard()`);
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_truncate()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_refuse_truncate()`);
    await q.query(`DROP FUNCTION audit_log_guard()`);
  }
}
