// ESLint flat config. Fast rules only (no type information), except the two
// promise rules for server/ and scripts/; architecture boundaries live in
// .dependency-cruiser.cjs, formatting in Prettier.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const NO_INNER_HTML = [
  {
    selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
    message: 'Do not inject HTML: render text, or build elements. Stakeholder content comes from other people.',
  },
  {
    selector: "Property[key.name='dangerouslySetInnerHTML']",
    message: 'Do not inject HTML: render text, or build elements. Stakeholder content comes from other people.',
  },
];

/** Who may do what is one table (src/contract/permissions.ts): no role is compared or listed anywhere else. */
const ROLE_CHECK_MESSAGE =
  'Ask the table instead: can(role, action) from src/contract/permissions.ts (add a row there if no action fits).';
const MEMBER_ROLE = '/^(lead|facilitator|participant|observer)$/';
const NO_ROLE_CHECKS = [
  { selector: `BinaryExpression[operator=/^[!=]==?$/] > Literal[value=${MEMBER_ROLE}]`, message: ROLE_CHECK_MESSAGE },
  {
    selector: "BinaryExpression[operator=/^[!=]==?$/]:has(> [name='role'], > [property.name='role']) > Literal[value='admin']",
    message: ROLE_CHECK_MESSAGE,
  },
  { selector: `ArrayExpression > Literal[value=${MEMBER_ROLE}]`, message: ROLE_CHECK_MESSAGE },
  { selector: `SwitchCase > Literal[value=${MEMBER_ROLE}]`, message: ROLE_CHECK_MESSAGE },
];

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
    rules: { 'no-restricted-syntax': ['error', ...NO_INNER_HTML, ...NO_ROLE_CHECKS] },
  },
  {
    // The contract is where roles are named: the table itself.
    files: ['src/contract/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...NO_INNER_HTML] },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...NO_ROLE_CHECKS] },
  },
  {
    // Every store answers a promise (#14): one not awaited, or tested as a condition
    // (`if (people.member(...))` is always true), is a bug. These two rules need types.
    files: ['server/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
]);
