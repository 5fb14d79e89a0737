import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table with an is_demo column. A new one is added here (and to demo_rows_exist) by its own migration. */
const DEMO_TABLES = ['person', 'proposal', 'notice', 'collective_org', 'platform_company', 'mediation_case'] as const;

/**
 * A database that has once run in production is marked, for good: the app writes the mark when it
 * starts with NODE_ENV=production (libs/platform/src/database/production-marker.ts). Demo data,
 * whose logins share a password published in the README, can then never be written into it: the
 * seeds refuse up front, and these triggers refuse any row with is_demo = true whatever writes it.
 * The mark itself cannot be updated, deleted or truncated.
 */
export class ProductionMarker1764380100000 implements MigrationInterface {
  name = 'ProductionMarker1764380100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deployment_marker (
        name      text PRIMARY KEY CHECK (name IN ('production')),
        marked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION deployment_marker_is_permanent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'deployment_marker: a database that has run in production stays marked';
      END $$`);
    await q.query(`
      CREATE TRIGGER deployment_marker_permanent BEFORE UPDATE OR DELETE ON deployment_marker
        FOR EACH ROW EXECUTE FUNCTION deployment_marker_is_permanent()`);
    await q.query(`
      CREATE TRIGGER deployment_marker_no_truncate BEFORE TRUNCATE ON deployment_marker
        FOR EACH STATEMENT EXECUTE FUNCTION deployment_marker_is_permanent()`);

    await q.query(`
      CREATE FUNCTION refuse_demo_row_in_production() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM deployment_marker WHERE name = 'production') THEN
          RAISE EXCEPTION '该数据库曾以生产环境运行，拒绝写入演示数据（表 %）', TG_TABLE_NAME
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    for (const t of DEMO_TABLES) {
      await q.query(`
        CREATE TRIGGER ${t}_no_demo_in_production BEFORE INSERT OR UPDATE OF is_demo ON ${t}
          FOR EACH ROW WHEN (NEW.is_demo) EXECUTE FUNCTION refuse_demo_row_in_production()`);
    }
    await q.query(`
      CREATE FUNCTION demo_rows_exist() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT ${DEMO_TABLES.map((t) => `EXISTS (SELECT 1 FROM ${t} WHERE is_demo)`).join(' OR ')}
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION demo_rows_exist()`);
    for (const t of DEMO_TABLES) await q.query(`DROP TRIGGER ${t}_no_demo_in_production ON ${t}`);
    await q.query(`DROP FUNCTION refuse_demo_row_in_production()`);
    await q.query(`DROP TABLE deployment_marker`);
    await q.query(`DROP FUNCTION deployment_marker_is_permanent()`);
  }
}
