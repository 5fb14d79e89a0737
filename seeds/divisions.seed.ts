import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { sql } from 'kysely';
import { dbOf, parseCsv, projectRoot } from '#platform';

/** Upserts every division of Changzhi from seeds/data/changzhi-divisions.csv. Returns rows changed. */
export async function seedDivisions(db: DataSource): Promise<number> {
  const { rows } = parseCsv(readFileSync(path.join(projectRoot(), 'seeds/data/changzhi-divisions.csv'), 'utf8'));
  const order: Record<string, number> = { city: 0, county: 1, township: 2, village: 3 };
  rows.sort((a, b) => order[a.values.level] - order[b.values.level]);
  const codes = rows.map((r) => r.values.code);
  const names = rows.map((r) => r.values.name);
  const levels = rows.map((r) => r.values.level);
  // The city's parent (the province, 14) is outside the dataset.
  const parents = rows.map((r) => (r.values.level === 'city' ? null : r.values.parent_code));
  let changed = 0;
  await db.transaction(async (em) => {
    for (let i = 0; i < rows.length; i += 1000) {
      const { rows: res } = await sql<{ code: string }>`INSERT INTO division (code, name, level, parent_code)
         SELECT * FROM unnest(${codes.slice(i, i + 1000)}::varchar[], ${names.slice(i, i + 1000)}::text[],
                              ${levels.slice(i, i + 1000)}::text[], ${parents.slice(i, i + 1000)}::varchar[])
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code
          WHERE (division.name, division.level, division.parent_code) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.parent_code)
         RETURNING code`.execute(dbOf(em));
      changed += res.length;
    }
  });
  return changed;
}
