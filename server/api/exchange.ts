/**
 * Export and import of a whole initiative (docs/api.md, docs/schema.md "Export format"):
 *
 * - `GET /api/initiatives/:id/export` (`exportInitiative` in src/contract): the
 *   export JSON as a download.
 * - `POST /api/initiatives/:id/import` (`importInitiative`): the body is an
 *   export. `400 { error, issues: [{ path, message }] }` for a file that does not
 *   fit, `409` when the initiative's document is not empty. All or nothing.
 *
 * Both go through the initiative's room, loaded like a sync connection loads it:
 * an import is applied to the live document, so the room stores it and relays it
 * to every connected client like any other update.
 */
import { exportInitiative, ImportError, importInitiative, parseExport } from '../../src/schema/exchange.ts';
import type { Action } from '../../src/contract/index.ts';
import type { Access } from '../auth.ts';
import { HttpError, readJson, sendJson } from '../http/http.ts';
import type { RequestContext, Router } from '../http/router.ts';
import type { Initiative } from '../store.ts';
import type { RoomDocs } from '../sync/rooms.ts';

/** Exports can be large (measurements, long texts): allow 10 MiB for an import body. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/** What this module needs of the rooms: borrowing an initiative's live document (server/sync/rooms.ts). */
export type RoomRegistry = Pick<RoomDocs, 'withDoc'>;

/** A file name from an initiative's name: `meadow-county-coalition`. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || 'initiative';
}

export interface ExchangeDeps {
  /** The initiative and the caller's access to it for `action`: 401, then 404, then 403 (routes.ts). */
  member(ctx: RequestContext, action: Action): { initiative: Initiative; access: Access };
  /** The room registry; without it both routes answer 503. */
  rooms?: RoomRegistry;
}

export function mountExchange(router: Router, { member, rooms }: ExchangeDeps): void {
  const registry = (): RoomRegistry => {
    if (!rooms) throw new HttpError(503, 'Export and import are not available on this server.');
    return rooms;
  };

  router.on('GET', '/api/initiatives/:id/export', async (ctx) => {
    const { initiative } = member(ctx, 'exportInitiative');
    const data = await registry().withDoc(initiative.id, (doc) =>
      exportInitiative(doc, { id: initiative.id, name: initiative.name, issue: initiative.issue }),
    );
    sendJson(ctx.res, 200, data, {
      'content-disposition': `attachment; filename="${slugOf(initiative.name)}.convene.json"`,
    });
  });

  router.on('POST', '/api/initiatives/:id/import', async (ctx) => {
    const { initiative } = member(ctx, 'importInitiative');
    const body = await readJson(ctx.req, IMPORT_MAX_BYTES);
    // Validate before loading the room: a bad file costs nothing.
    const parsed = parseExport(body);
    if (!parsed.ok) {
      const first = parsed.issues[0];
      throw new HttpError(400, `Invalid ${first.path}: ${first.message}`, { field: first.path, issues: parsed.issues });
    }
    const imported = await registry().withDoc(initiative.id, (doc) => {
      try {
        // Checks emptiness and writes in the same tick: nothing can slip in between.
        importInitiative(doc, parsed.data);
      } catch (error) {
        if (error instanceof ImportError && error.reason === 'not-empty') throw new HttpError(409, error.message);
        if (error instanceof ImportError) {
          throw new HttpError(400, error.message, { field: error.issues[0]?.path, issues: error.issues });
        }
        throw error;
      }
      return {
        entities: parsed.data.entities.length,
        placements: Object.values(parsed.data.placements).reduce((n, board) => n + Object.keys(board).length, 0),
      };
    });
    sendJson(ctx.res, 200, { imported });
  });
}
