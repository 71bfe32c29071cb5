/**
 * The server's production build (`npm run build:server`, scripts/buildServer.ts):
 * server/main.ts and everything it imports, packages included, bundled by Vite
 * (Rolldown) into one ES module, dist-server/server/main.js, plus one file per
 * module loaded only on demand (the SQLite stores and the demo on PostgreSQL, pg and
 * ioredis on SQLite). It runs with plain Node (`npm run start:prod`).
 *
 * Why a bundle rather than tsc's one file per module: a process held 95 modules of
 * zod, 28 of lib0 and every file of the server apart, each with its own module
 * record and its source kept in the heap; one tree-shaken file without doc
 * comments, in ASCII (a single non-ASCII character stores the whole source as
 * two bytes a character), is 4–5 MB less heap (docs/performance.md, "session 21:
 * memory"). It is not minified: names and lines stay readable in stack traces.
 *
 * Left out of the bundle: better-sqlite3 (a native addon, loaded from
 * node_modules), and the optional native helpers that pg and ws try to load and
 * do without (pg-native, bufferutil, utf-8-validate).
 */
import { defineConfig } from 'vite';

export const EXTERNAL = ['better-sqlite3', 'pg-native', 'bufferutil', 'utf-8-validate'];

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  ssr: { noExternal: true, external: EXTERNAL },
  build: {
    ssr: 'server/main.ts',
    outDir: 'dist-server/server',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    rollupOptions: {
      external: EXTERNAL,
      output: {
        format: 'esm',
        entryFileNames: 'main.js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        charset: 'ascii',
        comments: { legal: false, annotation: false, jsdoc: false },
      },
    },
  },
});
