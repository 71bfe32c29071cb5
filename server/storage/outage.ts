/**
 * A database that cannot be reached (#14 point 4) is told apart from a real
 * storage fault: it passes. While it lasts, rooms stop acknowledging edits
 * (their clients keep them and send them again once it is back: close 1013),
 * and HTTP answers 503 with one sentence, whatever the route.
 *
 * Unreachable means: the connection could not be made or broke (refused,
 * reset, timed out, terminated), a statement got no answer in time (a
 * database that hangs), or the server said it is shutting down or starting
 * (PostgreSQL's error class 08, and 57P01–57P03). Anything else
 * (a constraint, bytes that do not read, a full disk) is a storage fault.
 */

/** What HTTP answers (as `error`) while the database cannot be reached. */
export const DATABASE_UNREACHABLE = 'Saving is paused: the database cannot be reached. Try again in a moment.';

/**
 * The reason of the sync socket's close 1013 (at most 123 bytes, the
 * websocket's limit): clients keep their edits and send them when it is back.
 */
export const SAVING_PAUSED =
  'Saving paused: the database cannot be reached. Your changes are kept on your device until it is back.';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** PostgreSQL's SQLSTATEs of a server going away or not there yet (class 08 is matched by prefix). */
const SERVER_GOING = new Set(['57P01', '57P02', '57P03']);
/** What node-postgres says, without a code, when a connection ends or cannot be had in time, or a statement is not answered in time. */
const PG_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/, /Client has encountered a connection error/, /Client was closed/, /^Query read timeout$/];

/** Whether `error` (or its cause, or any error of an AggregateError) says the database cannot be reached. */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_GOING.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (PG_MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  if (error instanceof AggregateError && error.errors.some((e) => isDatabaseUnreachable(e, depth + 1))) return true;
  return isDatabaseUnreachable(error.cause, depth + 1);
}
