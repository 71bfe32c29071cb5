/**
 * The relayed messages' websocket frames (server/sync/wsFrame.ts), read back by
 * `ws`'s own receiver as a client reads them: every length form (7-bit, 16-bit,
 * 64-bit), both sides of each boundary, merged and split chunks.
 */
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { binaryFrame, FrameCache } from '../../server/sync/wsFrame.ts';

/** `ws`'s frame parser: exported at run time, though its types leave it out. */
interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  write(chunk: Buffer): void;
}
const Receiver = (ws as unknown as { Receiver: new (options: { isServer: boolean; binaryType: string }) => FrameReceiver }).Receiver;

/** What a client's receiver makes of `chunks`, written in order: the messages, binary or not. */
function received(chunks: Buffer[]): { data: Buffer; isBinary: boolean }[] {
  const messages: { data: Buffer; isBinary: boolean }[] = [];
  const receiver = new Receiver({ isServer: false, binaryType: 'nodebuffer' });
  receiver.on('message', (data: Buffer, isBinary: boolean) => messages.push({ data, isBinary }));
  receiver.on('error', (error: Error) => {
    throw error;
  });
  for (const chunk of chunks) receiver.write(chunk);
  return messages;
}

/** A payload of `length` bytes that differ from one position to the next (seeded, not random). */
function payload(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 131 + 7) % 251;
  return bytes;
}

describe('binaryFrame', () => {
  it.each([0, 1, 125, 126, 127, 16 * 1024, 16 * 1024 + 1, 65_535, 65_536, 200_000])('a %i-byte payload reads back whole, as one binary message', (length) => {
    const bytes = payload(length);
    const frame = binaryFrame(bytes);
    // Small frames are one buffer; large ones keep the payload as it is, beside its header.
    expect(frame.length).toBe(length <= 16 * 1024 ? 1 : 2);
    if (frame.length === 2) expect(frame[1].buffer).toBe(bytes.buffer);
    const messages = received(frame);
    expect(messages).toHaveLength(1);
    expect(messages[0].isBinary).toBe(true);
    expect(Buffer.compare(messages[0].data, Buffer.from(bytes))).toBe(0);
  });

  it('a payload that is a view into a larger buffer frames only its own bytes', () => {
    const whole = payload(300);
    const view = whole.subarray(100, 150);
    const [message] = received(binaryFrame(view));
    expect(Buffer.compare(message.data, Buffer.from(whole.subarray(100, 150)))).toBe(0);
    const bigWhole = payload(40_000);
    const bigView = bigWhole.subarray(1000, 31_000);
    const [big] = received(binaryFrame(bigView));
    expect(Buffer.compare(big.data, Buffer.from(bigView))).toBe(0);
  });

  it('frames written back to back read as that many messages, in order', () => {
    const sizes = [3, 126, 20_000, 0, 70_000];
    const messages = received(sizes.flatMap((n) => binaryFrame(payload(n))));
    expect(messages.map((m) => m.data.length)).toEqual(sizes);
  });
});

describe('FrameCache', () => {
  it('builds a message frame once while it is asked for in a row, and again for any other message or after clear', () => {
    const cache = new FrameCache();
    const a = payload(10);
    const b = payload(10);
    const first = cache.of(a);
    expect(cache.holds(a)).toBe(true);
    expect(cache.of(a)).toBe(first);
    // Equal bytes in another array are another message: never mistaken for the one kept.
    expect(cache.holds(b)).toBe(false);
    expect(cache.of(b)).not.toBe(first);
    cache.clear();
    expect(cache.holds(b)).toBe(false);
    expect(received(cache.of(a))[0].data.length).toBe(10);
  });
});
