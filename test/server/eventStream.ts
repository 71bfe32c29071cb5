/**
 * An initiative's event stream (`GET /api/initiatives/:id/workflow/stream`,
 * server-sent events) as a member's page reads it: its events by name, in
 * order, and its end.
 */

export interface EventStreamReader {
  /** The next event named `event` (others are skipped), its data parsed; null once the stream ended. */
  next<T>(event: string): Promise<T | null>;
  /** Resolves once the server ended the stream. */
  end(): Promise<void>;
  /** Stops reading: closes the request. */
  close(): void;
}

/** Opens the stream with `token` as a bearer; throws unless it answers 200. */
export function openEventStream(url: string, initiativeId: string, token: string): Promise<EventStreamReader> {
  return openStream(`${url}/api/initiatives/${initiativeId}/workflow/stream`, token);
}

/** Opens any server-sent event stream of the API (`GET /api/portfolio/stream`, say) with `token` as a bearer. */
export async function openStream(streamUrl: string, token: string): Promise<EventStreamReader> {
  const controller = new AbortController();
  const res = await fetch(streamUrl, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  if (res.status !== 200) {
    controller.abort();
    throw new Error(`the event stream answered ${res.status}`);
  }
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  /** The next event of any name, or null at the end. */
  const read = async (): Promise<{ event: string; data: unknown } | null> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const event = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length);
        const data = lines.find((l) => l.startsWith('data: '))?.slice('data: '.length);
        // Comments (keep-alives) carry neither.
        if (event && data !== undefined) return { event, data: JSON.parse(data) };
        continue;
      }
      if (ended) return null;
      const { value, done } = await reader.read();
      if (done) ended = true;
      else buffer += decoder.decode(value, { stream: true });
    }
  };
  return {
    async next<T>(event: string): Promise<T | null> {
      for (;;) {
        const e = await read();
        if (!e) return null;
        if (e.event === event) return e.data as T;
      }
    },
    async end() {
      while (await read());
    },
    close: () => controller.abort(),
  };
}
