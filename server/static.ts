/**
 * Serves the built client from `dist/`, with the SPA's index.html for app routes.
 * Source maps are never served (404), even when a build left some in `dist/`.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Headers for every page: no inline scripts, no framing, no sniffing. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * What the home page needs beyond its own script, asked for by the browser
 * while it still reads the page instead of once the script runs (issue #13,
 * the dashboard drawn in under a second): the session and the portfolio
 * (src/home/firstRequests.ts; same-origin with the cookie, as the page's own
 * fetch asks, so that fetch takes the preloaded answer), and the dashboard's
 * chunk with what it imports, named by the build's manifest.
 */
export const HOME_PRELOADS =
  '</api/session>; rel=preload; as=fetch; crossorigin=anonymous, </api/portfolio>; rel=preload; as=fetch; crossorigin=anonymous';

/** The module the home page loads for a backbone lead or the admin. */
const DASHBOARD_SOURCE = 'src/portfolio/PortfolioDashboard.tsx';

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}

/** Link header entries for the dashboard's chunk, its imported chunks (not the entry) and its stylesheets; none without a manifest. */
export function dashboardPreloads(manifest: Record<string, ManifestChunk>): string[] {
  const scripts = new Set<string>();
  const styles = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || chunk.isEntry || scripts.has(chunk.file)) return;
    scripts.add(chunk.file);
    for (const css of chunk.css ?? []) styles.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(DASHBOARD_SOURCE);
  return [
    ...[...scripts].map((file) => `</${file}>; rel=modulepreload`),
    ...[...styles].map((file) => `</${file}>; rel=preload; as=style; crossorigin=anonymous`),
  ];
}

function readManifest(base: string): Record<string, ManifestChunk> {
  try {
    return JSON.parse(readFileSync(join(base, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  } catch {
    return {};
  }
}

export function staticFiles(root: string) {
  const base = resolve(root);
  const homeLinks = [HOME_PRELOADS, ...dashboardPreloads(readManifest(base))].join(', ');
  return (req: IncomingMessage, res: ServerResponse, pathname: string): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let file = normalize(join(base, decodeURIComponent(pathname)));
    if (extname(file).toLowerCase() === '.map') return false;
    if (file !== base && !file.startsWith(base + sep)) return false;
    const isAsset = existsSync(file) && statSync(file).isFile();
    if (!isAsset) {
      // App routes (/, /join/…, /i/…) get the client; missing assets are 404s.
      if (extname(pathname)) return false;
      file = join(base, 'index.html');
      if (!existsSync(file)) return false;
    }
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
      ...(pathname === '/' ? { link: homeLinks } : {}),
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
