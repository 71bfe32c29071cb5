/**
 * A relayed update's websocket frame, built once for every socket of its room
 * (./endpoint.ts). A server's frames are not masked (RFC 6455, 5.1), so one
 * update makes the same bytes on every socket: `ws.send` would build the
 * header again for each of them, and `ws` writes header and payload as two
 * chunks. Here a small frame is one buffer (one `write` per socket), a large
 * one a header beside the payload, which is never copied.
 *
 * Written straight to the socket that `ws` writes to, so it interleaves with
 * `ws`'s own frames (pings, close) whole, in order. That holds because the
 * endpoint's server has no per-message deflate: `ws` then writes every frame
 * at once, never queueing one behind a compression.
 */

/** Payloads up to this size are copied beside their header into one buffer; larger ones keep their own. */
const MERGE_AT_MOST = 16 * 1024;

/** FIN and the binary opcode: one whole binary message. */
const FIN_BINARY = 0x82;

/** The chunks of one unmasked binary frame carrying `payload`. */
export function binaryFrame(payload: Uint8Array): Buffer[] {
  const length = payload.byteLength;
  const headerBytes = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const merged = length <= MERGE_AT_MOST;
  const frame = Buffer.allocUnsafe(headerBytes + (merged ? length : 0));
  frame[0] = FIN_BINARY;
  if (headerBytes === 2) frame[1] = length;
  else if (headerBytes === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    // A 64-bit length; no message comes near 2^48 bytes (the endpoint's frames are limited far below).
    frame.writeUInt16BE(0, 2);
    frame.writeUIntBE(length, 4, 6);
  }
  if (merged) {
    frame.set(payload, headerBytes);
    return [frame];
  }
  return [frame, Buffer.from(payload.buffer, payload.byteOffset, length)];
}

/**
 * The frame of the message last asked for: a room sends one relayed message to
 * every peer in a row, so one entry serves them all. `clear` drops it (at the
 * end of each turn), so a large message is not kept alive by the cache.
 */
export class FrameCache {
  private message: Uint8Array | null = null;
  private frame: Buffer[] = [];

  /** Whether `message`'s frame is the one kept. */
  holds(message: Uint8Array): boolean {
    return message === this.message;
  }

  of(message: Uint8Array): Buffer[] {
    if (message !== this.message) {
      this.message = message;
      this.frame = binaryFrame(message);
    }
    return this.frame;
  }

  clear(): void {
    this.message = null;
    this.frame = [];
  }
}
