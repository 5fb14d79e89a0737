import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The city's roll-ups of the economy, mediation and openness are kept in the read cache like the
 * resident's pages (decision 063). Any change to a table a roll-up reads sends `NOTIFY sangong_reads`
 * with the roll-up's topic (`rollup:economy`, `rollup:mediation`, `rollup:openness`), once per
 * statement; PostgreSQL sends one notification per distinct payload per transaction, so a bulk import
 * is one message. The proposal statistics need nothing new: proposals and votes already notify their
 * village (migration 1764388000000).
 */
export class RollupReadCache1764388400000 implements MigrationInterface {
  name = 'RollupReadCache1764388400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION read_cache_notify_topic() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sangong_reads', TG_ARGV[0]);
        RETURN NULL;
      END $$`);
    for (const [topic, tables] of Object.entries(ROLLUP_TABLES)) {
      for (const table of tables) {
        await q.query(
          `CREATE TRIGGER ${table}_rollup_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
             FOR EACH STATEMENT EXECUTE FUNCTION read_cache_notify_topic('rollup:${topic}')`,
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const tables of Object.values(ROLLUP_TABLES))
      for (const table of tables) await q.query(`DROP TRIGGER ${table}_rollup_cache ON ${table}`);
    await q.query(`DROP FUNCTION read_cache_notify_topic()`);
  }
}

/** Every table each roll-up's statements read (libs/economy stats, libs/mediation stats, libs/openness oversight). */
const ROLLUP_TABLES = {
  economy: ['collective_org', 'org_year_figures', 'platform_company', 'company_year_figures', 'company_dividend', 'economy_setting'],
  mediation: ['mediation_stats_cell'],
  openness: ['disclosure', 'disclosure_query', 'openness_village_setting'],
};
