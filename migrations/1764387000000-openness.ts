import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = `'decisions', 'relief', 'government_work', 'other', 'finance', 'annual_reports'`;
const CATEGORIES = `'operating_income', 'contracting_income', 'investment_income', 'subsidy_income', 'other_income',
  'operating_expense', 'admin_expense', 'welfare_expense', 'other_expense'`;

const OLD_DEMO_TABLES = ['person', 'proposal', 'notice', 'collective_org', 'platform_company', 'mediation_case'];
const demoRowsExist = (tables: readonly string[]) => `
  CREATE OR REPLACE FUNCTION demo_rows_exist() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT ${tables.map((t) => `EXISTS (SELECT 1 FROM ${t} WHERE is_demo)`).join(' OR ')}
  $$`;

/**
 * 村务共管 (issue 15; docs/decisions/050-village-affairs-openness.md): 村务公开 and 财务公开 (村民委员会组织法
 * Art. 30–32; 农村集体经济组织法 Art. 45–46).
 * - disclosure: one 公开事项 of a village (or its collective economic organization), its period, its state in
 *   the workflow (draft → submitted → returned | signed_off → published) and, for finance, the balances:
 *   income and expenditure are the sums of its entries; a disclosure past draft must balance
 *   (closing = opening + income − expenditure), which the database itself refuses otherwise.
 *   `series` is the schedule it counts for (general matters quarterly; finance monthly or quarterly).
 * - finance_entry: the period's income and expenditure lines (integer fen, the village accounting chart).
 * - disclosure_attachment: photos of vouchers and of the posted board, and the reports.
 * - disclosure_query (质询): a resident's question, the committee's answer within a deadline, escalation.
 * - openness_village_setting: whether a village publishes finance monthly (many transactions; set by the township).
 * - township_order: the township's order to publish (Art. 31) and its follow-up.
 */
export class Openness1764387000000 implements MigrationInterface {
  name = 'Openness1764387000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE disclosure (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        village_code        varchar(12) NOT NULL REFERENCES division (code),
        subject             text NOT NULL CHECK (subject IN ('village', 'collective')),
        kind                text NOT NULL CHECK (kind IN (${KINDS})),
        series              text CHECK (series IN ('general', 'finance', 'collective_finance')),
        title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        body                text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
        period_kind         text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year', 'once')),
        period_start        date NOT NULL,
        period_end          date NOT NULL,
        state               text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'returned', 'signed_off', 'published')),
        opening_balance_fen bigint,
        income_fen          bigint,
        expense_fen         bigint,
        closing_balance_fen bigint,
        proposal_id         uuid REFERENCES proposal (id),
        publicity_days      integer NOT NULL DEFAULT 30 CHECK (publicity_days BETWEEN 1 AND 366),
        created_by          uuid NOT NULL REFERENCES account (id),
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL,
        submitted_at        timestamptz,
        reviewed_by         uuid REFERENCES account (id),
        reviewed_at         timestamptz,
        return_reason       text CHECK (return_reason IS NULL OR length(return_reason) BETWEEN 1 AND 2000),
        published_by        uuid REFERENCES account (id),
        published_at        timestamptz,
        publicity_until     timestamptz,
        is_demo             boolean NOT NULL DEFAULT false,
        CONSTRAINT disclosure_period CHECK (period_end >= period_start),
        CONSTRAINT disclosure_subject_kind CHECK (kind = 'finance' OR (subject = 'collective') = (kind = 'annual_reports')),
        CONSTRAINT disclosure_series CHECK (series IS NOT DISTINCT FROM (CASE
          WHEN kind = 'finance' AND subject = 'village' THEN 'finance'
          WHEN kind = 'finance' THEN 'collective_finance'
          WHEN kind = 'annual_reports' THEN NULL
          ELSE 'general' END)),
        CONSTRAINT disclosure_finance_figures CHECK ((kind = 'finance') = (opening_balance_fen IS NOT NULL)
          AND (kind = 'finance') = (income_fen IS NOT NULL) AND (kind = 'finance') = (expense_fen IS NOT NULL)
          AND (kind = 'finance' OR closing_balance_fen IS NULL)),
        CONSTRAINT disclosure_balanced CHECK (kind <> 'finance' OR state IN ('draft', 'returned')
          OR closing_balance_fen = opening_balance_fen + income_fen - expense_fen),
        CONSTRAINT disclosure_reviewed CHECK (state NOT IN ('signed_off', 'published') OR (reviewed_at IS NOT NULL AND reviewed_by IS NOT NULL)),
        CONSTRAINT disclosure_returned CHECK ((state = 'returned') = (return_reason IS NOT NULL)),
        CONSTRAINT disclosure_published CHECK ((state = 'published') = (published_at IS NOT NULL)
          AND (published_at IS NULL) = (publicity_until IS NULL) AND (published_at IS NULL) = (published_by IS NULL))
      )`);
    // One finance disclosure per village, series and period; general matters may be several.
    await q.query(
      `CREATE UNIQUE INDEX disclosure_finance_period_uq ON disclosure (village_code, series, period_start) WHERE kind = 'finance'`,
    );
    await q.query(`CREATE INDEX disclosure_village_idx ON disclosure (village_code varchar_pattern_ops, period_start DESC)`);
    // The schedule's question: which (village, series, period) has a published disclosure.
    await q.query(`CREATE INDEX disclosure_schedule_idx ON disclosure (series, village_code, period_start) WHERE state = 'published'`);

    await q.query(`
      CREATE TABLE finance_entry (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        disclosure_id uuid NOT NULL REFERENCES disclosure (id) ON DELETE CASCADE,
        line_no       integer NOT NULL CHECK (line_no > 0),
        entry_date    date NOT NULL,
        voucher_no    text NOT NULL CHECK (length(voucher_no) BETWEEN 1 AND 30),
        item          text NOT NULL CHECK (length(item) BETWEEN 1 AND 200),
        counterpart   text CHECK (counterpart IS NULL OR length(counterpart) BETWEEN 1 AND 100),
        category      text NOT NULL CHECK (category IN (${CATEGORIES})),
        direction     text NOT NULL CHECK (direction IN ('income', 'expense')),
        amount_fen    bigint NOT NULL CHECK (amount_fen > 0 AND amount_fen < 1000000000000000),
        CONSTRAINT finance_entry_line_uq UNIQUE (disclosure_id, line_no),
        CONSTRAINT finance_entry_direction CHECK ((direction = 'income') = (category LIKE '%\\_income'))
      )`);
    await q.query(`CREATE INDEX finance_entry_disclosure_idx ON finance_entry (disclosure_id, entry_date, line_no)`);

    await q.query(`
      CREATE TABLE disclosure_attachment (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        disclosure_id uuid NOT NULL REFERENCES disclosure (id) ON DELETE CASCADE,
        purpose       text NOT NULL CHECK (purpose IN ('voucher', 'board', 'report', 'other')),
        name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        content       bytea NOT NULL,
        content_type  text NOT NULL CHECK (length(content_type) BETWEEN 3 AND 100),
        size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 2097152),
        created_by    uuid NOT NULL REFERENCES account (id),
        created_at    timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX disclosure_attachment_idx ON disclosure_attachment (disclosure_id)`);

    await q.query(`
      CREATE TABLE disclosure_query (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        disclosure_id     uuid NOT NULL REFERENCES disclosure (id),
        entry_id          uuid REFERENCES finance_entry (id),
        village_code      varchar(12) NOT NULL REFERENCES division (code),
        asker_person_id   uuid NOT NULL REFERENCES person (id),
        question          text NOT NULL CHECK (length(question) BETWEEN 1 AND 2000),
        asked_at          timestamptz NOT NULL,
        answer_due_at     timestamptz NOT NULL,
        state             text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'escalated', 'closed')),
        answer            text CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 5000),
        answered_by       uuid REFERENCES account (id),
        answered_at       timestamptz,
        escalation_reason text CHECK (escalation_reason IS NULL OR length(escalation_reason) BETWEEN 1 AND 2000),
        escalated_at      timestamptz,
        township_reply    text CHECK (township_reply IS NULL OR length(township_reply) BETWEEN 1 AND 5000),
        closed_by         uuid REFERENCES account (id),
        closed_at         timestamptz,
        CONSTRAINT disclosure_query_answer CHECK ((answer IS NULL) = (answered_at IS NULL) AND (answer IS NULL) = (answered_by IS NULL)
          AND (state = 'open') = (answer IS NULL)),
        CONSTRAINT disclosure_query_escalation CHECK ((escalated_at IS NULL) = (escalation_reason IS NULL)
          AND (state <> 'escalated' OR escalated_at IS NOT NULL)),
        CONSTRAINT disclosure_query_closed CHECK ((state = 'closed') = (closed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX disclosure_query_disclosure_idx ON disclosure_query (disclosure_id, asked_at)`);
    await q.query(`CREATE INDEX disclosure_query_village_idx ON disclosure_query (village_code varchar_pattern_ops, asked_at DESC)`);
    await q.query(`CREATE INDEX disclosure_query_due_idx ON disclosure_query (answer_due_at) WHERE state = 'open'`);

    await q.query(`
      CREATE TABLE openness_village_setting (
        village_code    varchar(12) PRIMARY KEY REFERENCES division (code),
        finance_monthly boolean NOT NULL,
        set_by          uuid NOT NULL REFERENCES account (id),
        set_at          timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE township_order (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        village_code   varchar(12) NOT NULL REFERENCES division (code),
        series         text CHECK (series IN ('general', 'finance', 'collective_finance')),
        period_start   date,
        query_id       uuid REFERENCES disclosure_query (id),
        text           text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
        due_on         date NOT NULL,
        ordered_by     uuid NOT NULL REFERENCES account (id),
        ordered_at     timestamptz NOT NULL,
        follow_up      text CHECK (follow_up IS NULL OR length(follow_up) BETWEEN 1 AND 2000),
        followed_up_by uuid REFERENCES account (id),
        followed_up_at timestamptz,
        CONSTRAINT township_order_what CHECK ((series IS NULL) = (period_start IS NULL) AND (series IS NOT NULL OR query_id IS NOT NULL)),
        CONSTRAINT township_order_follow_up CHECK ((follow_up IS NULL) = (followed_up_at IS NULL) AND (follow_up IS NULL) = (followed_up_by IS NULL))
      )`);
    await q.query(`CREATE INDEX township_order_village_idx ON township_order (village_code varchar_pattern_ops, ordered_at DESC)`);

    // Demo disclosures are refused in production like every other demo row (1764380100000-production-marker).
    await q.query(`
      CREATE TRIGGER disclosure_no_demo_in_production BEFORE INSERT OR UPDATE OF is_demo ON disclosure
        FOR EACH ROW WHEN (NEW.is_demo) EXECUTE FUNCTION refuse_demo_row_in_production()`);
    await q.query(demoRowsExist([...OLD_DEMO_TABLES, 'disclosure']));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(demoRowsExist(OLD_DEMO_TABLES));
    await q.query(`DROP TRIGGER disclosure_no_demo_in_production ON disclosure`);
    await q.query(`DROP TABLE township_order`);
    await q.query(`DROP TABLE openness_village_setting`);
    await q.query(`DROP TABLE disclosure_query`);
    await q.query(`DROP TABLE disclosure_attachment`);
    await q.query(`DROP TABLE finance_entry`);
    await q.query(`DROP TABLE disclosure`);
  }
}
