/**
 * The clients of `npm run bench:workshop`: y-websocket protocol clients, each
 * with its own Y.Doc, that sync, edit and send presence exactly as a browser's
 * y-websocket provider does (sync step 1 and 2, updates, awareness updates with
 * a rising clock), but do not decode the presence they receive: they count it.
 * Two hundred y-protocols Awareness objects in one process would spend the
 * benchmark's CPU decoding two thousand states a second each, and measure the
 * benchmark rather than the server. One client (`decodes: true`) does decode,
 * as a check that presence reaches people.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const FROM_SERVER = Symbol('from the server');

export interface Received {
  presenceMessages: number;
  presenceBytes: number;
}

export class BenchClient {
  readonly doc = new Y.Doc();
  readonly ws: WebSocket;
  readonly synced: Promise<void>;
  readonly received: Received = { presenceMessages: 0, presenceBytes: 0 };
  /** Only on the client that decodes presence: who it sees. */
  readonly awareness: awarenessProtocol.Awareness | null;
  private clock = 0;

  constructor(
    base: string,
    room: string,
    token: string,
    private readonly name: string,
    decodes = false,
  ) {
    this.awareness = decodes ? new awarenessProtocol.Awareness(new Y.Doc()) : null;
    this.ws = new WebSocket(`${base}/collab/${room}?token=${encodeURIComponent(token)}`);
    this.ws.binaryType = 'nodebuffer';
    let syncedNow: () => void = () => {};
    this.synced = new Promise<void>((resolve, reject) => {
      syncedNow = resolve;
      this.ws.once('error', reject);
      this.ws.once('close', (code) => reject(new Error(`${name}: the server closed the socket (${code})`)));
    });
    this.ws.on('open', () => {
      this.send(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, this.doc));
    });
    this.ws.on('message', (data: Buffer) => {
      const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_AWARENESS) {
        this.received.presenceMessages++;
        this.received.presenceBytes += message.byteLength;
        if (this.awareness) awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
        return;
      }
      if (type !== MESSAGE_SYNC) return;
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MESSAGE_SYNC);
      const kind = syncProtocol.readSyncMessage(decoder, reply, this.doc, FROM_SERVER);
      if (encoding.length(reply) > 1) this.ws.send(encoding.toUint8Array(reply));
      if (kind === syncProtocol.messageYjsSyncStep2) syncedNow();
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_SERVER) this.send(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
    });
  }

  get clientID(): number {
    return this.doc.clientID;
  }

  /** Sends this client's presence (as a board does when the pointer moves). */
  setPresence(state: Record<string, unknown>): void {
    this.clock++;
    const json = JSON.stringify({ user: { name: this.name, color: '#2563eb' }, ...state });
    this.send(MESSAGE_AWARENESS, (e) => {
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, this.clientID);
      encoding.writeVarUint(inner, this.clock);
      encoding.writeVarString(inner, json);
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    });
  }

  private send(type: number, write: (encoder: encoding.Encoder) => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, type);
    write(encoder);
    this.ws.send(encoding.toUint8Array(encoder));
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) {
      const closed = new Promise((resolve) => this.ws.once('close', resolve));
      this.ws.close();
      await closed;
    }
    this.awareness?.destroy();
    this.doc.destroy();
  }
}
