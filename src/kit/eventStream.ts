/**
 * One EventSource per initiative for the whole page: the server's
 * `workflow/stream` carries both the `workflow` events (src/workflow) and the
 * `access` events (src/people/useAccess.ts), and every listener of either
 * shares the one connection. It closes a tick after its last listener leaves,
 * so React's mount/unmount/mount in StrictMode keeps a single stream.
 */
import { api } from './api.ts';

type Handler = (data: string) => void;

interface Stream {
  source: EventSource;
  handlers: Map<string, Set<Handler>>;
  listeners: Map<string, (event: MessageEvent<string>) => void>;
  count: number;
  closing: ReturnType<typeof setTimeout> | null;
}

const streams = new Map<string, Stream>();

function openStream(initiativeId: string): Stream {
  const stream: Stream = {
    source: new EventSource(api.workflowStreamUrl(initiativeId)),
    handlers: new Map(),
    listeners: new Map(),
    count: 0,
    closing: null,
  };
  streams.set(initiativeId, stream);
  return stream;
}

function closeStream(initiativeId: string, stream: Stream): void {
  for (const [name, listener] of stream.listeners) stream.source.removeEventListener(name, listener);
  stream.source.close();
  if (streams.get(initiativeId) === stream) streams.delete(initiativeId);
}

/**
 * Calls `handler` with the data of every `event` frame of the initiative's
 * stream until the answered function is called. `open` is called (without
 * data) each time the stream connects, reconnections included.
 */
export function listenToStream(initiativeId: string, event: string, handler: Handler): () => void {
  const stream = streams.get(initiativeId) ?? openStream(initiativeId);
  if (stream.closing !== null) {
    clearTimeout(stream.closing);
    stream.closing = null;
  }
  let handlers = stream.handlers.get(event);
  if (!handlers) {
    const set = new Set<Handler>();
    handlers = set;
    stream.handlers.set(event, set);
    const listener = (message: MessageEvent<string>) => {
      for (const each of [...set]) each(message.data);
    };
    stream.listeners.set(event, listener);
    stream.source.addEventListener(event, listener);
  }
  handlers.add(handler);
  stream.count += 1;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    handlers.delete(handler);
    stream.count -= 1;
    if (stream.count > 0 || stream.closing !== null) return;
    stream.closing = setTimeout(() => {
      stream.closing = null;
      if (stream.count === 0) closeStream(initiativeId, stream);
    }, 0);
  };
}
