import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import vueParser from 'vue-eslint-parser';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/web/dist/**', 'coverage/**', '.data/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  ...pluginVue.configs['flat/recommended'],
  {
    // The web's components: Vue's template parser, TypeScript (type-checked) inside <script setup lang="ts">.
    files: ['apps/web/**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: { parser: tseslint.parser, projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.vue'] },
    },
    // Layout is Prettier's (npm run lint checks it); these rules of Vue's would fight it.
    rules: {
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-indent': 'off',
      'vue/html-self-closing': 'off',
      // It calls `{} as Record<…>` and `'x' as Union` inside reactive({…}) unnecessary, and its fix widens
      // the form's field types (reactive's type parameter accepts anything): wrong for these components.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.vue'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // A `default:` branch is a deliberate catch-all (a switch over a string).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      // An async method that awaits nothing is how an interface's async member is implemented synchronously.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A controller's answer is declared (from its lib's routes.ts), never inferred.
    files: ['libs/*/src/**/*.controller.ts'],
    rules: { '@typescript-eslint/explicit-function-return-type': 'error' },
  },
  {
    // The codes' names and the API's answer shapes that the web UI imports too (apps/web/vite.config.ts):
    // they may import only each other, so no server code reaches the browser bundle.
    files: [
      'libs/*/src/names.ts',
      'libs/*/src/views.ts',
      'libs/*/src/*routes.ts',
      'libs/identity/src/role-names.ts',
      'libs/*/src/audit-names.ts',
      'libs/platform/src/http/contract.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(?!(\\./(names|views|role-names|[a-z-]*routes)\\.js|\\.\\./\\.\\./[a-z]+/src/(names|views|role-names)\\.js|\\.\\./\\.\\./platform/src/http/contract\\.js)$)',
              message: 'The web imports this file: it may import only the shared names, views and the contract (pure data and types).',
            },
          ],
        },
      ],
    },
  },
  {
    // Test helpers read arbitrary JSON bodies from HTTP responses.
    // (The test client's bodies are `any` by design: the tests assert on their shape.)
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
