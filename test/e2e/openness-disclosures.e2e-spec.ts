import { jest } from '@jest/globals';
import { queryRows } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { closeVotes, createDraft, officials, ok, toVoting, Villages, vote } from './deliberation-support.js';

jest.setTimeout(60_000);

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp();
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t?.close();
});

async function cast(village: string) {
  return {
    committee: await t.given.user('village_committee', village),
    supervisor: await t.given.user('supervision_committee', village),
    resident: await t.given.user('resident', village),
    township: await t.given.user('township_staff', village.slice(0, 9), { home: village }),
  };
}

const entry = (entryDate: string, category: string, amountFen: string, voucherNo: string) => ({
  entryDate,
  voucherNo,
  item: `测试事项 ${voucherNo}`,
  counterpart: '某某合作社',
  category,
  amountFen,
});

describe('a quarter’s finance disclosure: prepared, refused unbalanced, returned, corrected, signed off, published, read', () => {
  it('walks the whole workflow with the right people and the right figures', async () => {
    const village = villages.inA();
    const c = await cast(village);
    const created = ok(
      await t.api.post(
        '/api/v1/disclosures',
        {
          villageCode: village,
          subject: 'village',
          kind: 'finance',
          title: '2026年第3季度财务收支公开',
          periodKind: 'quarter',
          periodStart: '2026-07-01',
          openingBalanceFen: '1000000',
        },
        c.committee.token,
      ),
      201,
    );
    expect(created).toMatchObject({ state: 'draft', periodEnd: '2026-09-30', periodLabel: '2026年第3季度', dueOn: '2026-10-10' });
    expect(created.actions).toEqual(['edit', 'submit']);
    // One finance disclosure per village and period.
    const twice = await t.api.post(
      '/api/v1/disclosures',
      {
        villageCode: village,
        subject: 'village',
        kind: 'finance',
        title: '重复',
        periodKind: 'quarter',
        periodStart: '2026-07-01',
        openingBalanceFen: '0',
      },
      c.committee.token,
    );
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('DISCLOSURE_FINANCE_PERIOD_TAKEN');

    const id = created.id as string;
    ok(
      await t.api.post(
        `/api/v1/disclosures/${id}/entries`,
        entry('2026-07-15', 'contracting_income', '500000', '记-001'),
        c.committee.token,
      ),
      201,
    );
    ok(
      await t.api.post(`/api/v1/disclosures/${id}/entries`, entry('2026-08-02', 'welfare_expense', '120000', '记-002'), c.committee.token),
      201,
    );
    const wrongDay = await t.api.post(
      `/api/v1/disclosures/${id}/entries`,
      entry('2026-10-02', 'admin_expense', '100', '记-003'),
      c.committee.token,
    );
    expect(wrongDay.status).toBe(400);
    expect(wrongDay.body.code).toBe('FINANCE_ENTRY_INVALID');

    // Unbalanced: no closing balance, then a wrong one.
    const noClosing = await t.api.post(`/api/v1/disclosures/${id}/submit`, {}, c.committee.token);
    expect(noClosing.status).toBe(400);
    expect(noClosing.body.code).toBe('DISCLOSURE_UNBALANCED');
    expect(noClosing.body.message).toContain('13,800.00');
    ok(await t.api.patch(`/api/v1/disclosures/${id}`, { closingBalanceFen: '1380001' }, c.committee.token));
    const off = await t.api.post(`/api/v1/disclosures/${id}/submit`, {}, c.committee.token);
    expect(off.body.code).toBe('DISCLOSURE_UNBALANCED');
    // The database refuses an unbalanced submitted disclosure whatever the service does.
    await expect(t.db.query(`UPDATE disclosure SET state = 'submitted' WHERE id = $1`, [id])).rejects.toThrow(/disclosure_balanced/);

    ok(await t.api.patch(`/api/v1/disclosures/${id}`, { closingBalanceFen: '1380000' }, c.committee.token));
    const submitted = ok(await t.api.post(`/api/v1/disclosures/${id}/submit`, {}, c.committee.token), 201);
    expect(submitted.state).toBe('submitted');
    expect(submitted.finance).toMatchObject({ incomeFen: '500000', expenseFen: '120000', expectedClosingFen: '1380000', balanced: true });
    // Nobody edits what the supervision committee is reviewing; the committee cannot sign it off itself.
    expect(
      (await t.api.post(`/api/v1/disclosures/${id}/entries`, entry('2026-07-20', 'other_income', '1', '记-004'), c.committee.token)).body
        .code,
    ).toBe('DISCLOSURE_NOT_EDITABLE');
    expect((await t.api.post(`/api/v1/disclosures/${id}/sign-off`, {}, c.committee.token)).status).toBe(403);
    // A resident sees no draft, submitted or signed-off disclosure.
    expect((await t.api.get(`/api/v1/disclosures/${id}`, c.resident.token)).status).toBe(404);

    // The supervision committee is told, with a link that opens the disclosure.
    const told = ok(await t.api.get('/api/v1/notifications', c.supervisor.token));
    expect(told.items[0]).toMatchObject({ kind: 'disclosure_submitted', link: `/disclosures/${id}`, proposalId: null });
    const sent = ok(await t.api.get(`/api/v1/disclosures/${id}`, c.supervisor.token));
    expect(sent.actions.sort()).toEqual(['return', 'sign_off']);
    const returned = ok(
      await t.api.post(`/api/v1/disclosures/${id}/return`, { reason: '记-002 公益支出缺少验收单，请补充凭证照片' }, c.supervisor.token),
      201,
    );
    expect(returned).toMatchObject({
      state: 'returned',
      returnReason: '记-002 公益支出缺少验收单，请补充凭证照片',
      reviewedBy: c.supervisor.realName,
    });
    const back = ok(await t.api.get('/api/v1/notifications', c.committee.token));
    expect(back.items[0]).toMatchObject({ kind: 'disclosure_returned', link: `/disclosures/${id}` });
    expect(back.items[0].body).toContain('记-002 公益支出缺少验收单');

    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 1)]).toString('base64');
    ok(
      await t.api.post(
        `/api/v1/disclosures/${id}/attachments`,
        { purpose: 'voucher', name: '记-002 验收单', contentBase64: jpeg, contentType: 'image/jpeg' },
        c.committee.token,
      ),
      201,
    );
    ok(await t.api.post(`/api/v1/disclosures/${id}/submit`, {}, c.committee.token), 201);
    const signed = ok(await t.api.post(`/api/v1/disclosures/${id}/sign-off`, {}, c.supervisor.token), 201);
    expect(signed).toMatchObject({ state: 'signed_off', returnReason: null });
    expect(signed.attachments).toHaveLength(1);
    // The supervision committee does not publish; the committee does.
    expect((await t.api.post(`/api/v1/disclosures/${id}/publish`, {}, c.supervisor.token)).status).toBe(403);
    const published = ok(await t.api.post(`/api/v1/disclosures/${id}/publish`, {}, c.committee.token), 201);
    expect(published.state).toBe('published');
    expect(new Date(published.publicityUntil).getTime() - new Date(published.publishedAt).getTime()).toBe(30 * 86_400_000);

    // Residents read it now, with its entries; a resident of another village is told it does not exist.
    const read = ok(await t.api.get(`/api/v1/disclosures/${id}`, c.resident.token));
    expect(read.entries.map((e: { voucherNo: string }) => e.voucherNo)).toEqual(['记-001', '记-002']);
    expect(read.actions).toEqual([]);
    expect(read.mayQuery).toBe(true);
    const stranger = await t.given.user('resident', villages.inB());
    expect((await t.api.get(`/api/v1/disclosures/${id}`, stranger.token)).status).toBe(404);
    const list = ok(await t.api.get(`/api/v1/disclosures?divisionCode=${village}`, c.resident.token));
    expect(list.items.map((d: { id: string }) => d.id)).toEqual([id]);
    expect(ok(await t.api.get(`/api/v1/disclosures?divisionCode=${village}`, stranger.token)).total).toBe(0);

    // Every step is in the audit log.
    const steps = await queryRows<{ action: string }>(
      t.db,
      `SELECT action FROM audit_log WHERE target_type = 'disclosure' AND target_id = $1 ORDER BY id`,
      [id],
    );
    expect(steps.map((s) => s.action)).toEqual([
      'disclosure.create',
      'disclosure.entry.add',
      'disclosure.entry.add',
      'disclosure.edit',
      'disclosure.edit',
      'disclosure.submit',
      'disclosure.return',
      'disclosure.attachment.add',
      'disclosure.submit',
      'disclosure.sign_off',
      'disclosure.publish',
    ]);
  });
});

describe('who reads what', () => {
  it('the collective organization’s finances are its members’; general matters every resident’s; drafts staff only', async () => {
    const village = villages.inA();
    const c = await cast(village);
    const member = await t.given.user('collective_member', village);
    const mk = async (body: object) =>
      ok(await t.api.post('/api/v1/disclosures', { villageCode: village, ...body }, c.committee.token), 201).id as string;
    const publish = async (id: string) => {
      ok(await t.api.post(`/api/v1/disclosures/${id}/submit`, {}, c.committee.token), 201);
      ok(await t.api.post(`/api/v1/disclosures/${id}/sign-off`, {}, c.supervisor.token), 201);
      ok(await t.api.post(`/api/v1/disclosures/${id}/publish`, {}, c.committee.token), 201);
    };
    const coll = await mk({
      subject: 'collective',
      kind: 'finance',
      title: '集体经济组织10月财务',
      periodKind: 'month',
      periodStart: '2026-10-01',
      openingBalanceFen: '0',
    });
    ok(await t.api.patch(`/api/v1/disclosures/${coll}`, { closingBalanceFen: '0' }, c.committee.token));
    await publish(coll);
    const general = await mk({
      subject: 'village',
      kind: 'relief',
      title: '2026年第3季度救灾救助资金使用情况',
      body: '发放救助金 3 户。',
      periodKind: 'quarter',
      periodStart: '2026-07-01',
    });
    await publish(general);
    const draft = await mk({ subject: 'village', kind: 'other', title: '草稿', periodKind: 'once', periodStart: '2026-10-05' });

    expect((await t.api.get(`/api/v1/disclosures/${coll}`, member.token)).status).toBe(200);
    expect((await t.api.get(`/api/v1/disclosures/${coll}`, c.resident.token)).status).toBe(404);
    expect((await t.api.get(`/api/v1/disclosures/${general}`, c.resident.token)).status).toBe(200);
    expect((await t.api.get(`/api/v1/disclosures/${draft}`, c.resident.token)).status).toBe(404);
    expect((await t.api.get(`/api/v1/disclosures/${draft}`, c.township.token)).status).toBe(200);
    const residentList = ok(await t.api.get(`/api/v1/disclosures?divisionCode=${village}`, c.resident.token));
    expect(residentList.items.map((d: { id: string }) => d.id)).toEqual([general]);
    const memberList = ok(await t.api.get(`/api/v1/disclosures?divisionCode=${village}`, member.token));
    expect(memberList.items.map((d: { id: string }) => d.id).sort()).toEqual([coll, general].sort());
    // The collective organization does not publish village affairs.
    const wrong = await t.api.post(
      '/api/v1/disclosures',
      { villageCode: village, subject: 'collective', kind: 'relief', title: 'x', periodKind: 'quarter', periodStart: '2026-07-01' },
      c.committee.token,
    );
    expect(wrong.body.code).toBe('DISCLOSURE_KIND_SUBJECT_MISMATCH');
    // A period that is not a period.
    const badPeriod = await t.api.post(
      '/api/v1/disclosures',
      {
        villageCode: village,
        subject: 'village',
        kind: 'finance',
        title: 'x',
        periodKind: 'quarter',
        periodStart: '2026-08-01',
        openingBalanceFen: '0',
      },
      c.committee.token,
    );
    expect(badPeriod.body.code).toBe('DISCLOSURE_PERIOD_INVALID');
    // Another village's committee cannot prepare one here.
    const other = await t.given.user('village_committee', villages.inB());
    expect(
      (
        await t.api.post(
          '/api/v1/disclosures',
          { villageCode: village, subject: 'village', kind: 'other', title: 'x', periodKind: 'once', periodStart: '2026-10-05' },
          other.token,
        )
      ).status,
    ).toBe(403);
  });

  it('two concurrent steps: only one moves the disclosure', async () => {
    const village = villages.inA();
    const c = await cast(village);
    const id = ok(
      await t.api.post(
        '/api/v1/disclosures',
        { villageCode: village, subject: 'village', kind: 'other', title: '并发', periodKind: 'once', periodStart: '2026-10-05' },
        c.committee.token,
      ),
      201,
    ).id as string;
    ok(await t.api.post(`/api/v1/disclosures/${id}/submit`, {}, c.committee.token), 201);
    const [a, b] = await Promise.all([
      t.api.post(`/api/v1/disclosures/${id}/sign-off`, {}, c.supervisor.token),
      t.api.post(`/api/v1/disclosures/${id}/return`, { reason: '请补充' }, c.supervisor.token),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
  });
});

describe('decisions and their implementation', () => {
  it('the quarter’s disclosure of decisions lists the resolution notices the village’s proposals published in it', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voters = [
      await t.given.user('resident', village),
      await t.given.user('resident', village),
      await t.given.user('resident', village),
    ];
    const proposal = await createDraft(t, o, village, { ballotType: 'open', title: '村委会办公楼维修' });
    const { closesAt } = await toVoting(t, o, village, proposal);
    for (const v of voters) ok(await vote(t, proposal, v.token, 'yes'), 201);
    await closeVotes(t, closesAt);
    const notice = ok(await t.api.post(`/api/v1/proposals/${proposal}/resolution`, {}, o.committee.token), 201);
    // The quarter (长治 time) in which the resolution was published.
    const local = new Date(new Date(notice.publishedAt).getTime() + 8 * 3_600_000);
    const quarterStart = `${local.getUTCFullYear()}-${String(local.getUTCMonth() - (local.getUTCMonth() % 3) + 1).padStart(2, '0')}-01`;
    const id = ok(
      await t.api.post(
        '/api/v1/disclosures',
        {
          villageCode: village,
          subject: 'village',
          kind: 'decisions',
          title: '本季度决定事项及实施情况',
          periodKind: 'quarter',
          periodStart: quarterStart,
        },
        o.committee.token,
      ),
      201,
    ).id as string;
    const d = ok(await t.api.get(`/api/v1/disclosures/${id}`, o.committee.token));
    expect(d.decisionNotices).toEqual([
      { id: notice.id, proposalId: proposal, kind: 'resolution', title: notice.title, publishedAt: notice.publishedAt },
    ]);
    // Another kind lists none; nor does the quarter before.
    const other = ok(
      await t.api.post(
        '/api/v1/disclosures',
        { villageCode: village, subject: 'village', kind: 'other', title: '其他事项', periodKind: 'quarter', periodStart: quarterStart },
        o.committee.token,
      ),
      201,
    ).id as string;
    expect(ok(await t.api.get(`/api/v1/disclosures/${other}`, o.committee.token)).decisionNotices).toEqual([]);
  });
});
