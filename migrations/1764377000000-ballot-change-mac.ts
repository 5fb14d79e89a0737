import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A secret ballot could be changed by anyone holding its receipt code. The participation row of a
 * secret vote that allows changes now holds change_mac = HMAC-SHA256(K, proposal ‖ voter ‖ receipt),
 * with K derived from PII_HASH_KEY outside the database; a change is applied only when the caller's
 * own row holds the MAC of the receipt given. The column is erased when the vote closes
 * (VotingService.afterClose). docs/secret-ballot.md.
 *
 * Ballots cast before this migration in a vote still open have no MAC and can no longer be changed:
 * nothing the server holds says which receipt is whose, which is the point.
 */
export class BallotChangeMac1764377000000 implements MigrationInterface {
  name = 'BallotChangeMac1764377000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ballot_participation
        ADD COLUMN change_mac bytea,
        ADD CONSTRAINT ballot_participation_change_mac_len CHECK (octet_length(change_mac) = 32)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ballot_participation DROP CONSTRAINT ballot_participation_change_mac_len, DROP COLUMN change_mac`);
  }
}
