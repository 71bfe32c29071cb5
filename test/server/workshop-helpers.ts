/**
 * What the workshop tests share: a workshop stream read as a person's page
 * reads it (every byte kept, for the privacy tests), an agenda, and the people
 * of an initiative with their sectors.
 */
import { request } from 'node:http';
import type { Harness } from './harness.ts';

/** `GET …/workshops/:wid/stream` as one person: events by name, and every byte received. */
export interface WorkshopStream {
  /** Everything received so far, as text. */
  bytes(): string;
  /** The next event named `event` not yet taken (others are skipped), its data parsed; null once the stream ended. */
  next<T>(event: string): Promise<T | null>;
  /** Waits until an event named `event` whose data `accept` approves has arrived; answers it. */
  until<T>(event: string, accept: (data: T) => boolean): Promise<T>;
  close(): void;
}

export function openWorkshopStream(url: string, path: string, token: string): Promise<WorkshopStream> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.destroy();
        return reject(new Error(`the workshop stream answered ${res.statusCode}`));
      }
      let raw = '';
      let buffer = '';
      let ended = false;
      const events: { event: string; data: unknown }[] = [];
      let taken = 0;
      const waiters = new Set<() => void>();
      const wake = () => {
        for (const w of [...waiters]) w();
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
        wake();
      });
      res.on('close', () => {
        ended = true;
        wake();
      });
      const wait = () => new Promise<void>((r) => waiters.add(function once() {
        waiters.delete(once);
        r();
      }));
      resolve({
        bytes: () => raw,
        async next<T>(event: string): Promise<T | null> {
          for (;;) {
            while (taken < events.length) {
              const e = events[taken++];
              if (e.event === event) return e.data as T;
            }
            if (ended) return null;
            await wait();
          }
        },
        async until<T>(event: string, accept: (data: T) => boolean): Promise<T> {
          for (let seen = 0; ; ) {
            for (; seen < events.length; seen++) {
              const e = events[seen];
              if (e.event === event && accept(e.data as T)) return e.data as T;
            }
            if (ended) throw new Error(`the stream ended before a matching "${event}" event`);
            await wait();
          }
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
    req.end();
  });
}

export const AGENDA = [
  { title: 'Welcome and purpose', minutes: 10, activity: 'discuss', prompt: 'Why are we here?' },
  { title: 'Map the landscape', minutes: 20, activity: 'brainstorm', board: 'stakeholders', prompt: 'Who works on youth substance use?' },
  { title: 'Choose our first strategies', minutes: 15, activity: 'vote', board: 'stakeholders' },
  { title: 'Facilitate community outreach', minutes: 10, activity: 'decide', step: 'initiate.community.outreach' },
];

export interface Person {
  token: string;
  memberId: string;
  name: string;
}

/** A member in `role` speaking for `sector` (and `organisation`). */
export async function personIn(
  h: Harness,
  id: string,
  role: string,
  name: string,
  sector: string | null = null,
  organisation: string | null = null,
): Promise<Person> {
  const joined = await h.join(id, role, name);
  if (sector !== null || organisation !== null) {
    const res = await h.api('PATCH', `/api/initiatives/${id}/members/${joined.memberId}`, { sector, organisation });
    if (res.status !== 200) throw new Error(`profile: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return joined;
}

/** A second session of the same member (another browser): a sign-in link made by the admin, redeemed. */
export async function secondSession(h: Harness, id: string, memberId: string): Promise<string> {
  const link = await h.api('POST', `/api/initiatives/${id}/members/${memberId}/sign-in-link`);
  if (link.status !== 201) throw new Error(`sign-in link: ${link.status} ${JSON.stringify(link.body)}`);
  const res = await h.api('POST', '/api/session', { token: link.body.token }, '');
  if (res.status !== 200) throw new Error(`redeem: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}
