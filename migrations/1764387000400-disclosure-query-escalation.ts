import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Villagers' queries (质询, 1764387000000-openness), two corrections found while building them:
 * - An open query the committee left unanswered past its deadline may be taken to the township (村民委员会组织法
 *   Art. 31), so an escalated (and then closed) query may have no answer: the answer CHECK said
 *   `(state = 'open') = (answer IS NULL)`, which refused that. Now: open has no answer, answered has one,
 *   escalated and closed may have either.
 * - Only the township closes a query, and only an escalated one, with its reply: closed ⇔ township_reply and
 *   closed_by are set, and a closed query was escalated.
 * And an index for a resident's own queries (the list shows the asker theirs).
 */
export class DisclosureQueryEscalation1764387000400 implements MigrationInterface {
  name = 'DisclosureQueryEscalation1764387000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE disclosure_query DROP CONSTRAINT disclosure_query_answer`);
    await q.query(`
      ALTER TABLE disclosure_query ADD CONSTRAINT disclosure_query_answer CHECK (
        (answer IS NULL) = (answered_at IS NULL) AND (answer IS NULL) = (answered_by IS NULL)
        AND (state <> 'open' OR answer IS NULL) AND (state <> 'answered' OR answer IS NOT NULL))`);
    await q.query(`
      ALTER TABLE disclosure_query ADD CONSTRAINT disclosure_query_township_close CHECK (
        (state = 'closed') = (township_reply IS NOT NULL) AND (state = 'closed') = (closed_by IS NOT NULL)
        AND (state <> 'closed' OR escalated_at IS NOT NULL))`);
    await q.query(`CREATE INDEX disclosure_query_asker_idx ON disclosure_query (asker_person_id, asked_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX disclosure_query_asker_idx`);
    await q.query(`ALTER TABLE disclosure_query DROP CONSTRAINT disclosure_query_township_close`);
    await q.query(`ALTER TABLE disclosure_query DROP CONSTRAINT disclosure_query_answer`);
    // Fails, as it should, while a query escalated unanswered exists: the old rule cannot hold it.
    await q.query(`
      ALTER TABLE disclosure_query ADD CONSTRAINT disclosure_query_answer CHECK (
        (answer IS NULL) = (answered_at IS NULL) AND (answer IS NULL) = (answered_by IS NULL)
        AND (state = 'open') = (answer IS NULL))`);
  }
}
