/**
 * The y-websocket endpoint: `ws://HOST:PORT/collab/<initiativeId>`. Socket
 * concerns only (upgrade, auth, close codes, keep-alive); the protocol is the
 * room's.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { accessTo, canEdit, type Auth } from '../auth.ts';
import type { Store } from '../store.ts';
import { newId } from '../tokens.ts';
import { ProtocolError, type Peer } from './room.ts';
import type { Rooms } from './rooms.ts';
import type { Logger } from '../log.ts';

export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_NOT_FOUND = 4404;
export const CLOSE_BAD_MESSAGE = 4400;
export const CLOSE_RESTART = 1012;

export interface SyncEndpointOptions {
  auth: Auth;
  store: Store;
  rooms: Rooms;
  log: Logger;
  /** Largest accepted frame, in bytes; larger ones close the connection with 1009. */
  maxFrameBytes?: number;
  pingIntervalMs?: number;
}

export class SyncEndpoint {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly ping: NodeJS.Timeout;

  constructor(private readonly options: SyncEndpointOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? 16 * 1024 * 1024 });
    const alive = new WeakSet<WebSocket>();
    this.wss.on('connection', (ws: WebSocket) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
    });
    this.ping = setInterval(() => {
      for (const ws of this.sockets) {
        if (!alive.has(ws)) {
          ws.terminate();
          continue;
        }
        alive.delete(ws);
        ws.ping();
      }
    }, options.pingIntervalMs ?? 30_000).unref();
  }

  /** Answers whether `req` is for this endpoint (and then takes the socket). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    const match = /^\/collab\/([^/]+)$/.exec(pathname);
    if (!match) return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.wss.emit('connection', ws, req);
      this.accept(ws, req, decodeURIComponent(match[1]));
    });
    return true;
  }

  private accept(ws: WebSocket, req: IncomingMessage, initiativeId: string): void {
    const { auth, store, rooms, log } = this.options;
    const principal = auth.identify(req, { allowQueryToken: true });
    if (!principal) return ws.close(CLOSE_UNAUTHORIZED, 'Sign in to join this initiative.');
    const access = accessTo(principal, initiativeId);
    if (!access) {
      const known = principal.kind === 'admin' || store.getInitiative(initiativeId);
      return known
        ? ws.close(CLOSE_FORBIDDEN, 'You are not a member of this initiative.')
        : ws.close(CLOSE_NOT_FOUND, 'No such initiative.');
    }
    if (!store.getInitiative(initiativeId)) return ws.close(CLOSE_NOT_FOUND, 'No such initiative.');

    const room = rooms.open(initiativeId);
    const peer: Peer = {
      id: newId(),
      readOnly: !canEdit(access.role),
      send: (message) => {
        if (ws.readyState === ws.OPEN) ws.send(message);
      },
    };
    this.sockets.add(ws);
    const context = { room: initiativeId, conn: peer.id, role: access.role };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      try {
        if (!isBinary) throw new ProtocolError('text frame');
        room.receive(peer, toBytes(data));
      } catch (error) {
        log.warn({ ...context, err: (error as Error).message }, 'closing connection: bad message');
        ws.close(CLOSE_BAD_MESSAGE, 'Malformed message.');
      }
    });
    ws.on('close', () => {
      this.sockets.delete(ws);
      room.leave(peer);
      rooms.release(room);
    });
    ws.on('error', (error) => log.warn({ ...context, err: error.message }, 'socket error'));
    room.join(peer);
  }

  /** Closes every socket with 1012 (service restart) so clients reconnect to the next server. */
  close(): void {
    clearInterval(this.ping);
    for (const ws of this.sockets) ws.close(CLOSE_RESTART, 'Server restarting.');
    this.wss.close();
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
