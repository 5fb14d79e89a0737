import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditCatalog, AuditService, CopyOut, readAnchors } from '#audit';
import { pgPoolOf, residentIdCheckChar } from '#platform';
import { COUNTY, TOWNSHIP_A, VILLAGE_A, VILLAGE_B } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
let audit: AuditService;
beforeAll(async () => {
  t = await startTestApp();
  audit = t.app.get(AuditService);
});
afterAll(async () => {
  await t.close();
});

async function tamper(sql: string, params: unknown[]) {
  // A superuser bypassing the append-only trigger, as an attacker with database access would.
  await t.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard');
  try {
    await t.db.query(sql, params);
  } finally {
    await t.db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard');
  }
}

describe('audit log', () => {
  it('writes a row for a login, a failed login, a mutation and a permission refusal, then seals them into a chain', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    await t.api.post('/api/v1/auth/login', { phone: staff.phone, password: 'wrong-password-x' });
    const resident = await t.given.user('resident', VILLAGE_A);
    const denied = await t.api.get('/api/v1/people', resident.token);
    expect(denied.status).toBe(403);
    const reg = await t.api.post(
      `/api/v1/villages/${VILLAGE_A}/residents`,
      { realName: '审计测试', idNumber: '11010519491231002X' },
      staff.token,
    );
    expect(reg.status).toBe(201);

    const rows = await queryRows<{
      action: string;
      result: string;
      account_id: string | null;
      target_division: string | null;
      request_id: string | null;
      client_ip: string | null;
    }>(
      t.db,
      `SELECT action, result, account_id, target_division, request_id, client_ip FROM audit_log WHERE account_id IN ($1, $2) ORDER BY id`,
      [staff.accountId, resident.accountId],
    );
    const summary = rows.map((r) => `${r.action}:${r.result}`);
    expect(summary).toEqual(
      expect.arrayContaining(['auth.login:success', 'auth.login:failure', 'access.denied:denied', 'register.person_create:success']),
    );
    for (const r of rows) {
      expect(r.request_id).toMatch(/[0-9a-f-]{36}/);
      expect(r.client_ip).toBe('127.0.0.1');
    }
    expect(rows.find((r) => r.action === 'register.person_create')!.target_division).toBe(VILLAGE_A);
    // The audit row never contains the clear ID number.
    const all = await queryRows<{ details: string }>(t.db, `SELECT coalesce(details::text, '') AS details FROM audit_log`);
    expect(all.some((r) => r.details.includes('11010519491231002X'))).toBe(false);

    await audit.seal();
    const unsealed = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL`);
    expect(unsealed[0].n).toBe(0);
    const v = await audit.verify();
    expect(v.ok).toBe(true);
    expect(v.checked).toBeGreaterThanOrEqual(rows.length);
  });

  it('refuses UPDATE and DELETE of sealed rows and TRUNCATE', async () => {
    await t.given.user('resident', VILLAGE_A);
    await audit.seal();
    const [{ id }] = await queryRows<{ id: string }>(t.db, `SELECT id::text AS id FROM audit_log WHERE seq IS NOT NULL LIMIT 1`);
    await expect(t.db.query(`UPDATE audit_log SET action = 'x' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_log WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('verify names the first tampered row', async () => {
    for (let i = 0; i < 3; i++) await t.given.user('resident', VILLAGE_A);
    await audit.seal();
    const rows = await queryRows<{ id: string; seq: string }>(
      t.db,
      `SELECT id::text AS id, seq::text AS seq FROM audit_log ORDER BY seq DESC LIMIT 3`,
    );
    const victim = rows[1];
    const before = await queryRows<{ action: string }>(t.db, `SELECT action FROM audit_log WHERE id = $1`, [victim.id]);
    await tamper(`UPDATE audit_log SET result = 'denied' WHERE id = $1`, [victim.id]);
    const v = await audit.verify();
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toEqual({ seq: victim.seq, id: victim.id, reason: 'hash_mismatch' });
    expect(await audit.verify([], 2)).toEqual(v);
    // The HTTP endpoint reports the same row.
    const admin = await t.given.user('county_admin', COUNTY);
    const res = await t.api.post('/api/v1/audit/verify', {}, admin.token);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.firstBroken.id).toBe(victim.id);
    await tamper(`UPDATE audit_log SET result = 'success' WHERE id = $1`, [victim.id]);
    expect(before[0].action).toBeTruthy();
    expect((await audit.verify()).ok).toBe(true);
  });

  it('verify detects a deleted row as a gap', async () => {
    await t.given.user('resident', VILLAGE_A);
    await t.given.user('resident', VILLAGE_A);
    await audit.seal();
    const [victim] = await queryRows<{ id: string; seq: string }>(
      t.db,
      `SELECT id::text AS id, seq::text AS seq FROM audit_log ORDER BY seq DESC OFFSET 1 LIMIT 1`,
    );
    await t.db.query(`CREATE TABLE audit_saved AS SELECT * FROM audit_log WHERE id = $1`, [victim.id]);
    await tamper(`DELETE FROM audit_log WHERE id = $1`, [victim.id]);
    const v = await audit.verify();
    expect(v.ok).toBe(false);
    expect(v.firstBroken!.reason).toBe('sequence_gap');
    expect(BigInt(v.firstBroken!.seq)).toBe(BigInt(victim.seq) + 1n);
    // Read in pages of 1 and 2 rows, the gap falls on a page's first row: the same answer.
    expect(await audit.verify([], 1)).toEqual(v);
    expect(await audit.verify([], 2)).toEqual(v);
    // Put the row back, byte for byte, so later tests see a whole chain.
    await tamper(`INSERT INTO audit_log OVERRIDING SYSTEM VALUE SELECT * FROM audit_saved`, []);
    await t.db.query(`DROP TABLE audit_saved`);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('50 concurrent audited writes, sealed while they run, leave one unbroken chain', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const sealing = (async () => {
      for (let i = 0; i < 10; i++) {
        await audit.seal();
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.api.post(`/api/v1/villages/${VILLAGE_A}/residents`, { realName: `并发${i}`, idNumber: idFor(i) }, staff.token),
      ),
    );
    await sealing;
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    await audit.seal();
    const [{ n, maxseq, distinct_prev }] = await queryRows<{ n: number; maxseq: string; distinct_prev: number }>(
      t.db,
      `SELECT count(*)::int AS n, max(seq)::text AS maxseq, count(DISTINCT prev_hash)::int AS distinct_prev FROM audit_log`,
    );
    expect(BigInt(maxseq)).toBe(BigInt(n));
    expect(distinct_prev).toBe(n);
    const creates = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM audit_log WHERE account_id = $1 AND action = 'register.person_create'`,
      [staff.accountId],
    );
    expect(creates[0].n).toBe(50);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('the database seals awkward text exactly as the verifier hashes it (quotes, escapes, control characters, CJK, emoji, nulls)', async () => {
    await audit.seal();
    const awkward = ['引号"与反斜杠\\', '换行\n回车\r制表\t', 'ctl\u0001\u001f\u007f', '斜杠/ 与 \u2028\u2029', '表情 🗳️ 投票', '', ' '];
    for (const [i, text] of awkward.entries()) {
      await audit.recordAlone({
        actor: { accountId: null, requestId: `req-${i}`, ip: i % 2 ? null : '127.0.0.1' },
        action: `test.awkward_${i}`,
        targetType: i % 3 ? null : 'thing',
        targetId: text || null,
        targetDivision: null,
        details: { text, nested: { list: [text, null, 1.5, true] } },
      });
    }
    expect(await audit.seal()).toBe(awkward.length);
    const rows = await queryRows<{ target_id: string | null; details: { text: string } }>(
      t.db,
      `SELECT target_id, details FROM audit_log WHERE action LIKE 'test.awkward_%' ORDER BY id`,
    );
    expect(rows.map((r) => r.details.text)).toEqual(awkward);
    const result = await audit.verify();
    expect(result).toEqual(expect.objectContaining({ ok: true, unsealed: 0, firstBroken: null }));
  });

  it('the verifier renders occurred_at as the sealer did, at the edges of its own range and beyond (BC, year 12345, ±infinity)', async () => {
    await audit.seal();
    const times = [
      '1799-12-31 23:59:59.999999+00',
      '1800-01-01 00:00:00+00',
      '1969-12-31 23:59:59.5+00',
      '1999-12-31 23:59:59.999999+00',
      '2199-12-31 23:59:59.999999+00',
      '2200-01-01 00:00:00+00',
      '1500-06-01 12:00:00.25+00',
      '12345-01-01 00:00:00+00',
      '0044-03-15 12:00:00+00 BC',
      'infinity',
      '-infinity',
    ];
    // Written as any writer could (an import of old records with their own times), not through record().
    await t.db.query(
      `INSERT INTO audit_log (occurred_at, action, result, details)
       SELECT t::timestamptz, 'test.odd_time', 'success', jsonb_build_object('at', t) FROM unnest($1::text[]) AS t`,
      [times],
    );
    expect(await audit.seal()).toBe(times.length);
    const rendered = await queryRows<{ at: string | null }>(
      t.db,
      `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM audit_log WHERE action = 'test.odd_time' ORDER BY id`,
    );
    expect(rendered.map((r) => r.at)).toEqual([
      '1799-12-31T23:59:59.999999Z',
      '1800-01-01T00:00:00.000000Z',
      '1969-12-31T23:59:59.500000Z',
      '1999-12-31T23:59:59.999999Z',
      '2199-12-31T23:59:59.999999Z',
      '2200-01-01T00:00:00.000000Z',
      '1500-06-01T12:00:00.250000Z',
      '12345-01-01T00:00:00.000000Z',
      '0044-03-15T12:00:00.000000Z',
      null,
      null,
    ]);
    expect(await audit.verify()).toEqual(expect.objectContaining({ ok: true, unsealed: 0, firstBroken: null }));
    // A time moved by a microsecond is a different row.
    const [victim] = await queryRows<{ id: string; seq: string }>(
      t.db,
      `SELECT id::text AS id, seq::text AS seq FROM audit_log WHERE action = 'test.odd_time' AND occurred_at = '2199-12-31 23:59:59.999999+00'`,
    );
    await tamper(`UPDATE audit_log SET occurred_at = occurred_at + interval '1 microsecond' WHERE id = $1`, [victim.id]);
    expect((await audit.verify()).firstBroken).toEqual({ seq: victim.seq, id: victim.id, reason: 'hash_mismatch' });
    await tamper(`UPDATE audit_log SET occurred_at = occurred_at - interval '1 microsecond' WHERE id = $1`, [victim.id]);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('CopyOut on a real connection: the COPY data in order; an error mid-COPY fails it and leaves the connection usable', async () => {
    const client = await pgPoolOf(t.db).connect();
    try {
      const parts: Buffer[] = [];
      const ok = new CopyOut(`COPY (SELECT g, repeat('行', g % 50) FROM generate_series(1, 20000) g) TO STDOUT`, (buf, start, end) => {
        parts.push(Buffer.from(buf.subarray(start, end)));
        return true;
      });
      client.query(ok);
      await ok.done;
      const lines = Buffer.concat(parts).toString('utf8').split('\n');
      expect(lines).toHaveLength(20001);
      expect(lines[19999]).toBe(`20000\t${'行'.repeat(0)}`);
      expect(lines[48]).toBe(`49\t${'行'.repeat(49)}`);
      // Division by zero at the 15,000th row: rows have come already when the error does.
      let before = 0;
      const failing = new CopyOut(`COPY (SELECT 1 / (15000 - g) FROM generate_series(1, 20000) g) TO STDOUT`, (_buf, start, end) => {
        before += end - start;
        return true;
      });
      client.query(failing);
      await expect(failing.done).rejects.toThrow(/division by zero/);
      expect(before).toBeGreaterThan(0);
      expect((await client.query('SELECT 41 + 1 AS n')).rows).toEqual([{ n: 42 }]);
    } finally {
      client.release();
    }
  });

  it('lists audit rows only inside the caller scope, with filters and paging', async () => {
    const staffA = await t.given.user('township_staff', TOWNSHIP_A);
    const staffB = await t.given.user('township_staff', '140428102');
    await t.api.post(`/api/v1/villages/${VILLAGE_A}/residents`, { realName: '范围甲', idNumber: idFor(900) }, staffA.token);
    await t.api.post(`/api/v1/villages/${VILLAGE_B}/residents`, { realName: '范围乙', idNumber: idFor(901) }, staffB.token);
    const a = await t.api.get(`/api/v1/audit?action=register.person_create&pageSize=100`, staffA.token);
    expect(a.status).toBe(200);
    expect(a.body.items.length).toBeGreaterThan(0);
    expect(a.body.items.every((r: { targetDivision: string }) => r.targetDivision.startsWith(TOWNSHIP_A))).toBe(true);
    const b = await t.api.get(`/api/v1/audit?action=register.person_create&pageSize=100`, staffB.token);
    expect(b.body.items.every((r: { targetDivision: string }) => r.targetDivision.startsWith('140428102'))).toBe(true);
    expect(b.body.items.some((r: { targetDivision: string }) => r.targetDivision === VILLAGE_B)).toBe(true);
    const page = await t.api.get(`/api/v1/audit?pageSize=2&page=1`, staffA.token);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(2);
    const resident = await t.given.user('resident', VILLAGE_A);
    expect((await t.api.get('/api/v1/audit', resident.token)).status).toBe(403);
  });
});

describe('the audit log answers "who looked at this ID number"', () => {
  it('names the person, the action and the target in Chinese, and finds rows by Chinese words, a name and a date', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const county = await t.given.user('county_admin', COUNTY);
    const staffName = (await queryRows<{ real_name: string }>(t.db, 'SELECT real_name FROM person WHERE id = $1', [staff.personId]))[0]
      .real_name;
    const created = await t.api.post(
      `/api/v1/villages/${VILLAGE_A}/residents`,
      { realName: '查看对象', idNumber: idFor(930) },
      staff.token,
    );
    expect(created.status).toBe(201);
    const personId: string = created.body.personId;
    const revealed = await t.api.post(`/api/v1/people/${personId}/reveal`, { field: 'idNumber' }, staff.token);
    expect(revealed.status).toBe(200);

    const byWords = await t.api.get(`/api/v1/audit?q=${encodeURIComponent('查看 身份证')}&pageSize=100`, county.token);
    expect(byWords.status).toBe(200);
    const row = byWords.body.items.find((r: { targetId: string }) => r.targetId === personId);
    expect(row).toMatchObject({
      action: 'pii.reveal',
      actionName: '查看村民完整身份证号或手机号',
      actorName: staffName,
      targetType: 'person',
      targetTypeName: '村民',
      targetDivision: VILLAGE_A,
      targetDivisionName: '鲍店东街村村委会',
      result: 'success',
    });
    // Only rows whose Chinese name has both words: no logins, no registrations.
    expect(byWords.body.items.every((r: { actionName: string }) => r.actionName.includes('查看') && r.actionName.includes('身份证'))).toBe(
      true,
    );

    // By the person's name: everything they did, their registration of the resident among it.
    const byName = await t.api.get(`/api/v1/audit?q=${encodeURIComponent(staffName)}&pageSize=100`, county.token);
    expect(byName.body.items.map((r: { action: string }) => r.action).sort()).toEqual(
      expect.arrayContaining(['pii.reveal', 'register.person_create']),
    );
    expect(byName.body.items.every((r: { actorName: string | null; targetId: string }) => r.actorName === staffName)).toBe(true);

    // By the target's id: who did anything to this person.
    const byTarget = await t.api.get(`/api/v1/audit?q=${personId}&pageSize=100`, county.token);
    expect(byTarget.body.items.map((r: { action: string }) => r.action).sort()).toEqual(['pii.reveal', 'register.person_create']);

    // A date range that ends before today finds none of it; one that covers today finds it.
    const today = new Date().toISOString().slice(0, 10);
    const before = await t.api.get(`/api/v1/audit?q=${personId}&to=2000-01-01`, county.token);
    expect(before.body.total).toBe(0);
    const within = await t.api.get(`/api/v1/audit?q=${personId}&from=${today}T00:00:00Z`, county.token);
    expect(within.body.total).toBe(2);

    // A LIKE wildcard in the words is a character, not a pattern.
    const wildcard = await t.api.get(`/api/v1/audit?q=${encodeURIComponent('%')}`, county.token);
    expect([wildcard.status, wildcard.body.total]).toEqual([200, 0]);
    const tooLong = await t.api.get(`/api/v1/audit?q=${'查'.repeat(51)}`, county.token);
    expect([tooLong.status, tooLong.body.code, tooLong.body.details?.[0]]).toEqual([
      400,
      'VALIDATION_FAILED',
      { field: 'q', messages: ['查找内容应为 1–50 个字'] },
    ]);
  });

  it('every audit action written in the code has a Chinese name', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const files = readdirSync('libs', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    const codes = new Set<string>();
    for (const f of files) {
      const text = readFileSync(path.join('libs', f), 'utf8');
      // action: 'x.y', action: cond ? 'x.y' : 'x.z', action = 'x.y' (a default), journal.audit('x.y')
      for (const m of text.matchAll(
        /(?:action(?:: | = )(?:[^'\n]*\? )?|journal\.audit\()'([a-z_]+\.[a-z_.]+)'(?: : '([a-z_]+\.[a-z_.]+)')?/g,
      )) {
        codes.add(m[1]);
        if (m[2]) codes.add(m[2]);
      }
    }
    expect(codes.size).toBeGreaterThan(25);
    const catalog = t.app.get(AuditCatalog);
    expect([...codes].filter((c) => !catalog.knownActions().has(c)).sort()).toEqual([]);
  });
});

describe('anchors: the chain head kept outside the database', () => {
  /** Rewrites a sealed row and reseals everything from it on, as an attacker with database access could: the chain alone stays whole. */
  async function rewriteFrom(seq: string, id: string, result: string) {
    await tamper(
      `UPDATE audit_log SET result = CASE WHEN id = $1 THEN $3 ELSE result END, seq = NULL, prev_hash = NULL, hash = NULL WHERE seq >= $2`,
      [id, seq, result],
    );
    await audit.seal();
  }

  it('GET /audit/head gives the newest sealed row; an anchor taken there catches a chain rewritten before it', async () => {
    const admin = await t.given.user('county_admin', COUNTY);
    for (let i = 0; i < 3; i++) await t.given.user('resident', VILLAGE_A);
    const res = await t.api.get('/api/v1/audit/head', admin.token);
    expect(res.status).toBe(200);
    const head = res.body.head as { seq: string; hash: string; occurredAt: string };
    // The numerically newest sealed row (max(), not an ORDER BY on a text alias: '9' sorts after '85').
    const [db] = await queryRows<{ seq: string; hash: string }>(
      t.db,
      `SELECT seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`,
    );
    expect(BigInt(db.seq)).toBeGreaterThan(9n);
    expect(head).toMatchObject({ seq: db.seq, hash: db.hash });
    expect(head.hash).toMatch(/^[0-9a-f]{64}$/);

    const [victim] = await queryRows<{ id: string; seq: string; result: string }>(
      t.db,
      `SELECT id::text AS id, seq::text AS seq, result FROM audit_log WHERE seq = $1::bigint - 2`,
      [head.seq],
    );
    const anchor = { seq: head.seq, hash: head.hash };
    expect((await audit.verify([anchor])).ok).toBe(true);

    await rewriteFrom(victim.seq, victim.id, victim.result === 'denied' ? 'failure' : 'denied');
    // Without the anchor the rewritten chain passes: every hash was recomputed.
    const alone = await audit.verify();
    expect(alone).toMatchObject({ ok: true, firstBroken: null, anchorsMatched: 0 });
    // With it, the row the anchor names no longer carries the published hash.
    const anchored = await audit.verify([anchor]);
    expect(anchored.ok).toBe(false);
    expect(anchored.firstBroken).toMatchObject({ seq: head.seq, reason: 'anchor_mismatch' });
    const http = await t.api.post('/api/v1/audit/verify', { anchors: [anchor] }, admin.token);
    expect(http.status).toBe(200);
    expect(http.body.ok).toBe(false);
    expect(http.body.firstBroken).toMatchObject({ seq: head.seq, reason: 'anchor_mismatch' });

    // Put the row's value back (the chain is resealed again; later tests verify without anchors).
    await rewriteFrom(victim.seq, victim.id, victim.result);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('an anchor beyond the end of the chain reports rows missing from the end', async () => {
    await t.given.user('resident', VILLAGE_A);
    await audit.seal();
    const head = (await audit.head())!;
    const beyond = (BigInt(head.seq) + 1000n).toString();
    const v = await audit.verify([
      { seq: head.seq, hash: head.hash },
      { seq: beyond, hash: 'ab'.repeat(32) },
    ]);
    expect(v).toMatchObject({ ok: false, anchorsMatched: 1, firstBroken: { seq: beyond, id: null, reason: 'anchor_missing' } });
  });

  it('refuses malformed anchors with field errors', async () => {
    const admin = await t.given.user('county_admin', COUNTY);
    const r = await t.api.post('/api/v1/audit/verify', { anchors: [{ seq: '0', hash: 'xyz' }] }, admin.token);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(r.body.details).toEqual([
      { field: 'anchors.0.seq', messages: ['锚点序号应为正整数，例如 12345'] },
      { field: 'anchors.0.hash', messages: ['锚点哈希值应为 64 位十六进制字符（0–9、a–f）'] },
    ]);
  });

  it('anchorTo appends the head to the file only when it moved; verify reads AUDIT_ANCHOR_FILE; a damaged file is a clear error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'audit-anchor-'));
    const file = path.join(dir, 'anchors.jsonl');
    try {
      await t.given.user('resident', VILLAGE_A);
      await audit.seal();
      const first = await audit.anchorTo(file, new Date('2026-11-29T08:00:00Z'));
      expect(first).toMatchObject({ at: '2026-11-29T08:00:00.000Z' });
      expect(await audit.anchorTo(file, new Date('2026-11-29T09:00:00Z'))).toBeNull();
      // A failed login is audited: the chain grows.
      const u = await t.given.user('resident', VILLAGE_A);
      await t.api.post('/api/v1/auth/login', { phone: u.phone, password: 'wrong-password-x' });
      await audit.seal();
      const second = await audit.anchorTo(file, new Date('2026-11-29T10:00:00Z'));
      expect(BigInt(second!.seq)).toBeGreaterThan(BigInt(first!.seq));
      expect(await readAnchors(file)).toEqual([first, second]);
      expect(await audit.verify(await readAnchors(file))).toMatchObject({ ok: true, anchorsMatched: 2 });

      // A process configured with the file checks its anchors on every verify.
      await appendFile(file, JSON.stringify({ seq: second!.seq, hash: 'cd'.repeat(32) }) + '\n');
      const other = await t.sibling({ AUDIT_ANCHOR_FILE: file });
      try {
        const admin = await t.given.user('county_admin', COUNTY);
        const v = await other.api.post('/api/v1/audit/verify', {}, admin.token);
        expect(v.status).toBe(200);
        expect(v.body.firstBroken).toMatchObject({ seq: second!.seq, reason: 'anchor_mismatch' });
        await appendFile(file, 'not json\n');
        const bad = await other.api.post('/api/v1/audit/verify', {}, admin.token);
        expect(bad.status).toBe(500);
        expect(bad.body.code).toBe('AUDIT_ANCHOR_FILE_INVALID');
        expect(bad.body.message).toContain('第 4 行不是 JSON');
      } finally {
        await other.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

let base = 0;
/** Distinct valid ID numbers for this file (address 140428, birth dates spread from 1970). */
function idFor(i: number): string {
  base ||= 1 + Math.floor(Math.random() * 9000);
  const d = new Date(Date.UTC(1970, 0, 1 + base + i));
  const body = `140428${d.toISOString().slice(0, 10).replace(/-/g, '')}${String(100 + (i % 800)).padStart(3, '0')}`;
  return body + residentIdCheckChar(body);
}
