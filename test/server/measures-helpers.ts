/**
 * What the shared-measurement tests share: indicators put on a real
 * initiative's framework board (through the server's own room, as an edit
 * from the canvas lands), and raw reads that keep the bytes the server sent.
 */
import { request, type IncomingMessage } from 'node:http';
import type { Frequency } from '../../machines/measures/periods.ts';
import { createEntity, updateEntity } from '../../src/schema/index.ts';
import type { Harness } from './harness.ts';

export interface IndicatorSpec {
  name: string;
  unit?: string;
  direction?: 'increase' | 'decrease';
  frequency?: Frequency;
  subgroups?: string[];
  definition?: string;
}

/** Creates indicators on the framework board and answers their ids, in order. */
export async function addIndicators(h: Harness, initiativeId: string, specs: IndicatorSpec[]): Promise<string[]> {
  return h.convene.rooms.withDoc(initiativeId, (doc) =>
    specs.map((spec, i) =>
      createEntity(
        doc,
        'indicator',
        {
          name: spec.name,
          definition: spec.definition ?? `How ${spec.name.toLowerCase()} is counted.`,
          unit: spec.unit ?? 'percent',
          direction: spec.direction ?? 'increase',
          frequency: spec.frequency ?? 'yearly',
          subgroups: spec.subgroups ?? [],
        },
        [{ board: 'framework', position: { x: 300 * i, y: 600 } }],
      ),
    ),
  );
}

/** Writes the goal and a strategy linked to `indicatorIds` on the framework board. */
export async function addGoalAndStrategy(h: Harness, initiativeId: string, goal: string, strategy: string, indicatorIds: string[]): Promise<string> {
  return h.convene.rooms.withDoc(initiativeId, (doc) => {
    updateEntity(doc, 'goal', { statement: goal });
    return createEntity(doc, 'strategy', { name: strategy, description: `${strategy}, across the county.`, indicatorIds }, [
      { board: 'framework', position: { x: 0, y: 300 } },
    ]);
  });
}

/** One request, answering the status and the body exactly as its bytes arrived. */
export function rawCall(h: Harness, method: string, path: string, token: string, body?: string, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = contentType;
  return new Promise((resolve, reject) => {
    const req = request(h.url + path, { method, headers, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An initiative's event stream read raw: every byte kept, and the events parsed as they come. */
export interface RawStream {
  /** Everything received so far. */
  readonly text: string;
  /** Resolves with the data of the first event, from the start of the stream, named `event` that `accept` approves. */
  until<T>(event: string, accept?: (data: T) => boolean): Promise<T>;
  /** Every event received so far named `event`, its data parsed. */
  all<T>(event: string): T[];
  close(): void;
}

export async function openRawStream(h: Harness, initiativeId: string, token: string): Promise<RawStream> {
  const controller = new AbortController();
  const res = await fetch(`${h.url}/api/initiatives/${initiativeId}/workflow/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`the event stream answered ${res.status}`);
  const decoder = new TextDecoder();
  let text = '';
  const events: { event: string; data: unknown }[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const reader = res.body!.getReader();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      text += decoder.decode(value, { stream: true });
      const blocks = text.split('\n\n');
      events.length = 0;
      for (const block of blocks.slice(0, -1)) {
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (event && data !== undefined) events.push({ event, data: JSON.parse(data) });
      }
      for (const wake of [...waiters]) wake();
    }
  })();
  const find = <T>(event: string, accept: (data: T) => boolean) =>
    events.find((e) => e.event === event && accept(e.data as T))?.data as T | undefined;
  return {
    get text() {
      return text;
    },
    until<T>(event: string, accept: (data: T) => boolean = () => true) {
      return new Promise<T>((resolve) => {
        const check = () => {
          const found = find(event, accept);
          if (found === undefined) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      });
    },
    all: <T>(event: string) => events.filter((e) => e.event === event).map((e) => e.data as T),
    close: () => controller.abort(),
  };
}
