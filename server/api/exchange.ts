/**
 * Export and import of a whole initiative (docs/api.md, docs/schema.md "Export format"):
 *
 * - `GET /api/initiatives/:id/export`: any member; the export JSON (format
 *   version 5: the document with its sticky notes, each indicator's shared
 *   measurement as far as the caller may see it, and the workflow record) as a download.
 * - `POST /api/initiatives/:id/import`: admin, lead or facilitator; the body is an
 *   export, version 1 to 5. Its indicators' values and settings go to the
 *   measure store, never the document (server/measures/exchange.ts). Each part
 *   needs its own row of the table (./exchangeWork.ts, docs/api.md "Import: who
 *   may import what"): a file that carries a workflow record (version 2 or
 *   later) only from the lead or the admin: it restores the workflow too, and the
 *   history notes the import; approved values, indicators' settings, and what
 *   the store still holds that the import would delete likewise. `403` names every part refused. `400 { error, issues: [{ path, message }] }` for a
 *   file that does not fit, every problem at once; `409` when the initiative's
 *   document is not empty or its workflow has a history. All or nothing.
 * - `?file=<name>` on the import names the file in the history entry.
 *
 * Both go through the initiative's room, loaded like a sync connection loads it:
 * an import is applied to the live document, so the room stores it and relays it
 * to every connected client like any other update.
 *
 * The work itself (server/api/exchangeWork.ts) loads on first use, after the
 * caller's access is checked: a refused request never loads it, and a process
 * whose members only edit live never holds it (docs/performance.md, "session 21:
 * memory"). Should it fail to load, the request answers 500 like any fault.
 */
import type { Person } from '../../machines/readiness.ts';
import type { Action } from '../../src/contract/index.ts';
import type { Access } from '../auth.ts';
import type { MeasureStore } from '../measures/types.ts';
import type { MeasuresChange } from '../measures/service.ts';
import type { PeopleStore } from '../people/types.ts';
import { HttpError } from '../http/http.ts';
import type { RequestContext, Router } from '../http/router.ts';
import type { Initiative } from '../stores.ts';
import type { WorkflowRunner } from '../workflow/runner.ts';
import type { ExchangeWork, RoomRegistry } from './exchangeWork.ts';

export type { RoomRegistry } from './exchangeWork.ts';

export interface ExchangeDeps {
  /** The initiative and the caller's access to it for `action`: 401, then 404, then 403 (routes.ts). */
  member(ctx: RequestContext, action: Action): Promise<{ initiative: Initiative; access: Access }>;
  /** Who the caller is, as the workflow history names them (routes.ts). */
  person(access: Access): Person;
  /** The workflow actors: the record an export carries, and its restore on import. */
  workflows: WorkflowRunner;
  /** The room registry; without it both routes answer 503. */
  rooms?: RoomRegistry;
  /** Where indicators' values and settings live (server/measures/); without it both routes answer 503. */
  /** …and `changed` tells open pages and the workflow that an import brought indicators' values. */
  measures?: { store: MeasureStore; changed?: (initiativeId: string, change: MeasuresChange) => void };
  /** Who is a member of an initiative: an imported data steward is kept only if they are. */
  people: Pick<PeopleStore, 'members'>;
  /** The server's clock (ms): when carried values without a time of their own were imported. */
  clock?: () => number;
}

export function mountExchange(
  router: Router,
  { member, person, workflows, rooms, measures, people, clock = Date.now }: ExchangeDeps,
): void {
  const work: ExchangeWork = {
    person,
    workflows,
    people,
    clock,
    changed: (initiativeId, change) => measures?.changed?.(initiativeId, change),
    registry: () => {
      if (!rooms) throw new HttpError(503, 'Export and import are not available on this server.');
      return rooms;
    },
    measureStore: () => {
      if (!measures) throw new HttpError(503, 'Export and import are not available on this server.');
      return measures.store;
    },
  };

  router.on('GET', '/api/initiatives/:id/export', async (ctx) => {
    const allowed = await member(ctx, 'exportInitiative');
    await (await import('./exchangeWork.ts')).sendExport(ctx, allowed, work);
  });

  router.on('POST', '/api/initiatives/:id/import', async (ctx) => {
    const allowed = await member(ctx, 'importInitiative');
    await (await import('./exchangeWork.ts')).receiveImport(ctx, allowed, work);
  });
}
