/**
 * Where a server's CPU goes per update: reads the main-thread profiles that
 * `npm run bench:sync -- --profile DIR` writes (DIR/convene, DIR/reference; one
 * per workload, in the order run) and prints, per workload, the busy time of
 * each server by category, from the first relayed update to the end (the
 * setup before it, HTTP invites and module loading, is left out).
 *
 *   node --import tsx bench/cpuProfile.ts DIR
 *
 * A sample goes to the category of the innermost frame on its stack that
 * matches one (so a writev under Y.applyUpdate counts as the relay, not Yjs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Categories, innermost match first; `idle` is not busy time. */
export const CATEGORIES: [string, RegExp][] = [
  ['idle', /^\(idle\)/],
  ['garbage collector', /^\(garbage collector\)/],
  ['metrics (prom-client)', /prom-client|server\/metrics\.ts/],
  ['SQLite append', /^append server\/storage\/sqlite\.ts|better-sqlite3/],
  ['validation decode (Y.decodeUpdate)', /^decodeUpdate(V2)? nm:yjs/],
  ['portfolio figures (timer)', /server\/portfolio|machines\/|src\/schema/],
  ['presence', /y-protocols\/awareness|server\/sync\/presence/],
  ['relay: ws send + writev', /^send nm:ws\/lib\/(websocket|sender)\.js|^writev |^Writable\.uncork|^clearBuffer|^Socket\._write/],
  ['Yjs and the room (apply, update event, encode)', /nm:yjs|nm:lib0/],
  ['ws receive (frames)', /nm:ws\/lib\/receiver|socketOnData|onStreamRead/],
  ['auth, people, HTTP', /server\/people|server\/auth|server\/api|server\/http/],
];

/** A frame's file: `nm:<package>/…` in node_modules, else from the checkout's top folder (server/, src/…). */
function short(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  if (path.includes('node_modules/')) return path.replace(/.*node_modules\//, 'nm:');
  return path.replace(/.*\/(server|src|machines|bench)\//, '$1/');
}
const frameKey = (n: ProfileNode) => `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}`;

/** Milliseconds per category (`categories`, CATEGORIES by default), from the first sample whose stack holds a frame matching `from`. */
export function busyByCategory(profile: CpuProfile, from: RegExp, categories: [string, RegExp][] = CATEGORIES): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, number>();
  let started = false;
  for (let i = 0; i < profile.samples.length; i++) {
    const stack: string[] = [];
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) stack.push(frameKey(byId.get(id)!));
    started ||= stack.some((k) => from.test(k));
    if (!started) continue;
    // A sample's time is the delta to the next sample.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const category = stack.map((k) => categories.find(([, re]) => re.test(k))?.[0]).find(Boolean) ?? 'other';
    out.set(category, (out.get(category) ?? 0) + ms);
  }
  return out;
}

/** The main-thread profiles (thread 0) of a directory, oldest first. */
export function mainProfiles(dir: string): CpuProfile[] {
  return readdirSync(dir)
    .filter((f) => /\.0\.\d+\.cpuprofile$/.test(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile);
}

function main(dir: string): void {
  const convene = mainProfiles(join(dir, 'convene')).map((p) => busyByCategory(p, /^append server\/storage\/appendQueue\.ts/));
  const reference = mainProfiles(join(dir, 'reference')).map((p) => busyByCategory(p, /^updateHandler nm:@y\/websocket-server/));
  if (convene.length === 0 || convene.length !== reference.length) throw new Error(`${dir}: ${convene.length} Convene and ${reference.length} reference profiles; expected one pair per workload`);
  const busy = (m: Map<string, number>) => [...m].filter(([k]) => k !== 'idle').reduce((s, [, v]) => s + v, 0);
  const names = [...CATEGORIES.map(([name]) => name).filter((n) => n !== 'idle'), 'other'];
  console.log(`| Main-thread busy ms: Convene (share) / reference | ${convene.map((_, i) => `workload ${i + 1}`).join(' | ')} |`);
  console.log(`|---|${convene.map(() => '---').join('|')}|`);
  for (const name of names) {
    const cells = convene.map((c, i) => `${(c.get(name) ?? 0).toFixed(0)} (${(((c.get(name) ?? 0) / busy(c)) * 100).toFixed(0)} %) / ${(reference[i].get(name) ?? 0).toFixed(0)}`);
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  console.log(`| **busy** | ${convene.map((c, i) => `${busy(c).toFixed(0)} / ${busy(reference[i]).toFixed(0)} (${(busy(c) / busy(reference[i])).toFixed(2)}x)`).join(' | ')} |`);
}

if (process.argv[1]?.endsWith('cpuProfile.ts')) {
  if (!process.argv[2]) {
    console.error('usage: node --import tsx bench/cpuProfile.ts DIR (the directory given to bench:sync --profile)');
    process.exit(2);
  }
  main(process.argv[2]);
}
