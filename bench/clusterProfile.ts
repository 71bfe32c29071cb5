/**
 * Where the processes of `bench:cluster` spend their CPU per update: reads the
 * main-thread profiles that `npm run bench:cluster -- --profile DIR` writes
 * (DIR/cluster/wN: the three processes on PostgreSQL and Redis; DIR/single/wN:
 * the one process on SQLite; N the workload) and prints, per workload, the busy
 * time of the cluster (its three processes summed) and of the single process by
 * category, from the first append on (the setup before it is left out).
 *
 *   node --import tsx bench/clusterProfile.ts DIR
 *
 * As in bench/cpuProfile.ts, a sample goes to the category of the innermost
 * frame that matches one; "catch-ups" is counted apart, as every sample with a
 * room link's fetch from storage anywhere on its stack.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { busyByCategory, CATEGORIES, mainProfiles } from './cpuProfile.ts';

/** The cluster's own parts first (PostgreSQL's client, Redis's, the fan-out), then bench:sync's categories. */
const CLUSTER_CATEGORIES: [string, RegExp][] = [
  ['idle', /^\(idle\)/],
  ['garbage collector', /^\(garbage collector\)/],
  ['PostgreSQL client (pg, pg-protocol)', /nm:pg\/|nm:pg-protocol|nm:pg-pool|nm:pg-types|nm:postgres-|server\/storage\/postgres|server\/pg\//],
  ['Redis client (ioredis)', /nm:ioredis|nm:redis-parser|nm:denque|nm:@ioredis/],
  ['fan-out and room link', /server\/sync\/(fanout|roomLink)/],
  ...CATEGORIES.filter(([name]) => name !== 'idle' && name !== 'garbage collector'),
];
const CATCH_UP: [string, RegExp][] = [['catch-ups', /^(fetch|catchUp) server\/sync\/roomLink|^loadSince /]];
const FROM = /^append server\/storage\/appendQueue/;

function workloads(dir: string): string[] {
  const out: string[] = [];
  for (let w = 1; existsSync(join(dir, 'cluster', `w${w}`)); w++) out.push(`w${w}`);
  return out;
}

const sum = (maps: Map<string, number>[]) => {
  const out = new Map<string, number>();
  for (const m of maps) for (const [k, v] of m) out.set(k, (out.get(k) ?? 0) + v);
  return out;
};
const busy = (m: Map<string, number>) => [...m].filter(([k]) => k !== 'idle').reduce((s, [, v]) => s + v, 0);

function main(dir: string): void {
  const names = workloads(dir);
  if (names.length === 0) throw new Error(`${dir}: no cluster/w1; run bench:cluster -- --profile ${dir} first`);
  const cluster = names.map((w) => sum(mainProfiles(join(dir, 'cluster', w)).map((p) => busyByCategory(p, FROM, CLUSTER_CATEGORIES))));
  const single = names.map((w) => sum(mainProfiles(join(dir, 'single', w)).map((p) => busyByCategory(p, FROM, CLUSTER_CATEGORIES))));
  const catchUps = names.map((w) => sum(mainProfiles(join(dir, 'cluster', w)).map((p) => busyByCategory(p, FROM, CATCH_UP))));
  console.log(`| Main-thread busy ms: cluster, 3 processes summed (share) / single | ${names.join(' | ')} |`);
  console.log(`|---|${names.map(() => '---').join('|')}|`);
  for (const name of [...CLUSTER_CATEGORIES.map(([n]) => n).filter((n) => n !== 'idle'), 'other']) {
    const cells = cluster.map((c, i) => `${(c.get(name) ?? 0).toFixed(0)} (${(((c.get(name) ?? 0) / busy(c)) * 100).toFixed(0)} %) / ${(single[i].get(name) ?? 0).toFixed(0)}`);
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  console.log(`| of which catch-ups (room link fetch, anywhere on the stack) | ${catchUps.map((c) => (c.get('catch-ups') ?? 0).toFixed(0)).join(' | ')} |`);
  console.log(`| **busy** | ${cluster.map((c, i) => `${busy(c).toFixed(0)} / ${busy(single[i]).toFixed(0)} (${(busy(c) / busy(single[i])).toFixed(2)}x)`).join(' | ')} |`);
}

if (process.argv[1]?.endsWith('clusterProfile.ts')) {
  if (!process.argv[2]) {
    console.error('usage: node --import tsx bench/clusterProfile.ts DIR (the directory given to bench:cluster --profile)');
    process.exit(2);
  }
  main(process.argv[2]);
}
