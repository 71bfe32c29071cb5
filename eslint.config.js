// ESLint flat config. Fast rules only (no type information); architecture
// boundaries live in .dependency-cruiser.cjs, formatting in Prettier.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default defineConfig([
  {
    ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/results/', 'data/'],
  },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Do not inject HTML: render text, or build elements. Stakeholder content comes from other people.',
        },
        {
          selector: "Property[key.name='dangerouslySetInnerHTML']",
          message: 'Do not inject HTML: render text, or build elements. Stakeholder content comes from other people.',
        },
      ],
    },
  },
]);
