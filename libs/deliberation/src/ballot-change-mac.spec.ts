import { createHmac } from 'node:crypto';
import { ballotChangeKey, ballotChangeMac } from './ballot-change-mac.js';

const PII_HASH_KEY = Buffer.from('b'.repeat(64), 'hex');
const key = ballotChangeKey(PII_HASH_KEY);
const PROPOSAL = '0f2b6a1e-9c3d-4e5f-a1b2-c3d4e5f60718';
const VOTER = '7a8b9cad-becf-40d1-a2b3-c4d5e6f70819';
const OTHER = '7a8b9cad-becf-40d1-a2b3-c4d5e6f7081a';
const RECEIPT = 'K7Q2ZP9X4M1B';

describe('ballotChangeMac', () => {
  it('is HMAC-SHA256 under HKDF-SHA256(PII_HASH_KEY, "sangong ballot-change v1") over the ids and the receipt', () => {
    // Computed independently (Python hmac/hashlib, RFC 5869 by hand); a change of label or encoding
    // would make every MAC stored in an open vote unmatchable, so it must show up here.
    expect(key.export().toString('hex')).toBe('5fe23115ef401aae92f9f8e71a911a356b9c0833ed722c82353bceab86c986c1');
    expect(ballotChangeMac(key, PROPOSAL, VOTER, RECEIPT).toString('hex')).toBe(
      '0093c803f757902d53f48e19f4b956b51e8561b0443a455e63833f2fe0ef52cf',
    );
  });

  it('does not depend on the letter case of ids or receipt', () => {
    const mac = ballotChangeMac(key, PROPOSAL, VOTER, RECEIPT);
    expect(ballotChangeMac(key, PROPOSAL.toUpperCase(), VOTER.toUpperCase(), RECEIPT.toLowerCase())).toEqual(mac);
  });

  it('changes with the voter, the receipt, the proposal and the key', () => {
    const mac = ballotChangeMac(key, PROPOSAL, VOTER, RECEIPT);
    expect(mac).toHaveLength(32);
    expect(ballotChangeMac(key, PROPOSAL, OTHER, RECEIPT)).not.toEqual(mac);
    expect(ballotChangeMac(key, PROPOSAL, VOTER, 'K7Q2ZP9X4M1C')).not.toEqual(mac);
    expect(ballotChangeMac(key, OTHER, VOTER, RECEIPT)).not.toEqual(mac);
    expect(ballotChangeMac(ballotChangeKey(Buffer.from('c'.repeat(64), 'hex')), PROPOSAL, VOTER, RECEIPT)).not.toEqual(mac);
  });

  it('uses a key of its own, not PII_HASH_KEY itself', () => {
    expect(key.export().equals(PII_HASH_KEY)).toBe(false);
    const unkeyed = createHmac('sha256', PII_HASH_KEY).update(`${PROPOSAL}${VOTER}${RECEIPT}`).digest();
    expect(unkeyed).not.toEqual(ballotChangeMac(key, PROPOSAL, VOTER, RECEIPT));
  });

  it('refuses what is not an id or a receipt code', () => {
    expect(() => ballotChangeMac(key, 'not-a-uuid', VOTER, RECEIPT)).toThrow();
    expect(() => ballotChangeMac(key, PROPOSAL, VOTER, 'SHORT')).toThrow();
    expect(() => ballotChangeMac(key, PROPOSAL, VOTER, 'K7Q2ZP9X4M1B0')).toThrow();
  });
});
