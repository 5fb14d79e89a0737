import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 人民调解法 in the schema (issue 11, decision 014):
 * - a person may be a party without an ID number (minimum necessary at intake), but must be reachable
 *   (phone or address) when it has none; the number is completed at acceptance where the case needs it;
 * - agreements are written (signed, sealed or thumb-printed by each party, signed by the mediators,
 *   sealed by the committee: Art. 29) or oral (recorded by a mediator: Art. 28, 30);
 * - extensions of the mediation period with the parties' consent, and the 司法确认 application and
 *   its outcome (Art. 33);
 * - a deadline whose last day falls in a year without a holiday calendar is stored unadjusted, with
 *   that year, so it can be shown as unverified.
 */
export class MediationStatute1764384100000 implements MigrationInterface {
  name = 'MediationStatute1764384100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mediation_party DROP CONSTRAINT mediation_party_kind`);
    await q.query(`
      ALTER TABLE mediation_party ADD CONSTRAINT mediation_party_kind CHECK (CASE kind WHEN 'person' THEN credit_code IS NULL
        ELSE id_number_hash IS NULL AND credit_code IS NOT NULL AND person_id IS NULL END)`);
    await q.query(`
      ALTER TABLE mediation_party ADD CONSTRAINT mediation_party_reachable
        CHECK (kind <> 'person' OR id_number_hash IS NOT NULL OR phone_hash IS NOT NULL OR address IS NOT NULL)`);

    await q.query(`ALTER TABLE mediation_case ADD COLUMN due_unverified_year integer CHECK (due_unverified_year BETWEEN 2000 AND 2999)`);

    await q.query(`ALTER TABLE mediation_agreement ADD COLUMN form text NOT NULL DEFAULT 'written' CHECK (form IN ('written', 'oral'))`);
    await q.query(`ALTER TABLE mediation_agreement ALTER COLUMN form DROP DEFAULT`);
    // Agreements recorded before: the old form recorded the effective date as the day of signing and sealing.
    await q.query(`ALTER TABLE mediation_agreement ADD COLUMN committee_sealed boolean`);
    await q.query(`UPDATE mediation_agreement SET committee_sealed = true`);
    await q.query(`ALTER TABLE mediation_agreement ADD COLUMN recorded_by uuid REFERENCES person (id)`);
    await q.query(
      `ALTER TABLE mediation_agreement ADD COLUMN confirm_unverified_year integer CHECK (confirm_unverified_year BETWEEN 2000 AND 2999)`,
    );
    for (const col of ['facts', 'dispute_points', 'responsibilities']) {
      await q.query(`ALTER TABLE mediation_agreement ALTER COLUMN ${col} DROP NOT NULL`);
    }
    await q.query(`
      ALTER TABLE mediation_agreement
        ADD CONSTRAINT mediation_agreement_written_contents
          CHECK (form = 'oral' OR (facts IS NOT NULL AND dispute_points IS NOT NULL AND responsibilities IS NOT NULL)),
        ADD CONSTRAINT mediation_agreement_form_execution
          CHECK (CASE form WHEN 'written' THEN committee_sealed IS TRUE AND recorded_by IS NULL
                           ELSE committee_sealed IS NULL AND recorded_by IS NOT NULL END)`);

    // How each party and each mediator executed a written agreement (Art. 29).
    await q.query(`
      CREATE TABLE mediation_agreement_execution (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id            uuid NOT NULL REFERENCES mediation_agreement (case_id) ON DELETE CASCADE,
        party_id           uuid REFERENCES mediation_party (id) ON DELETE CASCADE,
        mediator_person_id uuid REFERENCES person (id),
        mode               text NOT NULL CHECK (mode IN ('sign', 'seal', 'thumbprint')),
        CONSTRAINT mediation_execution_signer CHECK ((party_id IS NULL) <> (mediator_person_id IS NULL)),
        CONSTRAINT mediation_execution_mediator_signs CHECK (mediator_person_id IS NULL OR mode = 'sign'),
        CONSTRAINT mediation_execution_party_uq UNIQUE (case_id, party_id),
        CONSTRAINT mediation_execution_mediator_uq UNIQUE (case_id, mediator_person_id)
      )`);

    await q.query(`
      CREATE TABLE mediation_extension (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id         uuid NOT NULL REFERENCES mediation_case (id) ON DELETE CASCADE,
        previous_due_at timestamptz NOT NULL,
        new_due_on      date NOT NULL,
        new_due_at      timestamptz NOT NULL,
        consented_on    date NOT NULL,
        reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
        created_at      timestamptz NOT NULL,
        created_by      uuid REFERENCES account (id),
        CONSTRAINT mediation_extension_later CHECK (new_due_at > previous_due_at)
      )`);
    await q.query(`CREATE INDEX mediation_extension_case_idx ON mediation_extension (case_id, created_at)`);

    await q.query(`
      CREATE TABLE mediation_confirmation (
        case_id     uuid PRIMARY KEY REFERENCES mediation_agreement (case_id) ON DELETE CASCADE,
        applied_on  date NOT NULL,
        court       text NOT NULL CHECK (length(court) BETWEEN 2 AND 100),
        outcome     text CHECK (outcome IN ('confirmed', 'rejected')),
        decided_on  date,
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL,
        CONSTRAINT mediation_confirmation_decided CHECK ((outcome IS NULL) = (decided_on IS NULL)),
        CONSTRAINT mediation_confirmation_order CHECK (decided_on IS NULL OR decided_on >= applied_on)
      )`);
  }

  /** Refuses while parties without an ID number or oral agreements exist: they cannot be expressed in the old schema. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mediation_confirmation`);
    await q.query(`DROP TABLE mediation_extension`);
    await q.query(`DROP TABLE mediation_agreement_execution`);
    await q.query(
      `ALTER TABLE mediation_agreement DROP CONSTRAINT mediation_agreement_form_execution, DROP CONSTRAINT mediation_agreement_written_contents`,
    );
    for (const col of ['facts', 'dispute_points', 'responsibilities']) {
      await q.query(`ALTER TABLE mediation_agreement ALTER COLUMN ${col} SET NOT NULL`);
    }
    await q.query(
      `ALTER TABLE mediation_agreement DROP COLUMN confirm_unverified_year, DROP COLUMN recorded_by, DROP COLUMN committee_sealed, DROP COLUMN form`,
    );
    await q.query(`ALTER TABLE mediation_case DROP COLUMN due_unverified_year`);
    await q.query(`ALTER TABLE mediation_party DROP CONSTRAINT mediation_party_reachable, DROP CONSTRAINT mediation_party_kind`);
    await q.query(`
      ALTER TABLE mediation_party ADD CONSTRAINT mediation_party_kind CHECK (CASE kind WHEN 'person' THEN id_number_hash IS NOT NULL AND credit_code IS NULL
        ELSE id_number_hash IS NULL AND credit_code IS NOT NULL AND person_id IS NULL END)`);
  }
}
