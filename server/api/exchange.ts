/**
 * Export and import of a whole initiative (docs/api.md, docs/schema.md "Export format"):
 *
 * - `GET /api/initiatives/:id/export`: any member; the export JSON (format
 *   version 4: the document with its sticky notes, each indicator's shared
 *   measurement as far as the caller may see it, and the workflow record) as a download.
 * - `POST /api/initiatives/:id/import`: admin, lead or facilitator; the body is an
 *   export, version 1 to 4. Its indicators' values and settings go to the
 *   measure store, never the document (server/measures/exchange.ts). A file that carries a workflow record (version 2 or later)
 *   only from the lead or the admin: it restores the workflow too, and the
 *   history notes the import. `400 { error, issues: [{ path, message }] }` for a
 *   file that does not fit, every problem at once; `409` when the initiative's
 *   document is not empty or its workflow has a history. All or nothing.
 * - `?file=<name>` on the import names the file in the history entry.
 *
 * Both go through the initiative's room, loaded like a sync connection loads it:
 * an import is applied to the live document, so the room stores it and relays it
 * to every connected client like any other update.
 */
import type { Person } from '../../machines/readiness.ts';
import {
  exportInitiative,
  ImportError,
  importInitiative,
  importSummary,
  notJsonIssue,
  parseExport,
  type ExchangeIssue,
} from '../../src/schema/exchange.ts';
import { can, refusalFor, type Action } from '../../src/contract/index.ts';
import type { Access } from '../auth.ts';
import { isEmptyDoc } from '../../src/schema/model.ts';
import { importedValues, measuresForExport, measuresFromImport, writeImportedMeasures } from '../measures/exchange.ts';
import type { MeasureStore } from '../measures/types.ts';
import type { MeasuresChange } from '../measures/service.ts';
import type { PeopleStore } from '../people/types.ts';
import { forbidden, HttpError, readJson, sendJson } from '../http/http.ts';
import type { RequestContext, Router } from '../http/router.ts';
import type { Initiative } from '../stores.ts';
import type { RoomDocs } from '../sync/rooms.ts';
import { RestoreRefused, type WorkflowRunner } from '../workflow/runner.ts';

/** Exports can be large (measurements, long texts): allow 10 MiB for an import body. */
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/** What this module needs of the rooms: borrowing an initiative's live document (server/sync/rooms.ts). */
export type RoomRegistry = Pick<RoomDocs, 'withDoc'>;

/** A file name from an initiative's name: `meadow-county-coalition`. */
function slugOf(name: string): string {
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

/** A 400 that lists every problem of the file, each naming the card and the field in words. */
const invalidFile = (issues: ExchangeIssue[]) =>
  new HttpError(400, importSummary(issues), { field: issues[0]?.path, issues });

/** The import body as JSON; a body that is not JSON is said in words, like any other problem of the file. */
async function readImport(ctx: RequestContext): Promise<unknown> {
  try {
    return await readJson(ctx.req, IMPORT_MAX_BYTES);
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 400) throw error;
    throw invalidFile([notJsonIssue()]);
  }
}

export function mountExchange(
  router: Router,
  { member, person, workflows, rooms, measures, people, clock = Date.now }: ExchangeDeps,
): void {
  const registry = (): RoomRegistry => {
    if (!rooms) throw new HttpError(503, 'Export and import are not available on this server.');
    return rooms;
  };
  const measureStore = (): MeasureStore => {
    if (!measures) throw new HttpError(503, 'Export and import are not available on this server.');
    return measures.store;
  };

  router.on('GET', '/api/initiatives/:id/export', async (ctx) => {
    const { initiative, access } = await member(ctx, 'exportInitiative');
    const data = await registry().withDoc(initiative.id, async (doc) => {
      // Read after the room loaded: an old document's values have moved to the store by then.
      const viewer = { role: access.role, memberId: access.member?.id ?? null };
      const measured = await measuresForExport(measureStore(), initiative.id, viewer);
      return exportInitiative(
        doc,
        { id: initiative.id, name: initiative.name, issue: initiative.issue },
        await workflows.record(initiative.id),
        new Date(clock()),
        measured,
      );
    });
    sendJson(ctx.res, 200, data, {
      'content-disposition': `attachment; filename="${slugOf(initiative.name)}.convene.json"`,
    });
  });

  router.on('POST', '/api/initiatives/:id/import', async (ctx) => {
    const { initiative, access } = await member(ctx, 'importInitiative');
    const body = await readImport(ctx);
    // Validate before loading the room: a bad file costs nothing.
    const parsed = parseExport(body);
    if (!parsed.ok) throw invalidFile(parsed.issues);
    const { workflow } = parsed.data;
    if (workflow && !can(access.role, 'restoreWorkflow')) throw forbidden(refusalFor('restoreWorkflow'));
    const store = measureStore();
    // Values and settings for the store; a version 1–3 file's indicators get their unit and frequency here.
    const members = new Set((await people.members(initiative.id)).map((m) => m.id));
    const values = measuresFromImport(parsed.data, initiative.id, new Date(clock()).toISOString(), (memberId) => members.has(memberId));
    const imported = {
      entities: parsed.data.entities.length,
      placements: Object.values(parsed.data.placements).reduce((n, board) => n + Object.keys(board).length, 0),
      workflow: !!workflow,
      measurements: importedValues(values),
    };
    const writeDocument = () =>
      registry().withDoc(initiative.id, async (doc) => {
        if (!isEmptyDoc(doc))
          throw new HttpError(409, 'This initiative already has content: import into an empty one.');
        // The store first: should the document then refuse, the next import starts the store afresh again.
        await writeImportedMeasures(store, initiative.id, values);
        try {
          // Checks emptiness and writes in the same tick: nothing can slip in between.
          importInitiative(doc, parsed.data);
        } catch (error) {
          if (error instanceof ImportError && error.reason === 'not-empty') throw new HttpError(409, error.message);
          if (error instanceof ImportError) throw invalidFile(error.issues);
          throw error;
        }
        // Open pages ask again, and the workflow counts the imported values.
        const indicators = parsed.data.entities.filter((e) => e.kind === 'indicator').map((e) => e.id);
        if (indicators.length > 0) measures?.changed?.(initiative.id, { indicators, accessChanged: indicators });
      });
    if (!workflow) {
      await writeDocument();
      return sendJson(ctx.res, 200, { imported });
    }
    const file = new URL(ctx.req.url ?? '/', 'http://x').searchParams.get('file')?.slice(0, 200) || undefined;
    const source = {
      initiative: { id: parsed.data.initiative.id, name: parsed.data.initiative.name },
      exportedAt: parsed.data.exportedAt,
      ...(file ? { file } : {}),
    };
    try {
      await workflows.restore(initiative.id, workflow, { by: person(access), source }, writeDocument);
    } catch (error) {
      if (error instanceof RestoreRefused && error.reason === 'not-fresh') throw new HttpError(409, error.message);
      if (error instanceof RestoreRefused) throw invalidFile([{ path: 'workflow', message: error.message }]);
      throw error;
    }
    sendJson(ctx.res, 200, { imported });
  });
}
