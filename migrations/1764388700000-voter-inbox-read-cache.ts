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
    await q.query(
      `
      CREATE FUNCTION read_cache_notify_people() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          PERFORM pg_notify('sangong_reads', string_agg($1 || person_id::text, ','))
             FROM (SELECT person_id, (row_number() OVER () - 1) / 150 AS chunk
                     FROM (SELECT DISTINCT person_id FROM new_rows WHERE person_id IS NOT NULL) d) c
            GROUP BY chunk;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
          PERFORM pg_notify('sangong_reads', string_agg($1 || person_id::text, ','))
             FROM (SELECT person_id, (row_number() OVER () - 1) / 150 AS chunk
                     FROM (SELECT DISTINCT person_id FROM old_rows WHERE person_id IS NOT NULL) d) c
            GROUP BY chunk;
        END IF;
        RETURN NULL;
      END $$`.replaceAll('$1', 'TG_ARGV[0]'),
    );
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
