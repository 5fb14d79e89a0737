import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_STATES = `'draft', 'proposed', 'consulted', 'party_voting', 'pending_review', 'deliberation', 'voting', 'passed', 'rejected', 'no_quorum',
  'announced', 'closed', 'withdrawn'`;
const STATES = `${OLD_STATES}, 'awaiting_approval', 'not_approved'`;
const OLD_KINDS = `'voting_opened', 'closing_soon', 'result_published', 'proposal_returned', 'proposal_approved', 'joint_threshold_reached', 'meeting_notice'`;

/**
 * Approvals after the vote (农村土地承包法 Art. 28 ¶2, 52 ¶1; docs/decisions/015-approvals-after-the-vote.md):
 * - two proposal states: awaiting_approval (resolution published, not yet in effect) and not_approved;
 * - proposal_approval: one decision per approving authority, recorded by township staff;
 * - the database's own copy of which matter needs which approval (matter-rules.ts `approvals`), and
 *   triggers that refuse an implementation notice, or a passed resolution reaching 'announced' or
 *   'closed', while an approval is missing.
 */
export class ApprovalsAfterTheVote1764385000000 implements MigrationInterface {
  name = 'ApprovalsAfterTheVote1764385000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposal DROP CONSTRAINT proposal_status_check`);
    await q.query(`ALTER TABLE proposal ADD CONSTRAINT proposal_status_check CHECK (status IN (${STATES}))`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_kind_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN (${OLD_KINDS}, 'approval_recorded'))`);

    await q.query(`
      CREATE TABLE proposal_approval (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id      uuid NOT NULL REFERENCES proposal (id),
        authority        text NOT NULL CHECK (authority IN ('township_government', 'county_agriculture')),
        decision         text NOT NULL CHECK (decision IN ('approved', 'refused')),
        decided_on       date NOT NULL,
        document_number  text NOT NULL CHECK (length(btrim(document_number)) BETWEEN 1 AND 100),
        note             text CHECK (note IS NULL OR length(note) BETWEEN 1 AND 2000),
        recorded_by      uuid REFERENCES account (id),
        recorded_by_name text NOT NULL,
        recorded_at      timestamptz NOT NULL,
        is_demo          boolean NOT NULL DEFAULT false,
        -- One decision per authority: a refusal ends the matter, an approval is not recorded twice.
        CONSTRAINT proposal_approval_once UNIQUE (proposal_id, authority)
      )`);

    // The same table as matter-rules.ts MATTER_RULES[category].approvals (test/e2e/deliberation-approvals keeps them in step).
    await q.query(`
      CREATE FUNCTION proposal_required_approvals(category text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE category
                 WHEN 'land_adjustment' THEN ARRAY['township_government', 'county_agriculture']
                 WHEN 'land_outsider_contracting' THEN ARRAY['township_government']
                 ELSE ARRAY[]::text[]
               END
      $$`);
    // The approvals a proposal's passed resolution still lacks (empty when its decision vote did not pass).
    await q.query(`
      CREATE FUNCTION proposal_missing_approvals(pid uuid) RETURNS text[] LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(r.authority ORDER BY r.authority), ARRAY[]::text[])
          FROM proposal p, unnest(proposal_required_approvals(p.category)) AS r(authority)
         WHERE p.id = pid
           AND EXISTS (SELECT 1 FROM vote v WHERE v.proposal_id = p.id AND v.purpose = 'decision' AND v.outcome = 'passed')
           AND NOT EXISTS (SELECT 1 FROM proposal_approval a WHERE a.proposal_id = p.id AND a.authority = r.authority AND a.decision = 'approved')
      $$`);
    await q.query(`
      CREATE FUNCTION notice_implementation_needs_approvals() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE missing text[] := proposal_missing_approvals(NEW.proposal_id);
      BEGIN
        IF cardinality(missing) > 0 THEN
          RAISE EXCEPTION '决议尚未获得批准（%），不得公开实施结果（农村土地承包法第二十八条、第五十二条）', array_to_string(missing, ', ')
            USING ERRCODE = 'check_violation', CONSTRAINT = 'notice_implementation_approved';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER notice_implementation_approved BEFORE INSERT ON notice
        FOR EACH ROW WHEN (NEW.kind = 'implementation') EXECUTE FUNCTION notice_implementation_needs_approvals()`);
    await q.query(`
      CREATE FUNCTION proposal_effect_needs_approvals() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE missing text[] := proposal_missing_approvals(NEW.id);
      BEGIN
        IF cardinality(missing) > 0 THEN
          RAISE EXCEPTION '决议尚未获得批准（%），不得进入"%"状态（农村土地承包法第二十八条、第五十二条）', array_to_string(missing, ', '), NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'proposal_effect_approved';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER proposal_effect_approved BEFORE UPDATE OF status ON proposal
        FOR EACH ROW WHEN (NEW.status IN ('announced', 'closed') AND NEW.status IS DISTINCT FROM OLD.status)
        EXECUTE FUNCTION proposal_effect_needs_approvals()`);
    // Only an authority the matter names, and only while the resolution awaits its approvals.
    await q.query(`
      CREATE FUNCTION proposal_approval_fits() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE p proposal%ROWTYPE;
      BEGIN
        SELECT * INTO p FROM proposal WHERE id = NEW.proposal_id;
        IF NOT NEW.authority = ANY (proposal_required_approvals(p.category)) OR p.status <> 'awaiting_approval' THEN
          RAISE EXCEPTION '本议题当前不需要或不能登记%的批准', NEW.authority
            USING ERRCODE = 'check_violation', CONSTRAINT = 'proposal_approval_fits';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER proposal_approval_fits BEFORE INSERT ON proposal_approval FOR EACH ROW EXECUTE FUNCTION proposal_approval_fits()`,
    );
    // A recorded decision is evidence: it is never edited or deleted (a wrong entry is for the authority to correct on paper).
    await q.query(`
      CREATE FUNCTION proposal_approval_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'proposal_approval is append-only' USING ERRCODE = '42501';
      END $$`);
    await q.query(
      `CREATE TRIGGER proposal_approval_append_only BEFORE UPDATE OR DELETE ON proposal_approval FOR EACH ROW EXECUTE FUNCTION proposal_approval_append_only()`,
    );

    // Resolutions already published as in effect that need approvals and have no implementation report yet
    // now wait for them; those already reported are left as history (the trigger refuses further reports).
    await q.query(`
      WITH moved AS (
        UPDATE proposal p SET status = 'awaiting_approval', updated_at = now()
         WHERE p.status = 'announced' AND cardinality(proposal_required_approvals(p.category)) > 0
           AND EXISTS (SELECT 1 FROM vote v WHERE v.proposal_id = p.id AND v.purpose = 'decision' AND v.outcome = 'passed')
           AND NOT EXISTS (SELECT 1 FROM notice n WHERE n.proposal_id = p.id AND n.kind = 'implementation')
        RETURNING p.id)
      INSERT INTO proposal_event (proposal_id, action, from_status, to_status, at, actor_name, details)
      SELECT id, 'publish_resolution', 'announced', 'awaiting_approval', now(), '系统（数据迁移）', '{"migration": "1764385000000"}'::jsonb FROM moved`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER proposal_effect_approved ON proposal`);
    await q.query(`DROP TRIGGER notice_implementation_approved ON notice`);
    await q.query(`DROP TABLE proposal_approval`);
    await q.query(`DROP FUNCTION proposal_approval_append_only()`);
    await q.query(`DROP FUNCTION proposal_approval_fits()`);
    await q.query(`DROP FUNCTION proposal_effect_needs_approvals()`);
    await q.query(`DROP FUNCTION notice_implementation_needs_approvals()`);
    await q.query(`DROP FUNCTION proposal_missing_approvals(uuid)`);
    await q.query(`DROP FUNCTION proposal_required_approvals(text)`);
    // The old states cannot say "not yet in effect": such resolutions become announced, refused ones closed.
    await q.query(`UPDATE proposal SET status = 'announced' WHERE status = 'awaiting_approval'`);
    await q.query(`UPDATE proposal SET status = 'closed' WHERE status = 'not_approved'`);
    await q.query(`ALTER TABLE proposal DROP CONSTRAINT proposal_status_check`);
    await q.query(`ALTER TABLE proposal ADD CONSTRAINT proposal_status_check CHECK (status IN (${OLD_STATES}))`);
    await q.query(`DELETE FROM notification WHERE kind = 'approval_recorded'`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_kind_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN (${OLD_KINDS}))`);
  }
}
