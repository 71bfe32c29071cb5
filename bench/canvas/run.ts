/**
 * Over 400 lines on purpose: one runnable script, its measurements in the order they run, read top to bottom.
 *
 * `npm run bench:canvas`: the stakeholder map with 1,000 cards and 1,500 links,
 * in Chromium (Playwright), against a plain React Flow page with the same graph
 * and no Yjs (bench/canvas/reference).
 *
 * Convene runs as deployed: the built client (dist/, rebuilt when stale) served
 * by server/main.ts as a child process (port 0, throwaway data directory); the
 * board is loaded through the import API and opened by an invited participant.
 * The reference is served by a static server in this process. Both are opened
 * in a fresh browser context per run (no cache, no offline copy), their runs
 * interleaved, and each figure is the median over the runs:
 *
 * - time to first render: navigation start to every card shown (Convene: and
 *   the status "Live");
 * - frames per second while dragging one card, and while panning the empty
 *   canvas (animation frames counted in the page during the gesture);
 * - JS heap used (after a forced GC) after the first render and after the gestures.
 *
 * Then, Convene only: the growth of the stored document when one card is
 * dragged through 1,000 mouse moves, and the gzip size of the initial
 * JavaScript (and of each board loaded on demand). Prints a table; writes
 * bench/results/canvas-<date>.json. Loopback only; stops by itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { chromium, type Browser, type BrowserContext, type Cookie, type Page } from '@playwright/test';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { CHROMIUM, CHROMIUM_ARGS, api, startConvene, type ConveneUnderTest } from '../servers.ts';
import { bundleFigures, type BundleFigures } from './bundle.ts';
import { CARDS, COLUMNS, LINKS, generateGraph, stakeholderId } from './graph.ts';
import {
  NAME_SHIM,
  emptyPanePoint,
  renderedMarks,
  startFrames,
  stopFrames,
  watchFirstRender,
  type FrameRecord,
  type RenderMarks,
} from './probe.ts';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const referenceDir = join(root, 'bench', 'canvas', 'reference');
const REPS = Number(process.env.BENCH_REPS ?? 3);
const SEED = 20261122;
const VIEWPORT = { width: 1600, height: 1000 };
/** Each measured gesture: 180 mouse moves at 60 Hz (3 s). */
const GESTURE_STEPS = 180;
const GESTURE_INTERVAL_MS = 1000 / 60;
/** The document growth: 1,000 mouse moves at 250 Hz (4 s), about a pixel each. */
const GROWTH_STEPS = 1000;
const GROWTH_INTERVAL_MS = 4;
/** The card dragged in every run: the middle of the grid. */
const DRAGGED = stakeholderId(16 * COLUMNS + 16);
/** The card dragged through 1,000 moves for the document growth. */
const GROWTH_CARD = stakeholderId(15 * COLUMNS + 12);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (text: string) => console.log(`[${(performance.now() / 1000).toFixed(0).padStart(3)} s] ${text}`);
/** BENCH_VERBOSE=1 logs every step of every run. */
const step = (text: string) => process.env.BENCH_VERBOSE && log(`  ${text}`);

// --- builds -------------------------------------------------------------------

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) if (entry !== 'dist') latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Runs `vite build` when `built` is missing or older than any of `sources` (as scripts/start.mjs does). */
function buildIfStale(what: string, built: string, sources: string[], args: string[]): void {
  const present = sources.filter(existsSync);
  if (existsSync(built) && Math.max(...present.map(newest)) <= statSync(built).mtimeMs) return;
  log(`Building ${what} (vite build)…`);
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', ...args],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error(`vite build of ${what} failed (${result.status})`);
}

// --- the reference page's server ------------------------------------------------

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

/** Serves bench/canvas/reference/dist and the graph at /graph.json, on loopback. */
async function startStatic(graphJson: string): Promise<{ url: string; server: Server }> {
  const dist = join(referenceDir, 'dist');
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/graph.json') {
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' });
      return res.end(graphJson);
    }
    const file = join(dist, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

// --- one run in the browser -----------------------------------------------------

interface Side {
  name: 'convene' | 'reference';
  url: string;
  cookies: Cookie[];
}

export interface RunFigures {
  firstRenderMs: number;
  /** Convene: when the status first said "Live". */
  liveMs: number | null;
  firstCardMs: number;
  heapAfterRenderMb: number;
  dragFps: number;
  dragLongestFrameMs: number;
  /** Pointer events the page handled during the drag (GESTURE_STEPS moves sent), and how often the card moved on screen. */
  dragMovesReceived: number;
  dragUpdatesShown: number;
  /** The longest frame in the second after the card is released (Convene writes the position then). */
  dropLongestFrameMs: number;
  panFps: number;
  panLongestFrameMs: number;
  panMovesReceived: number;
  panUpdatesShown: number;
  heapAfterGesturesMb: number;
}

async function newContext(browser: Browser, side: Side, needLive: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(NAME_SHIM);
  await context.addInitScript(watchFirstRender, { expected: CARDS, needLive });
  if (side.cookies.length > 0) await context.addCookies(side.cookies);
  return context;
}

async function firstRender(page: Page): Promise<RenderMarks> {
  const handle = await page.waitForFunction(renderedMarks, null, { timeout: 60_000, polling: 100 });
  return (await handle.jsonValue()) as RenderMarks;
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return round((metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024);
}

interface GestureFigures {
  fps: number;
  longestFrameMs: number;
  /** Mouse moves sent, pointer moves the page received, and the moves those stand for. */
  movesSent: number;
  movesReceived: number;
  movesCoalesced: number;
  /** How often the dragged card (or, panning, the viewport) moved on screen. */
  updatesShown: number;
  ms: number;
}

function frameFigures(record: FrameRecord, movesSent: number): GestureFigures {
  const { times } = record;
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
  const ms = times.length > 1 ? times[times.length - 1] - times[0] : 0;
  return {
    fps: ms > 0 ? round(((times.length - 1) / ms) * 1000) : 0,
    longestFrameMs: round(longest),
    movesSent,
    movesReceived: record.moves,
    movesCoalesced: record.coalescedMoves,
    updatesShown: record.styleChanges,
    ms: round(ms),
  };
}

type Point = { x: number; y: number };

/** A point on a loop from `from`: `steps` of them go round `turns` times while drifting right by `drift` px. */
function loop(from: Point, i: number, steps: number, radius: number, turns: number, drift: number): Point {
  const angle = (2 * Math.PI * turns * i) / steps;
  return { x: from.x + radius * Math.sin(angle) + (drift * i) / steps, y: from.y + radius * (1 - Math.cos(angle)) };
}

interface Path {
  steps: number;
  intervalMs: number;
  radius: number;
  turns: number;
  drift: number;
}

/** The measured gestures go once round a loop and end where they started, so every run starts from the same board. */
const GESTURE: Path = { steps: GESTURE_STEPS, intervalMs: GESTURE_INTERVAL_MS, radius: 60, turns: 1, drift: 0 };

/**
 * Presses the left button at `from` and moves the mouse along a loop like a
 * real pointer: one move every `intervalMs`, whether or not the page keeps up
 * (the browser merges the moves that queue up, as it does for a real mouse).
 * Frames are counted from the press until the page has handled the last move.
 * Answers the figures and the release.
 */
async function gesture(page: Page, from: Point, path: Path, watch: string) {
  const { steps, intervalMs } = path;
  const cdp = await page.context().newCDPSession(page);
  const mouse = (type: 'mouseMoved' | 'mousePressed' | 'mouseReleased', at: Point, pressed: boolean) =>
    cdp.send('Input.dispatchMouseEvent', {
      type,
      x: at.x,
      y: at.y,
      button: type === 'mouseMoved' && !pressed ? 'none' : 'left',
      buttons: pressed || type === 'mouseReleased' ? 1 : 0,
      clickCount: type === 'mouseMoved' ? 0 : 1,
    });
  await mouse('mouseMoved', from, false);
  await page.evaluate(startFrames, watch);
  await mouse('mousePressed', from, true);
  const sent: Promise<unknown>[] = [];
  const started = performance.now();
  let last = from;
  for (let i = 1; i <= steps; i++) {
    const wait = started + i * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    last = loop(from, i, steps, path.radius, path.turns, path.drift);
    sent.push(mouse('mouseMoved', last, true));
  }
  await Promise.all(sent);
  const figures = frameFigures(await page.evaluate(stopFrames), steps);
  const release = async () => {
    await mouse('mouseReleased', last, false);
    await cdp.detach();
  };
  return { figures, release };
}

/** Drags the card `id`; answers the gesture's figures and the longest frame in the second after the release. */
async function dragCard(page: Page, id: string, side: string) {
  const card = page.locator(`.react-flow__node[data-id="${id}"]`);
  const box = await card.boundingBox();
  if (!box) throw new Error(`card ${id} is not on the canvas`);
  const profiler = PROFILE_DIR ? await startProfile(page) : null;
  const { figures, release } = await gesture(
    page,
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
    GESTURE,
    `.react-flow__node[data-id="${id}"]`,
  );
  if (profiler) await profiler.stop(join(PROFILE_DIR!, `${side}-drag-${Date.now()}.cpuprofile`));
  await page.evaluate(startFrames, null);
  await release();
  await sleep(1000);
  const drop = frameFigures(await page.evaluate(stopFrames), 0);
  if (figures.updatesShown === 0) throw new Error(`the drag did not move card ${id}`);
  return { drag: figures, dropLongestFrameMs: drop.longestFrameMs };
}

/**
 * With BENCH_PROFILE=<dir>, each drag is recorded with Chromium's CPU profiler
 * into <dir>/<side>-drag-<time>.cpuprofile (open it in Chromium's DevTools);
 * with BENCH_TRACE=1 as well, as a performance trace (<...>.trace.json).
 * The profiler slows the page: figures from such a run are not comparable.
 */
const PROFILE_DIR = process.env.BENCH_PROFILE || null;

async function startProfile(page: Page): Promise<{ stop(file: string): Promise<void> }> {
  if (process.env.BENCH_TRACE) {
    // A full trace instead (style, layout, paint: what the CPU profile shows as "(program)").
    const browser = page.context().browser()!;
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    return {
      async stop(file) {
        const trace = await browser.stopTracing();
        mkdirSync(PROFILE_DIR!, { recursive: true });
        writeFileSync(file.replace(/\.cpuprofile$/, '.trace.json'), trace);
      },
    };
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(PROFILE_DIR!, { recursive: true });
      writeFileSync(file, JSON.stringify(profile));
      await cdp.detach();
    },
  };
}

/** Pans by dragging the empty canvas. */
async function pan(page: Page) {
  const from = await page.evaluate(emptyPanePoint);
  if (!from) throw new Error('no empty spot on the canvas to pan from');
  const { figures, release } = await gesture(page, from, { ...GESTURE, radius: 80 }, '.react-flow__viewport');
  await release();
  if (figures.updatesShown === 0) throw new Error('the pan did not move the canvas');
  return figures;
}

async function measureRun(
  browser: Browser,
  side: Side,
): Promise<{ figures: RunFigures; canvas: { width: number; height: number; zoom: number } }> {
  const context = await newContext(browser, side, side.name === 'convene');
  try {
    const page = await context.newPage();
    await page.goto(side.url);
    const marks = await firstRender(page);
    step(`${side.name}: rendered`);
    const canvas = (await page.locator('.react-flow').first().boundingBox())!;
    const transform = (await page.locator('.react-flow__viewport').first().getAttribute('style')) ?? '';
    const zoom = Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? NaN);
    // Let the first render's tail (minimap, late effects) settle before measuring anything else.
    await sleep(500);
    const heapAfterRenderMb = await heapMb(page);
    step(`${side.name}: heap`);
    const { drag, dropLongestFrameMs } = await dragCard(page, DRAGGED, side.name);
    step(`${side.name}: dragged`);
    const panned = await pan(page);
    step(`${side.name}: panned`);
    const heapAfterGesturesMb = await heapMb(page);
    step(`${side.name}: heap`);
    const figures: RunFigures = {
      firstRenderMs: round(marks.renderedMs!),
      liveMs: marks.liveMs === null ? null : round(marks.liveMs),
      firstCardMs: round(marks.firstCardMs!),
      heapAfterRenderMb,
      dragFps: drag.fps,
      dragLongestFrameMs: drag.longestFrameMs,
      dragMovesReceived: drag.movesReceived,
      dragUpdatesShown: drag.updatesShown,
      dropLongestFrameMs,
      panFps: panned.fps,
      panLongestFrameMs: panned.longestFrameMs,
      panMovesReceived: panned.movesReceived,
      panUpdatesShown: panned.updatesShown,
      heapAfterGesturesMb,
    };
    return {
      figures,
      canvas: { width: Math.round(canvas.width), height: Math.round(canvas.height), zoom: round(zoom, 3) },
    };
  } finally {
    await context.close();
    step(`${side.name}: closed`);
  }
}

// --- Convene: the board, the participant, the document -------------------------

async function prepareConvene(convene: ConveneUnderTest, exportFile: unknown): Promise<{ id: string; invite: string }> {
  const { id } = await api(convene.url, 'POST', '/api/initiatives', convene.adminToken, {
    name: 'Canvas benchmark',
    issue: 'A board with 1,000 cards and 1,500 links',
  });
  await api(convene.url, 'POST', `/api/initiatives/${id}/import`, convene.adminToken, exportFile);
  const { token } = await api(convene.url, 'POST', `/api/initiatives/${id}/invites`, convene.adminToken, {
    role: 'participant',
  });
  return { id, invite: token as string };
}

/** The participant opens the invite link and chooses a name, as people do; answers the session cookie. */
async function joinThroughInvite(browser: Browser, convene: ConveneUnderTest, invite: string): Promise<Cookie[]> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.goto(`${convene.url}/join/${invite}`);
    await page.getByLabel('Your name').fill('Bench participant');
    await page.getByRole('button', { name: 'Join the initiative' }).click();
    await page.waitForURL(/\/i\/[^/]+/);
    return await context.cookies();
  } finally {
    await context.close();
  }
}

function connectNode(
  convene: ConveneUnderTest,
  id: string,
): { doc: Y.Doc; provider: WebsocketProvider; synced: Promise<void> } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${convene.url.replace('http', 'ws')}/collab`, id, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token: convene.adminToken },
  });
  // No presence: this client must not show on the board.
  provider.awareness.setLocalState(null);
  const synced = new Promise<void>((r, reject) => {
    const timer = setTimeout(() => reject(new Error('the benchmark client never synced')), 30_000);
    provider.once('sync', () => {
      clearTimeout(timer);
      r();
    });
  });
  return { doc, provider, synced };
}

/** The document as a fresh client gets it from the server: its encoded size. */
async function encodedSize(convene: ConveneUnderTest, id: string): Promise<number> {
  const client = connectNode(convene, id);
  await client.synced;
  const bytes = Y.encodeStateAsUpdate(client.doc).byteLength;
  client.provider.destroy();
  client.doc.destroy();
  return bytes;
}

/** The room's update log in the server's SQLite file (read only). */
function storedLog(convene: ConveneUnderTest, id: string): { entries: number; bytes: number } {
  const db = new Database(join(convene.dataDir, 'convene.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare('SELECT count(*) AS entries, coalesce(sum(length(data)), 0) AS bytes FROM doc_updates WHERE room = ?')
      .get(id) as {
      entries: number;
      bytes: number;
    };
    return row;
  } finally {
    db.close();
  }
}

export interface GrowthFigures {
  card: string;
  /** The drag: moves sent, received by the page, frames per second meanwhile. */
  drag: GestureFigures;
  encodedBytesBefore: number;
  encodedBytesAfter: number;
  encodedGrowthBytes: number;
  storedLogBefore: { entries: number; bytes: number };
  storedLogAfter: { entries: number; bytes: number };
  storedLogGrowthBytes: number;
  /** Document updates the server relayed while the mouse moved, then after the release. */
  updatesDuringDrag: number;
  updateBytesDuringDrag: number;
  updatesAfterRelease: number;
  updateBytesAfterRelease: number;
}

/** One card dragged through 1,000 mouse moves, then released: how much the stored document grows. */
async function documentGrowth(
  browser: Browser,
  side: Side,
  convene: ConveneUnderTest,
  id: string,
): Promise<GrowthFigures> {
  const context = await newContext(browser, side, true);
  const watcher = connectNode(convene, id);
  try {
    const page = await context.newPage();
    await page.goto(side.url);
    await firstRender(page);
    await watcher.synced;
    await sleep(1000);
    const encodedBytesBefore = await encodedSize(convene, id);
    const storedLogBefore = storedLog(convene, id);

    const during: number[] = [];
    const after: number[] = [];
    let released = false;
    watcher.doc.on('update', (update: Uint8Array) => (released ? after : during).push(update.byteLength));
    const box = await page.locator(`.react-flow__node[data-id="${GROWTH_CARD}"]`).boundingBox();
    if (!box) throw new Error(`card ${GROWTH_CARD} is not on the canvas`);
    // About a pixel per move: two turns of an 80 px loop, drifting 40 px to the right.
    const { figures, release } = await gesture(
      page,
      { x: box.x + box.width / 2, y: box.y + box.height / 2 },
      { steps: GROWTH_STEPS, intervalMs: GROWTH_INTERVAL_MS, radius: 80, turns: 2, drift: 40 },
      `.react-flow__node[data-id="${GROWTH_CARD}"]`,
    );
    await sleep(500);
    released = true;
    await release();
    for (let i = 0; i < 100 && after.length === 0; i++) await sleep(100);
    if (after.length === 0) throw new Error('the drop never reached the server');
    await sleep(1000);
    const encodedBytesAfter = await encodedSize(convene, id);
    const storedLogAfter = storedLog(convene, id);
    return {
      card: GROWTH_CARD,
      drag: figures,
      encodedBytesBefore,
      encodedBytesAfter,
      encodedGrowthBytes: encodedBytesAfter - encodedBytesBefore,
      storedLogBefore,
      storedLogAfter,
      storedLogGrowthBytes: storedLogAfter.bytes - storedLogBefore.bytes,
      updatesDuringDrag: during.length,
      updateBytesDuringDrag: during.reduce((n, b) => n + b, 0),
      updatesAfterRelease: after.length,
      updateBytesAfterRelease: after.reduce((n, b) => n + b, 0),
    };
  } finally {
    watcher.provider.destroy();
    watcher.doc.destroy();
    await context.close();
  }
}

// --- main -----------------------------------------------------------------------

function summarise(runs: RunFigures[]): RunFigures {
  const pick = (f: (r: RunFigures) => number | null) => {
    const values = runs.map(f).filter((v): v is number => v !== null);
    return values.length > 0 ? round(median(values)) : null;
  };
  return {
    firstRenderMs: pick((r) => r.firstRenderMs)!,
    liveMs: pick((r) => r.liveMs),
    firstCardMs: pick((r) => r.firstCardMs)!,
    heapAfterRenderMb: pick((r) => r.heapAfterRenderMb)!,
    dragFps: pick((r) => r.dragFps)!,
    dragLongestFrameMs: pick((r) => r.dragLongestFrameMs)!,
    dragMovesReceived: pick((r) => r.dragMovesReceived)!,
    dragUpdatesShown: pick((r) => r.dragUpdatesShown)!,
    dropLongestFrameMs: pick((r) => r.dropLongestFrameMs)!,
    panFps: pick((r) => r.panFps)!,
    panLongestFrameMs: pick((r) => r.panLongestFrameMs)!,
    panMovesReceived: pick((r) => r.panMovesReceived)!,
    panUpdatesShown: pick((r) => r.panUpdatesShown)!,
    heapAfterGesturesMb: pick((r) => r.heapAfterGesturesMb)!,
  };
}

/** Kilobytes of 1,000 bytes, as Vite reports them. */
const kb = (bytes: number) => `${round(bytes / 1000)} kB`;

async function main(): Promise<void> {
  process.setMaxListeners(0);
  // Stops by itself: a hung run fails after six minutes.
  setTimeout(() => {
    console.error('The benchmark took more than six minutes; giving up.');
    process.exit(1);
  }, 6 * 60_000).unref();
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: sudo apt-get install chromium, or set CHROMIUM_PATH.`);
  const startedAt = new Date();

  buildIfStale(
    'the client',
    join(root, 'dist', 'index.html'),
    ['src', 'machines', 'index.html', 'vite.config.ts', 'package-lock.json'].map((p) => join(root, p)),
    [],
  );
  buildIfStale(
    'the reference page',
    join(referenceDir, 'dist', 'index.html'),
    [referenceDir, join(root, 'bench', 'canvas', 'graph.ts'), join(root, 'package-lock.json')],
    ['--config', join(referenceDir, 'vite.config.ts')],
  );
  const bundle: BundleFigures = bundleFigures(join(root, 'dist'));

  const graph = generateGraph(SEED);
  const convene = await startConvene();
  const statics = await startStatic(JSON.stringify(graph.reference));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const { id, invite } = await prepareConvene(convene, graph.exportFile);
    log(
      `Convene at ${convene.url}: initiative ${id} holds ${CARDS} stakeholders and ${LINKS} relationships; reference at ${statics.url}`,
    );
    const ours: Side = {
      name: 'convene',
      url: `${convene.url}/i/${id}`,
      cookies: await joinThroughInvite(browser, convene, invite),
    };

    // A warm-up run of each (not counted); Convene's also gives the canvas size the reference copies.
    log('Warming up');
    const { canvas } = await measureRun(browser, ours);
    const reference: Side = {
      name: 'reference',
      url: `${statics.url}/?w=${canvas.width}&h=${canvas.height}`,
      cookies: [],
    };
    const referenceCanvas = (await measureRun(browser, reference)).canvas;
    log(
      `Canvas ${canvas.width} x ${canvas.height} px in a ${VIEWPORT.width} x ${VIEWPORT.height} window, zoom ${canvas.zoom} ` +
        `(reference: ${referenceCanvas.width} x ${referenceCanvas.height} px, zoom ${referenceCanvas.zoom})`,
    );

    const runs: Record<'convene' | 'reference', RunFigures[]> = { convene: [], reference: [] };
    for (let rep = 0; rep < REPS; rep++) {
      for (const side of rep % 2 === 0 ? [ours, reference] : [reference, ours]) {
        const { figures } = await measureRun(browser, side);
        runs[side.name].push(figures);
        log(
          `run ${rep + 1}/${REPS} ${side.name}: first render ${figures.firstRenderMs} ms, drag ${figures.dragFps} fps, pan ${figures.panFps} fps, heap ${figures.heapAfterRenderMb} MB`,
        );
      }
    }
    const medians = { convene: summarise(runs.convene), reference: summarise(runs.reference) };
    const ratios = {
      dragFps: round(medians.convene.dragFps / medians.reference.dragFps, 2),
      panFps: round(medians.convene.panFps / medians.reference.panFps, 2),
      firstRender: round(medians.convene.firstRenderMs / medians.reference.firstRenderMs, 2),
      heapAfterRender: round(medians.convene.heapAfterRenderMb / medians.reference.heapAfterRenderMb, 2),
    };

    log(`Dragging one card through ${GROWTH_STEPS} moves`);
    const growth = await documentGrowth(browser, ours, convene, id);

    const stakeholderChunk = bundle.lazy.find((c) => /StakeholderBoard/.test(c.file));
    const targets = {
      dragFpsRatio: { target: '>= 0.9', value: ratios.dragFps, met: ratios.dragFps >= 0.9 },
      panFpsRatio: { target: '>= 0.8', value: ratios.panFps, met: ratios.panFps >= 0.8 },
      firstRenderRatio: { target: '<= 1.15', value: ratios.firstRender, met: ratios.firstRender <= 1.15 },
      firstRenderMs: {
        target: '< 2000',
        value: medians.convene.firstRenderMs,
        met: medians.convene.firstRenderMs < 2000,
      },
      documentGrowthBytes: {
        target: '< 5120',
        value: growth.encodedGrowthBytes,
        met: growth.encodedGrowthBytes < 5120,
      },
      initialJsGzipBytes: {
        target: '<= 200000',
        value: bundle.initialJsGzipBytes,
        met: bundle.initialJsGzipBytes <= 200_000,
      },
    };

    console.log(
      `\nBoard of ${CARDS} cards and ${LINKS} links, ${VIEWPORT.width} x ${VIEWPORT.height} window, medians of ${REPS} runs each`,
    );
    const row = (label: string, f: (r: RunFigures) => number | null, ratio?: number) => ({
      figure: label,
      convene: f(medians.convene),
      reference: f(medians.reference),
      ratio: ratio ?? null,
    });
    console.table([
      row('first render (ms)', (r) => r.firstRenderMs, ratios.firstRender),
      row('  "Live" (ms)', (r) => r.liveMs),
      row('  first card (ms)', (r) => r.firstCardMs),
      row('drag (fps)', (r) => r.dragFps, ratios.dragFps),
      row('  longest frame (ms)', (r) => r.dragLongestFrameMs),
      row(`  pointer events handled (${GESTURE_STEPS} moves sent)`, (r) => r.dragMovesReceived),
      row('  card moved on screen (times)', (r) => r.dragUpdatesShown),
      row('drop, longest frame (ms)', (r) => r.dropLongestFrameMs),
      row('pan (fps)', (r) => r.panFps, ratios.panFps),
      row('  longest frame (ms)', (r) => r.panLongestFrameMs),
      row(`  pointer events handled (${GESTURE_STEPS} moves sent)`, (r) => r.panMovesReceived),
      row('  view moved on screen (times)', (r) => r.panUpdatesShown),
      row('JS heap after render (MB)', (r) => r.heapAfterRenderMb, ratios.heapAfterRender),
      row('JS heap after gestures (MB)', (r) => r.heapAfterGesturesMb),
    ]);
    console.log(
      `Document after one card dragged through ${growth.drag.movesSent} moves (${growth.drag.movesReceived} pointer events in the page, ${growth.drag.fps} fps): ${growth.encodedBytesBefore} -> ${growth.encodedBytesAfter} bytes encoded (+${growth.encodedGrowthBytes}); ` +
        `stored log +${growth.storedLogGrowthBytes} bytes (${growth.storedLogBefore.entries} -> ${growth.storedLogAfter.entries} entries); ` +
        `${growth.updatesDuringDrag} document updates while moving, ${growth.updatesAfterRelease} (${growth.updateBytesAfterRelease} bytes) after release`,
    );
    console.log(
      `Initial JavaScript: ${kb(bundle.initialJsGzipBytes)} gzipped (${bundle.initialJs.map((c) => `${c.file} ${kb(c.gzipBytes)}`).join(', ')}); initial CSS ${kb(bundle.initialCssGzipBytes)}`,
    );
    for (const chunk of bundle.lazy)
      console.log(`  on demand: ${chunk.file} adds ${kb(chunk.addedGzipBytes)} (${chunk.files.join(', ')})`);
    if (stakeholderChunk) {
      console.log(
        `  the initiative page with the stakeholder map open: ${kb(bundle.initialJsGzipBytes + stakeholderChunk.addedGzipBytes)} of JavaScript`,
      );
    }
    console.log('Targets:');
    for (const [name, t] of Object.entries(targets))
      console.log(`  ${name}: ${t.value} (target ${t.target}) ${t.met ? 'met' : 'MISSED'}`);

    const report = {
      date: startedAt.toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, chromium: browser.version() },
      graph: { cards: CARDS, links: LINKS, seed: SEED },
      viewport: VIEWPORT,
      canvas: { convene: canvas, reference: referenceCanvas },
      reps: REPS,
      gesture: { steps: GESTURE_STEPS, hz: 60 },
      runs,
      medians,
      ratios,
      documentGrowth: growth,
      bundle: {
        ...bundle,
        pageWithStakeholderMapJsGzipBytes: stakeholderChunk
          ? bundle.initialJsGzipBytes + stakeholderChunk.addedGzipBytes
          : null,
      },
      targets,
    };
    const dir = join(root, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `canvas-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    console.log(`\nWritten to ${file} (${(performance.now() / 1000).toFixed(0)} s)`);
  } finally {
    await browser.close();
    statics.server.close();
    await convene.stop();
    rmSync(convene.dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
