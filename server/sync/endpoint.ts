/**
 * The y-websocket endpoint: `ws://HOST:PORT/collab/<initiativeId>`. Socket
 * concerns only (upgrade, auth, limits, close codes, keep-alive); the protocol
 * is the room's. Who is asking is looked up (from the stores, so it takes a
 * while) before the upgrade: a socket that closed meanwhile is dropped, and a
 * refusal is the websocket close code the client shows.
 */
import { CLOSE } from '../../src/contract/closeCodes.ts';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { can, refusalFor, type PresenceUser, type ViewerRole } from '../../src/contract/index.ts';
import { accessTo, type Access, type Auth, type Principal } from '../auth.ts';
import type { InitiativeStore } from '../stores.ts';
import { ACCESS_REMOVED, type AccessWatch } from '../people/watch.ts';
import { newId } from '../tokens.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { ProtocolError, type Peer, type Room } from './room.ts';
import { isDatabaseUnreachable, SAVING_PAUSED } from '../storage/outage.ts';
import type { Rooms } from './rooms.ts';
import { DEFAULT_LIMITS, FloodGuard, type SyncLimits } from './limits.ts';
import { commitBeforeEnd, endOfTurn, type TurnEnd } from '../storage/groupCommit.ts';
import { FrameCache } from './wsFrame.ts';

const CLOSE_UNAUTHORIZED = CLOSE.unauthorized;
const CLOSE_FORBIDDEN = CLOSE.forbidden;
const CLOSE_NOT_FOUND = CLOSE.notFound;
const CLOSE_BAD_MESSAGE = CLOSE.badMessage;
const CLOSE_FLOOD = CLOSE.flood;
const CLOSE_SERVER_ERROR = CLOSE.serverError;
const CLOSE_RESTART = CLOSE.restart;

export interface SyncEndpointOptions {
  auth: Auth;
  store: InitiativeStore;
  rooms: Rooms;
  log: Logger;
  metrics?: Metrics;
  /** Frame size and flood limits; see DEFAULT_LIMITS. */
  limits?: Partial<SyncLimits>;
  pingIntervalMs?: number;
  /** How long `close` waits for clients to acknowledge the 1012 close (ms). */
  closeTimeoutMs?: number;
  /**
   * Live access: every connection registers with its credential, so a role
   * change reaches it in place and a lost access closes it with 4401.
   */
  watch: AccessWatch;
  /**
   * Where what a socket is sent waits for the turn's commits (default: the
   * process's, which the SQLite log's group commit uses too).
   */
  turn?: TurnEnd;
}

/** What others see of a connection: from the server's session, never from the client. */
export function presenceUser(access: Access): PresenceUser {
  if (!access.member) return { name: 'Administrator', role: 'admin' };
  return { name: access.member.name ?? access.member.label ?? 'Member', role: access.member.role };
}

/** Whether a connection may join: its principal and access, or the close code and reason it gets. */
type Verdict = { ok: true; principal: Principal; access: Access; version: number } | { ok: false; code: number; reason: string };

export class SyncEndpoint {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  /** Set when `close` begins: new upgrades are answered 503, so a proxy sends them to another process. */
  private stopping = false;
  private readonly ping: NodeJS.Timeout;
  private readonly limits: SyncLimits;
  /** The frame of the message being relayed, kept until the end of the turn (./wsFrame.ts). */
  private readonly frames = new FrameCache();
  private framesHeld = false;
  /** Messages framed in this turn so far. */
  private framed = 0;
  /**
   * The last turn sent at most one message (one writer at a time): this one's
   * first message is committed and written at once, since holding it would
   * batch nothing and only delay it. Any further message of the turn, and
   * every message of a turn after a busy one, is held to the end of the turn.
   */
  private quiet = true;

  constructor(private readonly options: SyncEndpointOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    // No per-message deflate: frames are written to the sockets beside ws's own (./wsFrame.ts).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxFrameBytes, perMessageDeflate: false });
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

  get connections(): number {
    return this.sockets.size;
  }

  /** `message`'s frame, from the cache while the turn lasts; counts the turn's messages. */
  private frameOf(message: Uint8Array, turn: TurnEnd): Buffer[] {
    if (!this.framesHeld) {
      this.framesHeld = true;
      turn.hold(() => {
        this.framesHeld = false;
        this.quiet = this.framed <= 1;
        this.framed = 0;
        this.frames.clear();
      });
    }
    if (!this.frames.holds(message)) this.framed++;
    return this.frames.of(message);
  }

  /** Answers whether `req` is for this endpoint (and then takes the socket). */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean> {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    const match = /^\/collab\/([^/]+)$/.exec(pathname);
    if (!match) return false;
    let initiativeId: string;
    try {
      initiativeId = decodeURIComponent(match[1]);
    } catch {
      return false;
    }
    // No initiative's id holds a NUL, and PostgreSQL could not even look one up.
    if (initiativeId.includes('\u0000')) return false;
    // A stopping process takes no new socket: it would only close it with 1012 (or cut it) a moment later.
    if (this.stopping) return refuseStopping(socket);
    // Nothing else listens to the socket until it is upgraded: a reset while the lookup runs ends it quietly.
    const dropped = () => socket.destroy();
    socket.on('error', dropped);
    let verdict: Verdict;
    try {
      verdict = await this.verdict(req, initiativeId);
    } catch (error) {
      // While the database cannot be reached, a new connection is told to try again later (1013), as the rooms' are.
      if (!isDatabaseUnreachable(error)) throw error;
      verdict = { ok: false, code: CLOSE.tryAgain, reason: SAVING_PAUSED };
    } finally {
      socket.off('error', dropped);
    }
    if (socket.destroyed || !socket.writable) {
      socket.destroy();
      return true;
    }
    if (this.stopping) return refuseStopping(socket);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.wss.emit('connection', ws, req);
      if (verdict.ok) this.accept(ws, socket, initiativeId, verdict);
      else ws.close(verdict.code, verdict.reason);
    });
    return true;
  }

  /** Who is asking and their access to the initiative: 4401 unknown, 4404 no such initiative, 4403 no member. */
  private async verdict(req: IncomingMessage, initiativeId: string): Promise<Verdict> {
    const { auth, store, watch } = this.options;
    // Read before the lookup: a change to people made while it runs is rechecked for this connection.
    const version = watch.version;
    const principal = await auth.identify(req, { allowQueryToken: true });
    if (!principal) return { ok: false, code: CLOSE_UNAUTHORIZED, reason: 'Sign in to join this initiative.' };
    const access = accessTo(principal, initiativeId);
    if (access && (await store.getInitiative(initiativeId))) return { ok: true, principal, access, version };
    if (access || (principal.kind !== 'admin' && !(await store.getInitiative(initiativeId)))) {
      return { ok: false, code: CLOSE_NOT_FOUND, reason: 'No such initiative.' };
    }
    return { ok: false, code: CLOSE_FORBIDDEN, reason: refusalFor('viewInitiative') };
  }

  private accept(
    ws: WebSocket,
    socket: Duplex,
    initiativeId: string,
    { principal, access, version }: Extract<Verdict, { ok: true }>,
  ): void {
    const { rooms, log, metrics } = this.options;
    const turn = this.options.turn ?? endOfTurn;

    const context: { room: string; conn: string; role: ViewerRole } = {
      room: initiativeId,
      conn: newId(),
      role: access.role,
    };
    let closing = false;
    /** Closes this one connection, with one log line. */
    const closeWith = (code: number, reason: string, why: string, err?: string) => {
      if (closing) return;
      closing = true;
      metrics?.closed(why);
      log.warn({ ...context, code, err }, `closing connection: ${why}`);
      ws.close(code, reason);
    };
    const peer: Peer = {
      id: context.conn,
      // Observers (and any role the table does not let edit) receive but never change the document.
      // Changes in place when the member's role does (see `watch` below).
      readOnly: !can(access.role, 'editCanvas'),
      user: presenceUser(access),
      send: (message, written) => {
        if (ws.readyState !== ws.OPEN) return;
        metrics?.sent(message.byteLength);
        // The frame is built once for every socket the message goes to (./wsFrame.ts).
        const frame = this.frameOf(message, turn);
        if (this.quiet && !corked && this.framed === 1) {
          // The first message of a turn after a quiet one: what the turn appended is committed now
          // (durable first), and the message leaves at once. A second message makes the turn busy.
          if (!turn.commitNow()) return void socket.destroy();
        } else if (!corked) {
          // Held in the socket until the end of the turn: after the commit of every update it
          // relays (durable first), and all of the turn's messages in one write.
          corked = true;
          socket.cork();
          turn.hold(release);
        }
        const last = frame.length - 1;
        // A large frame is a header and its payload: one write, as ws corks them, even when not held.
        const joined = last > 0 && !corked;
        if (joined) socket.cork();
        for (let i = 0; i < last; i++) socket.write(frame[i]);
        socket.write(frame[last], written && ((error?: Error | null) => !error && written()));
        if (joined) socket.uncork();
      },
      close: (code, reason) => closeWith(code, reason, 'room closed it'),
    };
    let corked = false;
    const release = (committed: boolean) => {
      corked = false;
      // A failed commit: what the socket holds may relay updates the log lost. It never leaves.
      if (!committed) return socket.destroy();
      socket.uncork();
    };
    commitBeforeEnd(socket, turn, () => corked);
    this.sockets.add(ws);
    log.debug(context, 'connection opened');
    let room: Room | null = null;
    // A role change applies from the next message on; lost access closes the socket and
    // takes the connection out of its room at once (presence included), without waiting
    // for the client's half of the close handshake.
    const unwatch = this.options.watch.register(initiativeId, principal.credential, access, (now) => {
      if (!now) {
        closeWith(CLOSE_UNAUTHORIZED, ACCESS_REMOVED, 'access removed');
        return room?.leave(peer);
      }
      context.role = now.role;
      log.info(context, 'role changed while connected');
      const readOnly = !can(now.role, 'editCanvas');
      if (room) room.changeAccess(peer, readOnly, presenceUser(now));
      else {
        peer.readOnly = readOnly;
        peer.user = presenceUser(now);
      }
    }, version);

    const guard = new FloodGuard(this.limits);
    let gone = false;
    const early: Uint8Array[] = [];
    const handle = (target: Room, message: Uint8Array) => {
      try {
        target.receive(peer, message);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        closeWith(CLOSE_BAD_MESSAGE, 'Malformed message.', 'malformed message', error.message);
      }
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (closing) return;
      const message = toBytes(data);
      metrics?.received(message.byteLength);
      if (!guard.allow(message.byteLength)) return closeWith(CLOSE_FLOOD, 'Too many messages.', 'flood');
      if (!isBinary) return closeWith(CLOSE_BAD_MESSAGE, 'Malformed message.', 'malformed message', 'text frame');
      // Until the room is loaded, keep the messages, in order.
      if (room) handle(room, message);
      else early.push(message);
    });
    ws.on('close', () => {
      gone = true;
      unwatch();
      this.sockets.delete(ws);
      log.debug(context, 'connection closed');
      if (!room) return;
      room.leave(peer);
      rooms.release(room);
    });
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes the socket itself (1009 for an oversize frame, 1002 for a protocol error).
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics?.closed('frame too large');
      if (closing) return;
      closing = true;
      log.warn({ ...context, err: error.message, errCode: error.code }, 'closing connection: socket error');
    });

    rooms.open(initiativeId).then(
      (loaded) => {
        if (gone) return rooms.abandon(loaded);
        room = loaded;
        // A connection already closing (its access removed while the room loaded) never joins.
        if (!closing) loaded.join(peer);
        rooms.joined(loaded);
        for (const message of early.splice(0)) if (!closing) handle(loaded, message);
      },
      (error: unknown) => {
        log.error({ ...context, err: String(error) }, 'room failed to load');
        if (isDatabaseUnreachable(error)) closeWith(CLOSE.tryAgain, SAVING_PAUSED, 'database unreachable');
        else closeWith(CLOSE_SERVER_ERROR, 'The document could not be loaded.', 'load failed');
      },
    );
  }

  /**
   * Closes every socket with 1012 (service restart) so clients reconnect to the
   * next server; resolves once they are closed (or the timeout forced them).
   */
  async close(): Promise<void> {
    this.stopping = true;
    clearInterval(this.ping);
    const closed = [...this.sockets].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(CLOSE_RESTART, 'Server restarting.');
        }),
    );
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, this.options.closeTimeoutMs ?? 2000).unref());
    await Promise.race([Promise.all(closed), timeout]);
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/**
 * Answers an upgrade that is not taken with an HTTP status and a sentence, and ends the socket.
 * Never a bare reset: a proxy takes a connection cut without an answer for a process that is away
 * (docs/nginx.conf: it would set every process aside for one such request, and answer 502 to all).
 */
export function answerUpgrade(socket: Duplex, status: 404 | 500 | 503, text: string): void {
  if (!socket.writable) return void socket.destroy();
  const reason = { 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' }[status];
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${status === 503 ? 'Retry-After: 1\r\n' : ''}` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Answers an upgrade 503 (the process is stopping); answers true (taken). nginx's `location /collab/`
 * sends such an upgrade to the next process (docs/nginx.conf); a client connecting straight here
 * retries, as after any failed handshake.
 */
function refuseStopping(socket: Duplex): true {
  answerUpgrade(socket, 503, 'This server is restarting.');
  return true;
}

/** A copy of the frame in its own buffer, so no read can run past it into pooled memory. */
function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data);
}
