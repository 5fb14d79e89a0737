import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/web/**', 'coverage/**', '.data/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The codes' names and the API's answer shapes that the web UI imports too (apps/web/vite.config.ts):
    // they may import only each other, so no server code reaches the browser bundle.
    files: ['libs/*/src/names.ts', 'libs/*/src/views.ts', 'libs/identity/src/role-names.ts', 'libs/*/src/audit-names.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./names\\.js$)', message: 'The web imports this file: it may import only ./names.js (pure data).' }] },
      ],
    },
  },
  {
    // Test helpers read arbitrary JSON bodies from HTTP responses.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
