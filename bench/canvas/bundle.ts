/**
 * What the built client (dist/) sends before the first board can show, gzipped
 * at level 9: the initial JavaScript (the entry script of index.html and its
 * modulepreloads, which are all it imports statically), the initial CSS, and
 * then, for every chunk loaded on demand (each board, the layout engine), what
 * opening it adds to what is already loaded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChunkSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface LazyChunk {
  /** The chunk imported on demand. */
  file: string;
  /** Gzipped JavaScript that loading it fetches beyond the initial set (it and its static imports). */
  addedGzipBytes: number;
  files: string[];
}

export interface BundleFigures {
  initialJs: ChunkSize[];
  initialJsGzipBytes: number;
  initialCss: ChunkSize[];
  initialCssGzipBytes: number;
  lazy: LazyChunk[];
}

const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["']\.\/([\w.-]+\.js)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*[`"']\.\/([\w.-]+\.js)[`"']\s*\)/g;

export function bundleFigures(distDir: string): BundleFigures {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  const initialJs = new Set<string>();
  const initialCss = new Set<string>();
  for (const tag of tags) {
    if (tag.startsWith('<script') && attr(tag, 'type') === 'module' && attr(tag, 'src'))
      initialJs.add(attr(tag, 'src')!);
    if (tag.startsWith('<link') && attr(tag, 'rel') === 'modulepreload') initialJs.add(attr(tag, 'href')!);
    if (tag.startsWith('<link') && attr(tag, 'rel') === 'stylesheet') initialCss.add(attr(tag, 'href')!);
  }
  const file = (url: string) => url.replace(/^\//, '');
  const cache = new Map<string, ChunkSize>();
  const size = (path: string): ChunkSize => {
    const known = cache.get(path);
    if (known) return known;
    const content = readFileSync(join(distDir, path));
    const figures = { file: path, bytes: content.byteLength, gzipBytes: gzipSync(content, { level: 9 }).byteLength };
    cache.set(path, figures);
    return figures;
  };
  const source = (path: string) => readFileSync(join(distDir, path), 'utf8');
  const dir = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);
  /** A chunk and everything it imports statically. */
  const closure = (start: string): Set<string> => {
    const seen = new Set<string>();
    const queue = [start];
    while (queue.length > 0) {
      const path = queue.pop()!;
      if (seen.has(path)) continue;
      seen.add(path);
      for (const match of source(path).matchAll(STATIC_IMPORT)) queue.push(dir(path) + match[1]);
    }
    return seen;
  };

  const initial = new Set<string>();
  for (const url of initialJs) for (const path of closure(file(url))) initial.add(path);
  const lazyTargets = new Set<string>();
  const visited = new Set<string>();
  const scan = (path: string) => {
    if (visited.has(path)) return;
    visited.add(path);
    for (const match of source(path).matchAll(DYNAMIC_IMPORT)) {
      const target = dir(path) + match[1];
      if (!initial.has(target)) lazyTargets.add(target);
      for (const p of closure(target)) scan(p);
    }
  };
  for (const path of initial) scan(path);

  const initialList = [...initial].map(size);
  const cssList = [...initialCss].map((url) => size(file(url)));
  const lazy = [...lazyTargets].sort().map((target) => {
    const files = [...closure(target)].filter((p) => !initial.has(p));
    return { file: target, addedGzipBytes: files.reduce((n, p) => n + size(p).gzipBytes, 0), files };
  });
  return {
    initialJs: initialList,
    initialJsGzipBytes: initialList.reduce((n, c) => n + c.gzipBytes, 0),
    initialCss: cssList,
    initialCssGzipBytes: cssList.reduce((n, c) => n + c.gzipBytes, 0),
    lazy,
  };
}
