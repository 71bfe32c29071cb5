// `npm run start:prod`: the compiled server (`npm run build:server`) in this Node
// process, with no TypeScript loader, serving the client that `npm run build` made
// (docs/deploy.md). Unlike `npm start`, it builds nothing: a production start only
// runs what the deployment built. package.json starts this file with the production
// heap flags (PRODUCTION_NODE_FLAGS, scripts/serverProcess.ts), which must be given
// to node itself: the server runs in this process, after V8 has sized its heap.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const main = join(root, 'dist-server', 'server', 'main.js');
if (!existsSync(main)) {
  console.error(
    'There is no compiled server in dist-server/: run `npm run build:server` first (and `npm run build` for the client).',
  );
  process.exit(1);
}
await import(pathToFileURL(main).href);
