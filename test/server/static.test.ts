/**
 * The built client as the real server serves it, from a dist/ directory made
 * here: assets and app routes are served, source maps never are, even when a
 * build left them on disk. (test/e2e/source-maps.spec.ts checks the real build.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startHarness, type Harness } from './harness.ts';
import { dashboardPreloads } from '../../server/static.ts';

let dist: string;
let harness: Harness;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'convene-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><title>Convene</title><script type="module" src="/assets/index-abc.js"></script>',
  );
  writeFileSync(
    join(dist, 'assets', 'index-abc.js'),
    'console.log("client");\n//# sourceMappingURL=index-abc.js.map\n',
  );
  writeFileSync(
    join(dist, 'assets', 'index-abc.js.map'),
    '{"version":3,"sources":["../src/main.tsx"],"sourcesContent":["secret"]}',
  );
  writeFileSync(join(dist, 'assets', 'index-abc.css.MAP'), '{"version":3}');
  harness = await startHarness({ staticDir: dist });
});
afterAll(async () => {
  await harness.stop();
  rmSync(dist, { recursive: true, force: true });
});

/** A raw GET or HEAD: the path goes out exactly as written (no URL normalisation). */
function get(path: string, method = 'GET'): Promise<{ status: number; type?: string; link?: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(harness.url + path, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          link: res.headers.link?.toString(),
          text: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static client', () => {
  it('serves the assets and the app for app routes', async () => {
    const script = await get('/assets/index-abc.js');
    expect(script.status).toBe(200);
    expect(script.type).toBe('text/javascript; charset=utf-8');
    expect(script.text).toContain('console.log("client")');
    for (const route of ['/', '/i/some-initiative', '/report/Zm9yLXRoZS1wdWJsaWMtcmVwb3J0LXRva2VuLTMyYnl0ZXM']) {
      const page = await get(route);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<title>Convene</title>');
    }
  });

  it('never serves a source map, however it is asked for', async () => {
    for (const [path, method] of [
      ['/assets/index-abc.js.map', 'GET'],
      ['/assets/index-abc.js.map', 'HEAD'],
      ['/assets/index-abc.js%2Emap', 'GET'],
      ['/assets/index-abc.js%2emap', 'GET'],
      ['/assets/index-abc.css.MAP', 'GET'],
      ['/assets/../assets/index-abc.js.map', 'GET'],
      ['/assets/missing.js.map', 'GET'],
    ]) {
      const res = await get(path, method);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.text).not.toContain('sourcesContent');
    }
  });

  it('asks the browser to preload the session and the portfolio on the home page only', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.link).toMatch(
      /^<\/api\/session>; rel=preload; as=fetch; crossorigin=anonymous, <\/api\/portfolio>; rel=preload; as=fetch; crossorigin=anonymous$/,
    );
    for (const path of ['/i/some-initiative', '/join/abc', '/assets/index-abc.js'])
      expect((await get(path)).link).toBeUndefined();
  });

  it("preloads the dashboard's chunk, the chunks it imports and its stylesheet, as the build's manifest names them", () => {
    const manifest = {
      'index.html': { file: 'assets/index-1.js', isEntry: true, imports: ['_jsx.js'] },
      _jsx: { file: 'assets/jsx-2.js' },
      '_jsx.js': { file: 'assets/jsx-2.js' },
      '_when.js': { file: 'assets/when-3.js', imports: ['_jsx.js'] },
      'src/portfolio/PortfolioDashboard.tsx': {
        file: 'assets/PortfolioDashboard-4.js',
        imports: ['_jsx.js', 'index.html', '_when.js'],
        css: ['assets/PortfolioDashboard-5.css'],
      },
    };
    expect(dashboardPreloads(manifest)).toEqual([
      '</assets/PortfolioDashboard-4.js>; rel=modulepreload',
      '</assets/jsx-2.js>; rel=modulepreload',
      '</assets/when-3.js>; rel=modulepreload',
      '</assets/PortfolioDashboard-5.css>; rel=preload; as=style; crossorigin=anonymous',
    ]);
    expect(dashboardPreloads({})).toEqual([]);
  });
});
