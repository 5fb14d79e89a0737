import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '#platform';

/**
 * The libs are listed once, in package.json's "imports" (#name → ./dist/libs/name/src/index.js): the
 * compiler maps those to the sources, Jest builds its module map from them, Vite's shared-file rule
 * is a pattern over libs/. nest-cli.json cannot read another file, so this test holds it to the list.
 */
const root = projectRoot();
const json = (f: string) => JSON.parse(readFileSync(path.join(root, f), 'utf8')) as Record<string, unknown>;

describe('the list of libs', () => {
  const imports = json('package.json').imports as Record<string, string>;
  const listed = Object.keys(imports)
    .map((k) => k.slice(1))
    .sort();

  it('package.json names every folder under libs/, each mapped to its built index', () => {
    const folders = readdirSync(path.join(root, 'libs'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(listed).toEqual(folders);
    for (const name of listed) expect(imports[`#${name}`]).toBe(`./dist/libs/${name}/src/index.js`);
  });

  it('nest-cli.json has a library project for each and no other', () => {
    const projects = json('nest-cli.json').projects as Record<string, { type: string; root: string; sourceRoot: string }>;
    const libraries = Object.entries(projects).filter(([, p]) => p.type === 'library');
    expect(libraries.map(([n]) => n).sort()).toEqual(listed);
    for (const [n, p] of libraries) expect([p.root, p.sourceRoot]).toEqual([`libs/${n}`, `libs/${n}/src`]);
  });

  it('tsconfig.json has no second list (no "paths")', () => {
    const text = readFileSync(path.join(root, 'tsconfig.json'), 'utf8');
    expect(text).not.toContain('"paths"');
  });
});
