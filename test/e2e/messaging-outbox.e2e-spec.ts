import { jest } from '@jest/globals';
import { Outbox, OutboxSender, RESULT_UNKNOWN, type SmsProvider, type SmsRequest, SmsSendError } from '#messaging';
import { queryRows } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createDraft, officials, ok, throughPartyReview, Villages } from './deliberation-support.js';

jest.setTimeout(120_000);

const MIN = 60_000;

/**
 * The SMS service is the one boundary this machine cannot reach: a provider that records what it is
 * asked to send, and can be told to fail or to hang (a process stuck mid-send). Everything else is real.
 */
class RecordingProvider implements SmsProvider {
  readonly name = 'recording';
  mode: 'ok' | 'fail' = 'ok';
  /** Messages whose send hangs until releaseHung(). */
  readonly hang = new Set<string>();
  readonly sent: SmsRequest[] = [];
  readonly calls: SmsRequest[] = [];
  private release: (() => void) | null = null;
  templateFor(kind: SmsRequest['kind']): string {
    return `T_${kind}`;
  }
  async send(req: SmsRequest): Promise<{ providerMessageId: string }> {
    this.calls.push(req);
    await new Promise((r) => setTimeout(r, 3)); // let concurrent senders interleave
    if (this.mode === 'fail') throw new SmsSendError('短信服务暂时不可用（测试）');
    if (this.hang.has(req.outId)) await new Promise<void>((r) => (this.release = r));
    this.sent.push(req);
    return { providerMessageId: `rec-${req.outId}` };
  }
  releaseHung(): void {
    this.release?.();
  }
}

const provider = new RecordingProvider();
let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }, { smsProvider: provider });
  villages = await Villages.load(t);
});
afterAll(async () => {
  provider.releaseHung();
  await t.close();
});

const outboxList = (query: Record<string, string>, token: string) =>
  t.api.get(`/api/v1/outbox?${new URLSearchParams(query).toString()}`, token);

const rowsOf = (ids: string[]) =>
  queryRows<{ id: string; state: string; attempts: number; manual_retries: number; last_error: string | null; next_attempt_at: Date }>(
    t.db,
    `SELECT id, state, attempts, manual_retries, last_error, next_attempt_at FROM outbox_message WHERE id = ANY($1) ORDER BY id`,
    [ids],
  );

/** Messages straight into the outbox (as deliberation does, through Outbox.enqueue), one per new person. */
async function queued(village: string, n: number): Promise<{ ids: string[]; phones: Map<string, string> }> {
  const people = [];
  for (let i = 0; i < n; i++) people.push(await t.given.person(village));
  await t.app.get(Outbox).enqueue(
    t.db,
    people.map((p) => ({
      kind: 'closing_soon' as const,
      personId: p.personId,
      aboutPersonId: p.personId,
      divisionCode: village,
      proposalId: null,
      voteId: null,
      params: { greeting: `${p.realName}您好`, matter: '村东道路硬化工程', closes: '12月11日 08:00' },
    })),
  );
  const rows = await queryRows<{ id: string; person_id: string }>(
    t.db,
    `SELECT id, person_id FROM outbox_message WHERE person_id = ANY($1)`,
    [people.map((p) => p.personId)],
  );
  const phoneOf = new Map(people.map((p) => [p.personId, p.phone!]));
  return { ids: rows.map((r) => r.id), phones: new Map(rows.map((r) => [r.id, phoneOf.get(r.person_id)!])) };
}

describe('the sender with several processes', () => {
  it('two app instances racing on one database send each message exactly once', async () => {
    const village = villages.inA();
    const { ids, phones } = await queued(village, 40);
    // Enqueueing the same (kind, proposal, vote, elector) again adds nothing.
    const again = await queryRows<{ person_id: string }>(t.db, `SELECT person_id FROM outbox_message WHERE id = ANY($1)`, [ids]);
    const added = await t.app.get(Outbox).enqueue(
      t.db,
      again.map((r) => ({
        kind: 'closing_soon' as const,
        personId: r.person_id,
        aboutPersonId: r.person_id,
        divisionCode: village,
        proposalId: null,
        voteId: null,
        params: {},
      })),
    );
    expect(added).toBe(0);

    const other = await t.sibling({}, { smsProvider: provider });
    try {
      const a = t.app.get(OutboxSender);
      const b = other.app.get(OutboxSender);
      const before = provider.sent.length;
      const counts = await Promise.all([a.sendDue(), b.sendDue(), a.sendDue(), b.sendDue()]);
      const mine = provider.sent.slice(before).filter((s) => ids.includes(s.outId));
      expect(mine).toHaveLength(40);
      expect(new Set(mine.map((s) => s.outId)).size).toBe(40);
      expect(counts.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(40);
      // Each to the phone decrypted from the register at send time.
      for (const s of mine) expect(s.phone).toBe(phones.get(s.outId));
      expect((await rowsOf(ids)).every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('a failing provider', () => {
  it('is retried with backoff (1, 2, 4, 8 minutes), then failed; the committee sees it with its error and retries it by hand', async () => {
    const village = villages.inA();
    const { ids, phones } = await queued(village, 1);
    const [id] = ids;
    const sender = t.app.get(OutboxSender);
    const o = await officials(t, village);
    provider.mode = 'fail';
    try {
      const callsFor = () => provider.calls.filter((c) => c.outId === id).length;
      await sender.sendDue();
      expect(await rowsOf(ids)).toMatchObject([{ state: 'queued', attempts: 1, last_error: '短信服务暂时不可用（测试）' }]);
      for (const [wait, attempts] of [
        [1, 2],
        [2, 3],
        [4, 4],
      ] as const) {
        // Not before its time.
        t.clock.advance(wait * MIN - 2_000);
        await sender.sendDue();
        expect(callsFor()).toBe(attempts - 1);
        t.clock.advance(2_000);
        await sender.sendDue();
        expect(callsFor()).toBe(attempts);
        expect((await rowsOf(ids))[0]).toMatchObject({ state: 'queued', attempts });
      }
      const listed = ok(await outboxList({ state: 'queued', divisionCode: village }, o.committee.token));
      expect(listed.items.find((m: any) => m.id === id)).toMatchObject({ stateName: '等待重试（已失败 4 次）', attempts: 4 });
      t.clock.advance(8 * MIN);
      await sender.sendDue();
      expect(callsFor()).toBe(5);
      expect((await rowsOf(ids))[0]).toMatchObject({ state: 'failed', attempts: 5, last_error: '短信服务暂时不可用（测试）' });
      t.clock.advance(60 * MIN);
      await sender.sendDue();
      expect(callsFor()).toBe(5);
    } finally {
      provider.mode = 'ok';
    }

    const failed = ok(await outboxList({ state: 'failed' }, o.committee.token));
    const seen = failed.items.find((m: any) => m.id === id);
    const phone = phones.get(id)!;
    expect(seen).toMatchObject({
      kind: 'closing_soon',
      kindName: '表决即将截止',
      state: 'failed',
      stateName: '发送失败',
      attempts: 5,
      manualRetries: 0,
      lastError: '短信服务暂时不可用（测试）',
      phoneMasked: `${phone.slice(0, 3)}****${phone.slice(7)}`,
      relayForName: null,
      divisionCode: village,
    });
    expect(seen.text).toContain('"村东道路硬化工程"将于12月11日 08:00截止表决');
    expect(JSON.stringify(failed)).not.toContain(phone);

    // Another village's committee neither sees it nor retries it.
    const stranger = await t.given.user('village_committee', villages.inA());
    const strangerList = ok(await outboxList({ state: 'failed' }, stranger.token));
    expect(strangerList.items.some((m: any) => m.id === id)).toBe(false);
    expect((await t.api.post(`/api/v1/outbox/${id}/retry`, {}, stranger.token)).status).toBe(404);
    // A resident may not read the outbox at all.
    const resident = await t.given.user('resident', village);
    expect((await outboxList({}, resident.token)).status).toBe(403);

    expect((await t.api.post(`/api/v1/outbox/${id}/retry`, {}, o.committee.token)).status).toBe(204);
    expect((await rowsOf(ids))[0]).toMatchObject({ state: 'queued', attempts: 0, manual_retries: 1 });
    const audit = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'outbox.retry' AND target_id = $1`,
      [id],
    );
    expect(audit[0].n).toBe(1);
    await sender.sendDue();
    expect((await rowsOf(ids))[0]).toMatchObject({ state: 'sent', attempts: 1, manual_retries: 1 });
    const again = await t.api.post(`/api/v1/outbox/${id}/retry`, {}, o.committee.token);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('OUTBOX_MESSAGE_NOT_FAILED');
  });
});

describe('a process that dies mid-send', () => {
  it('leaves the message failed as "result unknown" when its lease expires, and it is not sent again by itself', async () => {
    const village = villages.inA();
    const { ids } = await queued(village, 1);
    const [id] = ids;
    provider.hang.add(id);
    const stuck = t.app.get(OutboxSender).sendDue();
    while (!provider.calls.some((c) => c.outId === id)) await new Promise((r) => setTimeout(r, 5));
    expect((await rowsOf(ids))[0].state).toBe('sending');

    const other = await t.sibling({}, { smsProvider: provider });
    try {
      const b = other.app.get(OutboxSender);
      // Within the lease the other process leaves it alone.
      await b.sendDue();
      expect((await rowsOf(ids))[0].state).toBe('sending');
      t.clock.advance(5 * MIN + 1_000);
      await b.sendDue();
      expect((await rowsOf(ids))[0]).toMatchObject({ state: 'failed', last_error: RESULT_UNKNOWN });
      expect(RESULT_UNKNOWN).toBe('发送结果未知（进程中断），请核实后手动重发');
      t.clock.advance(60 * MIN);
      await b.sendDue();
      expect(provider.calls.filter((c) => c.outId === id)).toHaveLength(1);
      expect((await rowsOf(ids))[0].state).toBe('failed');
    } finally {
      await other.close();
    }
    // The stuck send does finish: its result is known after all, under its own claim.
    provider.hang.delete(id);
    provider.releaseHung();
    await stuck;
    expect((await rowsOf(ids))[0].state).toBe('sent');
  });
});

describe('the statutory messages enqueue SMS for electors the app does not reach', () => {
  it('the meeting notice: no account or 无智能手机 with a phone → SMS; account and smartphone → none; no phone → through the helper', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const noAccount = await t.given.person(village, { roles: ['resident'], name: '张大爷' });
    const online = await t.given.user('resident', village);
    const flagged = await t.given.user('resident', village);
    const noPhone = await t.given.person(village, { roles: ['resident'], phone: null, name: '李奶奶' });
    const helper = await t.given.person(village, { name: '李小军' });
    const unreachable = await t.given.person(village, { roles: ['resident'], phone: null });
    await t.db.query(`UPDATE person SET no_smartphone = true WHERE id = $1`, [flagged.personId]);
    await t.db.query(`UPDATE person SET helper_person_id = $2 WHERE id = $1`, [noPhone.personId, helper.personId]);

    const id = await createDraft(t, o, village, { title: '村东道路硬化工程' });
    await throughPartyReview(t, o, village, id);
    ok(await t.api.post(`/api/v1/proposals/${id}/approve`, { comment: '同意' }, o.township.token));

    const rows = await queryRows<{ person_id: string; about_person_id: string; params: Record<string, string>; division_code: string }>(
      t.db,
      `SELECT person_id, about_person_id, params, division_code FROM outbox_message WHERE proposal_id = $1 AND kind = 'meeting_notice'`,
      [id],
    );
    const about = new Map(rows.map((r) => [r.about_person_id, r]));
    expect(about.get(noAccount.personId)).toMatchObject({ person_id: noAccount.personId, division_code: village });
    expect(about.get(noAccount.personId)!.params).toMatchObject({ greeting: '张大爷您好', body: '村民会议', matter: '村东道路硬化工程' });
    expect(about.get(flagged.personId)?.person_id).toBe(flagged.personId);
    expect(about.get(noPhone.personId)).toMatchObject({ person_id: helper.personId });
    expect(about.get(noPhone.personId)!.params.greeting).toBe('请转告李奶奶');
    expect(about.has(online.personId)).toBe(false);
    expect(about.has(unreachable.personId)).toBe(false);
    expect(about.has(o.committee.personId)).toBe(false);
    // No phone number is stored in the outbox.
    const raw = JSON.stringify(await queryRows(t.db, `SELECT * FROM outbox_message WHERE proposal_id = $1`, [id]));
    for (const p of [noAccount.phone!, flagged.phone, helper.phone!]) expect(raw).not.toContain(p);

    // The committee's list shows the relay; the sender reaches the helper's phone.
    const listed = ok(await outboxList({ proposalId: id }, o.committee.token));
    expect(listed.total).toBe(rows.length);
    const relay = listed.items.find((m: any) => m.relayForName === '李奶奶');
    expect(relay).toMatchObject({ recipientName: '李小军', kindName: '会议通知', state: 'queued' });
    expect(relay.text.startsWith('请转告李奶奶：本村将召开村民会议表决"村东道路硬化工程"')).toBe(true);
    const before = provider.sent.length;
    await t.app.get(OutboxSender).sendDue();
    const toHelper = provider.sent.slice(before).find((s) => s.outId === relay.id);
    expect(toHelper).toMatchObject({ phone: helper.phone, templateCode: 'T_meeting_notice' });
  });
});
