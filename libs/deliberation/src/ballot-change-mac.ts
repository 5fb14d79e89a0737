import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * The proof that lets only a secret ballot's own voter change it (docs/secret-ballot.md).
 *
 * While a vote that allows changes is open, the voter's participation row holds
 * HMAC-SHA256(K, proposal id ‖ voter person id ‖ receipt code). A change recomputes it for the
 * caller (or the grantor whose written proxy the caller holds) and the receipt given, and the choice
 * is updated only if that row holds the same value: someone else's receipt gives another value.
 * Without K the column links no participation row to a receipt; it is erased when the vote closes.
 *
 * The proposal id stands in for the vote id, which the batched insert only learns inside its
 * statement: a proposal has at most one open vote (vote_one_open_per_proposal), the MAC lives on
 * that vote's own participation row, is checked only there and only while the vote is open.
 */
const LABEL = 'sangong ballot-change v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RECEIPT = /^[0-9A-Z]{12}$/;

/** K, derived once from PII_HASH_KEY so that it is never stored in the database. */
export function ballotChangeKey(piiHashKey: Buffer): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', piiHashKey, Buffer.alloc(0), LABEL, 32)));
}

/**
 * 32 bytes over a fixed-length input: the two ids as lower-case canonical text (36 characters each)
 * and the upper-case receipt (12), so no two inputs encode alike and letter case does not matter.
 * One update of one string: cheaper than three Buffer conversions on the ballot's hot path.
 */
export function ballotChangeMac(key: KeyObject, proposalId: string, voterPersonId: string, receiptCode: string): Buffer {
  const receipt = receiptCode.toUpperCase();
  if (!UUID.test(proposalId) || !UUID.test(voterPersonId)) throw new Error('ballot change MAC: not a uuid');
  if (!RECEIPT.test(receipt)) throw new Error('ballot change MAC: not a receipt code');
  return createHmac('sha256', key).update(`${proposalId.toLowerCase()}${voterPersonId.toLowerCase()}${receipt}`, 'latin1').digest();
}
