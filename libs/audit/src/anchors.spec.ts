import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AnchorFileError, appendAnchor, parseAnchors, readAnchors } from './anchors.js';

const H = 'ab'.repeat(32);

describe('audit anchors', () => {
  it('reads one JSON object a line and skips blank lines', () => {
    expect(parseAnchors(`{"seq":"1","hash":"${H}","at":"2026-11-29T00:00:00.000Z"}\n\n{"seq":"42","hash":"${H}"}\n`)).toEqual([
      { seq: '1', hash: H, at: '2026-11-29T00:00:00.000Z' },
      { seq: '42', hash: H },
    ]);
  });

  it.each([
    ['not JSON', 'seq=1', /第 1 行不是 JSON/],
    ['seq as a number', `{"seq":1,"hash":"${H}"}`, /第 1 行应为/],
    ['seq 0', `{"seq":"0","hash":"${H}"}`, /第 1 行应为/],
    ['short hash', `{"seq":"3","hash":"abc"}`, /第 1 行应为/],
    ['upper-case hash', `{"seq":"3","hash":"${H.toUpperCase()}"}`, /第 1 行应为/],
    ['null', 'null', /第 1 行应为/],
  ])('refuses %s, naming the line', (_name, line, message) => {
    expect(() => parseAnchors(line)).toThrow(AnchorFileError);
    expect(() => parseAnchors(line)).toThrow(message);
  });

  it('names the line of a bad entry after good ones', () => {
    expect(() => parseAnchors(`{"seq":"1","hash":"${H}"}\n{"seq":"2"}`)).toThrow(/第 2 行/);
  });

  it('appends lines that read back in order; a missing file has no anchors', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'anchors-'));
    try {
      const file = path.join(dir, 'audit-anchors.jsonl');
      expect(await readAnchors(file)).toEqual([]);
      await appendAnchor(file, { seq: '5', hash: H, at: 'x' });
      await appendAnchor(file, { seq: '9', hash: 'cd'.repeat(32) });
      expect(await readAnchors(file)).toEqual([
        { seq: '5', hash: H, at: 'x' },
        { seq: '9', hash: 'cd'.repeat(32) },
      ]);
      await writeFile(file, 'garbage\n', { flag: 'a' });
      await expect(readAnchors(file)).rejects.toThrow(/第 3 行不是 JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
