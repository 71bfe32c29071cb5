/**
 * Architecture boundaries of Convene, checked by `npm run lint`.
 *
 *   machines/    pure statecharts: xstate and each other, nothing else
 *   src/contract the browser–server contract (roles and what each may do, bodies,
 *                views): machines/ and zod only, shared with the server
 *   src/schema   the one owner of the Yjs document shape (shared with the server)
 *   src/sync     the only browser code that speaks the Yjs network protocol
 *   src/kit      what every feature shares (API client, router, notices): below the features
 *   src/app      the shell (routing, layout): nothing but src/main.tsx imports it
 *   server/      may take src/schema and src/contract from the browser code, nothing more
 *   test/, bench/ may import anything; nothing imports test/ but bench/ its harness (test/support/)
 *
 * test/lint/boundaries.test.ts proves each rule fires.
 */

/**
 * A package, wherever node_modules lives: `node_modules/zod/...`, or
 * `../../main/node_modules/zod/...` in a git worktree whose node_modules is a symlink.
 */
const pkg = (names) => `(^|/)node_modules/(${names})/`;

/** Packages that speak the Yjs sync protocol. */
const SYNC_PROTOCOL = pkg('y-websocket|y-protocols|y-indexeddb|@y/websocket-server');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'machines-only-xstate',
      comment:
        'machines/ are pure statecharts: they may import xstate (and its subpaths) and other files in machines/, nothing else.',
      severity: 'error',
      from: { path: '^machines/' },
      to: {
        pathNot: [`^(machines|src|server|test|scripts)/`, pkg('xstate')],
        dependencyTypesNot: ['core'],
        couldNotResolve: false,
      },
    },
    {
      name: 'machines-no-node-core',
      comment: 'machines/ run in the browser and on the server: no Node core modules (fs, node:*, ...).',
      severity: 'error',
      from: { path: '^machines/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'machines-no-app-code',
      comment: 'machines/ must not import src/, server/, test/ or scripts/: the dependency points the other way.',
      severity: 'error',
      from: { path: '^machines/' },
      to: { path: '^(src|server|test|scripts)/' },
    },
    {
      name: 'yjs-only-in-schema-and-server',
      comment: 'Only src/schema (the owner of the document shape), server/, test/ and bench/ may import yjs.',
      severity: 'error',
      from: { pathNot: '^(src/schema|server|test|bench)/' },
      to: { path: pkg('yjs') },
    },
    {
      name: 'sync-protocol-only-in-sync-and-server',
      comment: 'y-websocket, y-protocols and y-indexeddb belong to src/sync (browser), server/, test/ and bench/.',
      severity: 'error',
      from: { pathNot: '^(src/sync|server|test|bench)/' },
      to: { path: SYNC_PROTOCOL },
    },
    {
      name: 'contract-only-machines-and-zod',
      comment:
        'src/contract is shared by the browser and the server: it may import machines/, zod and itself, nothing else (no React, no Yjs, no Node).',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { pathNot: ['^(src/contract|machines)/', pkg('zod')], couldNotResolve: false },
    },
    {
      name: 'browser-contract-without-zod',
      comment:
        'Browser code takes values from the zod-free modules of src/contract (permissions, roles, limits); the barrel, the request schemas, the command schemas and the workshop schemas would put zod into the first download. Type-only imports are free.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/contract/' },
      to: { path: '^src/contract/(index|requests|commands|workshop)[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-only-schema-and-contract-from-src',
      comment: 'server/ may import from src/ only src/schema and src/contract.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^src/', pathNot: '^src/(schema|contract)/' },
    },
    {
      name: 'features-not-shell',
      comment:
        'src/app is the shell (routing, layout): features and the kit sit below it and never import it; shared pieces live in src/kit.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app/|main[.]tsx$)' },
      to: { path: '^src/app/' },
    },
    {
      name: 'kit-not-features',
      comment: 'src/kit is shared by every feature: it may take from src/ only src/kit, src/contract and src/schema.',
      severity: 'error',
      from: { path: '^src/kit/' },
      to: { path: '^src/', pathNot: '^src/(kit|contract|schema)/' },
    },
    {
      name: 'src-not-server',
      comment: 'Browser code (src/) must not import server code.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^server/' },
    },
    {
      name: 'production-not-test',
      comment: 'No production code imports test/.',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^test/' },
    },
    {
      name: 'bench-only-test-harness',
      comment: "bench/ may take the test harness's throwaway PostgreSQL, Redis and nginx (test/support/), nothing else of test/.",
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/', pathNot: '^test/support/' },
    },
    {
      name: 'no-circular',
      comment: 'No circular dependencies anywhere.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import must resolve; an unresolved one would slip past the rules above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // Anchored: a package's own dist/ folder (node_modules/yjs/dist/...) must stay visible.
    // Probe files of test/lint/boundaries.test.ts live for a moment only; the test cruises
    // them with its own --exclude (which replaces this one).
    exclude: { path: '^(dist|test-results|playwright-report|bench/results)/|__lint_probe_' },
    moduleSystems: ['es6', 'cjs'],
    // Type-only imports count: a `import type` from yjs still couples a module to it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    detectProcessBuiltinModuleCalls: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
