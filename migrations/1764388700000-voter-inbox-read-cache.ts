import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A resident's "needs my vote" and inbox are kept in the read cache (decision 066). Their topics are the
 * person's: `voter:<person>` when they join a frozen electorate or take part in a vote, `inbox:<person>`
 * when a notification of theirs is written, read or removed. One statement-level trigger per table and
 * event, with the statement's rows as a transition table: the people it touched go out as comma-joined
 * payloads of at most 150 topics (under NOTIFY's 8,000 bytes), so opening a vote for 10,000 electors is
 * 67 messages and a batch of ballots one, not a message per row.
 */
export class VoterInboxReadCache1764388700000 implements MigrationInterface {
  name = 'VoterInboxReadCache1764388700000';

  async up(q: QueryRunner): Promise<void> {
    // The topics as one array, sent in slices of 150: half the time of grouping them with a window function
    // and DISTINCT (EXPLAIN ANALYZE of 10,000 inbox rows: 5–14 ms against 10–22 ms). A person named twice in
    // one statement is named twice; dropping an entry twice is harmless.
    await q.query(`
      CREATE FUNCTION read_cache_notify_people() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        topics text[] := '{}';
        i int := 1;
      BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          topics := ARRAY(SELECT TG_ARGV[0] || person_id::text FROM new_rows WHERE person_id IS NOT NULL);
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
          topics := topics || ARRAY(SELECT TG_ARGV[0] || person_id::text FROM old_rows WHERE person_id IS NOT NULL);
        END IF;
        WHILE i <= coalesce(array_length(topics, 1), 0) LOOP
          PERFORM pg_notify('sangong_reads', array_to_string(topics[i:i + 149], ','));
          i := i + 150;
        END LOOP;
        RETURN NULL;
      END $$`);
    for (const [table, prefix, events] of PEOPLE_TOPICS) {
      for (const event of events) {
        const referencing = {
          INSERT: 'NEW TABLE AS new_rows',
          DELETE: 'OLD TABLE AS old_rows',
          UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
        }[event];
        await q.query(
          `CREATE TRIGGER ${table}_${event.toLowerCase()}_people_cache AFTER ${event} ON ${table}
             REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION read_cache_notify_people('${prefix}')`,
        );
      }
      // TRUNCATE has no rows to name: everything goes (read_cache_notify_topic of migration 1764388400000).
      await q.query(
        `CREATE TRIGGER ${table}_truncate_people_cache AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION read_cache_notify_topic('*')`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, , events] of PEOPLE_TOPICS) {
      await q.query(`DROP TRIGGER ${table}_truncate_people_cache ON ${table}`);
      for (const event of events) await q.query(`DROP TRIGGER ${table}_${event.toLowerCase()}_people_cache ON ${table}`);
    }
    await q.query(`DROP FUNCTION read_cache_notify_people()`);
  }
}

/**
 * Which rows name whose topic. A ballot's later changes (its MAC, erased at close) and an elector's seat do
 * not change whether a vote awaits the person: only rows coming and going do.
 */
const PEOPLE_TOPICS: readonly (readonly [string, string, readonly ('INSERT' | 'UPDATE' | 'DELETE')[]])[] = [
  ['vote_elector', 'voter:', ['INSERT', 'DELETE']],
  ['ballot_participation', 'voter:', ['INSERT', 'DELETE']],
  ['notification', 'inbox:', ['INSERT', 'UPDATE', 'DELETE']],
];
