import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_CATEGORIES = `'work_subsidy', 'collective_income', 'public_welfare', 'land_contracting', 'collective_project', 'homestead',
  'land_compensation', 'collective_property', 'charter', 'membership', 'share_quantification', 'merger_split', 'other'`;

const CATEGORIES = `'work_subsidy', 'collective_income', 'public_welfare', 'land_contracting', 'land_adjustment', 'land_outsider_contracting',
  'construction_land', 'collective_project', 'homestead', 'land_compensation', 'collective_property', 'charter', 'internal_rules',
  'membership', 'board_election', 'budget_distribution', 'share_quantification', 'investment', 'merger_split', 'other'`;

/**
 * The bodies that may decide each matter: the table of libs/deliberation/src/matter-rules.ts, frozen
 * here as SQL (test/e2e/matter-rules.e2e-spec.ts checks every pair against the code).
 */
const MATTER_FITS_BODY = `CASE
  -- 村民委员会组织法 Art. 24: village affairs, for the 村民会议 or (by its authorisation) the 村民代表会议
  WHEN category IN ('work_subsidy', 'public_welfare')
    THEN deciding_body IN ('villagers_meeting', 'representatives_meeting')
  -- Art. 24 matters that the collective organization's bodies may also decide (农村集体经济组织法 Art. 26)
  WHEN category IN ('collective_income', 'collective_project', 'collective_property', 'other')
    THEN true
  -- 农村土地承包法 Art. 19, 28, 52 and 土地管理法 Art. 63: the 村民会议, the village representatives, or the 成员大会
  WHEN category IN ('land_contracting', 'land_adjustment', 'land_outsider_contracting', 'construction_land')
    THEN deciding_body IN ('villagers_meeting', 'representatives_meeting', 'members_assembly')
  -- 农村集体经济组织法 Art. 26 items the 成员代表大会 may not decide (Art. 28)
  WHEN category IN ('homestead', 'land_compensation', 'charter', 'membership', 'share_quantification', 'merger_split')
    THEN deciding_body = 'members_assembly'
  -- the other Art. 26 items
  WHEN category IN ('internal_rules', 'board_election', 'budget_distribution', 'investment')
    THEN deciding_body IN ('members_assembly', 'members_representatives_assembly')
  ELSE false
END`;

/**
 * Matter rules (issue 11, stage 1): seven new categories; the (category, deciding body) pairs the law
 * allows replace the old 成员代表大会-only CHECK; a vote stores the matter's threshold it applied and,
 * at a 村民代表会议, the village representatives and their yes votes.
 *
 * Proposals filed before these rules whose body may not decide their matter are kept as they are and
 * marked `predates_matter_rules`; the service refuses to approve them or open their vote, and a vote on
 * one never passes, until the committee re-files them with a fitting body.
 */
export class MatterRules1764381000000 implements MigrationInterface {
  name = 'MatterRules1764381000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposal DROP CONSTRAINT proposal_mra_reserved`);
    await q.query(`ALTER TABLE proposal DROP CONSTRAINT proposal_category_check`);
    await q.query(`ALTER TABLE proposal ADD CONSTRAINT proposal_category_check CHECK (category IN (${CATEGORIES}))`);
    await q.query(`ALTER TABLE proposal ADD COLUMN predates_matter_rules boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE proposal SET predates_matter_rules = true WHERE NOT (${MATTER_FITS_BODY})`);
    await q.query(`ALTER TABLE proposal ADD CONSTRAINT proposal_matter_body CHECK (predates_matter_rules OR ${MATTER_FITS_BODY})`);

    await q.query(`
      ALTER TABLE vote
        ADD COLUMN threshold text CHECK (threshold IN ('body_default', 'two_thirds_of_all_members', 'two_thirds_of_all_representatives')),
        ADD COLUMN representatives integer CHECK (representatives >= 0),
        ADD COLUMN representatives_yes integer CHECK (representatives_yes >= 0)`);
    // Votes tallied before: the body's own rule was all that was applied, and a 村民代表会议's electorate
    // was its representatives alone, so all its yes votes were representatives' yes votes.
    await q.query(`UPDATE vote SET threshold = 'body_default' WHERE status = 'closed'`);
    await q.query(
      `UPDATE vote SET representatives = electorate, representatives_yes = yes_count WHERE status = 'closed' AND body = 'representatives_meeting'`,
    );
    await q.query(`
      ALTER TABLE vote
        ADD CONSTRAINT vote_threshold_tallied CHECK ((outcome IS NULL) = (threshold IS NULL)),
        ADD CONSTRAINT vote_threshold_body CHECK (threshold IS NULL OR CASE threshold
          WHEN 'two_thirds_of_all_representatives' THEN body = 'representatives_meeting'
          WHEN 'two_thirds_of_all_members' THEN body IN ('villagers_meeting', 'members_assembly', 'members_representatives_assembly')
          ELSE true END),
        ADD CONSTRAINT vote_representatives_tallied CHECK ((representatives IS NULL) = (representatives_yes IS NULL)
          AND (outcome IS NOT NULL AND body = 'representatives_meeting') = (representatives IS NOT NULL)
          AND (representatives IS NULL OR (representatives <= electorate AND representatives_yes <= representatives AND representatives_yes <= yes_count))),
        ADD CONSTRAINT vote_passed_meets_threshold CHECK (outcome IS DISTINCT FROM 'passed' OR CASE threshold
          WHEN 'two_thirds_of_all_members' THEN 3 * yes_count >= 2 * electorate
          WHEN 'two_thirds_of_all_representatives' THEN representatives > 0 AND 3 * representatives_yes >= 2 * representatives
          ELSE true END)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE vote
        DROP CONSTRAINT vote_passed_meets_threshold,
        DROP CONSTRAINT vote_representatives_tallied,
        DROP CONSTRAINT vote_threshold_body,
        DROP CONSTRAINT vote_threshold_tallied,
        DROP COLUMN representatives_yes,
        DROP COLUMN representatives,
        DROP COLUMN threshold`);
    await q.query(`ALTER TABLE proposal DROP CONSTRAINT proposal_matter_body`);
    await q.query(`ALTER TABLE proposal DROP COLUMN predates_matter_rules`);
    // Fails while proposals use the new categories: they cannot be expressed in the old schema.
    await q.query(`ALTER TABLE proposal DROP CONSTRAINT proposal_category_check`);
    await q.query(`ALTER TABLE proposal ADD CONSTRAINT proposal_category_check CHECK (category IN (${OLD_CATEGORIES}))`);
    await q.query(`ALTER TABLE proposal ADD CONSTRAINT proposal_mra_reserved CHECK (deciding_body <> 'members_representatives_assembly' OR category NOT IN
      ('charter', 'membership', 'land_contracting', 'homestead', 'share_quantification', 'land_compensation', 'merger_split'))`);
  }
}
