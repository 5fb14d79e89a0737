import { readFileSync } from 'node:fs';
import vm from 'node:vm';

// The libs are listed once, in package.json's "imports" (#name → its built index); tests map each to its source.
const libs = Object.keys(JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).imports).map((k) => k.slice(1));

/** Jest on Node ESM: ts-jest in isolated (transpile-only) mode; `#lib` aliases map to the lib sources. */

// From Node 24.9 Jest require()s an ES module natively (it checks this same capability), so those
// packages must then be left as they are: transpiled to CommonJS, Jest would still load them as ESM.
const requiresEsmNatively = typeof vm.SourceTextModule?.prototype.hasAsyncGraph === 'function';
const esmOnly = requiresEsmNatively
  ? {}
  : {
      // ESM-only dependencies that CommonJS packages require(): Node loads them natively, Jest's
      // own module loader (before Node 24.9) does not, so they are transpiled to CommonJS for the
      // test runtime only.
      '^.+/node_modules/(content-disposition|cookie|file-type)/.+\\.js$': [
        'ts-jest',
        { useESM: false, diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true } },
      ],
    };

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    [`^#(${libs.join('|')})$`]: '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
    ...esmOnly,
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie|file-type)/)'],
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/seeds/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
      testTimeout: 120000,
    },
  ],
  maxWorkers: 2,
  testTimeout: 60000,
};
