/**
 * The close codes of the sync socket (`/collab/<initiativeId>`, docs/sync.md):
 * the server closes a connection with them, and the browser reads them to say
 * why and to decide whether to retry. y-websocket clients stop retrying on the
 * 44xx codes.
 */
export const CLOSE = {
  /** A message the protocol cannot read: only that connection closes. */
  badMessage: 4400,
  /** Missing or invalid credentials. */
  unauthorized: 4401,
  /** Another initiative's credentials. */
  forbidden: 4403,
  /** No such initiative. */
  notFound: 4404,
  /** More messages or bytes than the connection's budget. */
  flood: 4429,
  /** A frame over the size limit. */
  tooBig: 1009,
  /** The room's storage failed. */
  serverError: 1011,
  /** The server is restarting: reconnect. */
  restart: 1012,
  /** Saving is paused (the database cannot be reached): keep the edits, try again later. */
  tryAgain: 1013,
} as const;
