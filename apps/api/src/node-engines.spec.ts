import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '#platform';

/** The part of semver (a devDependency, without type declarations) this test uses. */
interface Semver {
  subset(sub: string, dom: string, options?: { includePrerelease?: boolean }): boolean;
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
}
const semver = createRequire(path.join(projectRoot(), 'package.json'))('semver') as Semver;

interface LockedPackage {
  engines?: { node?: string } | string[];
}
const root = projectRoot();
const json = <T>(f: string) => JSON.parse(readFileSync(path.join(root, f), 'utf8')) as T;
const engines = json<{ engines: { node: string } }>('package.json').engines.node;
const lock = json<{ packages: Record<string, LockedPackage> }>('package-lock.json');

/**
 * package.json's engines.node is the supported runtime (issue 10 §7): `npm ci` on any version it admits
 * must print no EBADENGINE warning, which npm prints for every installed package whose own engines.node
 * the running Node.js does not satisfy. Both sides are in package-lock.json, so the promise is checked
 * as a subset: every version engines admits is one every locked package admits.
 */
describe("package.json's engines", () => {
  it('admits only Node.js versions every locked package accepts (no EBADENGINE warning from npm ci)', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([name]) => name !== '')
      .flatMap(([name, p]) => {
        const node = Array.isArray(p.engines) ? undefined : p.engines?.node;
        return node && !semver.subset(engines, node) ? [`${name.replace(/^.*node_modules\//, '')} wants ${node}`] : [];
      });
    expect(refusing).toEqual([]);
  });

  it('is a current LTS line, not Node.js 20 (past end of life), and the lock file says the same', () => {
    expect(semver.satisfies('20.19.0', engines)).toBe(false);
    expect(['22', '24'].filter((major) => semver.subset(`^${major}.999.0`, engines))).toEqual(['22', '24']);
    expect((lock.packages[''] as { engines?: { node?: string } }).engines?.node).toBe(engines);
  });

  it('is written as ^X.Y.Z and >=X.Y.Z alternatives, the forms scripts/node-lts.sh reads before npm ci', () => {
    const parts = engines.split('||').map((s) => s.trim());
    expect(parts.filter((part) => !/^(\^|>=)\d+\.\d+\.\d+$/.test(part))).toEqual([]);
  });

  it('admits the Node.js running these tests (.ci/run runs them on a supported one)', () => {
    expect([process.version, semver.satisfies(process.version, engines)]).toEqual([process.version, true]);
  });
});
