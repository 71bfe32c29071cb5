/**
 * The work of export and import (server/api/exchange.ts has the routes and who
 * may call them): loaded on first use, so that a process serving only live
 * editing never holds the export schema, the import checks and their code
 * (docs/performance.md, "session 21: memory").
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
import { can, refusalFor } from '../../src/contract/index.ts';
import type { Access } from '../auth.ts';
import { isEmptyDoc } from '../../src/schema/model.ts';
import {
  fileRefusals,
  importedValues,
  measuresForExport,
  measuresFromImport,
  storeRefusals,
  writeImportedMeasures,
} from '../measures/exchange.ts';
import type { MeasureStore } from '../measures/types.ts';
import type { MeasuresChange } from '../measures/service.ts';
import type { PeopleStore } from '../people/types.ts';
import { forbidden, HttpError, NulInBody, readJson, sendJson } from '../http/http.ts';
import type { RequestContext } from '../http/router.ts';
import type { Initiative } from '../stores.ts';
import type { RoomDocs } from '../sync/rooms.ts';
import { RestoreRefused, type WorkflowRunner } from '../workflow/runner.ts';

/** Exports can be large (measurements, long texts): allow 10 MiB for an import body. */
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/** What export and import need of the rooms: borrowing an initiative's live document (server/sync/rooms.ts). */
export type RoomRegistry = Pick<RoomDocs, 'withDoc'>;

/** What a call works with, once the routes have said who may make it. */
export interface ExchangeWork {
  /** Who the caller is, as the workflow history names them (routes.ts). */
  person(access: Access): Person;
  /** The workflow actors: the record an export carries, and its restore on import. */
  workflows: WorkflowRunner;
  /** The room registry, or a 503. */
  registry(): RoomRegistry;
  /** Where indicators' values and settings live, or a 503. */
  measureStore(): MeasureStore;
  /** Tells open pages and the workflow that an import brought indicators' values. */
  changed?: (initiativeId: string, change: MeasuresChange) => void;
  /** Who is a member of an initiative: an imported data steward is kept only if they are. */
  people: Pick<PeopleStore, 'members'>;
  /** The server's clock (ms): when carried values without a time of their own were imported. */
  clock: () => number;
}

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

/** A 400 that lists every problem of the file, each naming the card and the field in words. */
const invalidFile = (issues: ExchangeIssue[]) =>
  new HttpError(400, importSummary(issues), { field: issues[0]?.path, issues });

/** The import body as JSON; a body that is not JSON is said in words, like any other problem of the file. */
async function readImport(ctx: RequestContext): Promise<unknown> {
  try {
    return await readJson(ctx.req, IMPORT_MAX_BYTES);
  } catch (error) {
    // JSON with a NUL in its text (server/http/nul.ts): each place said like any other problem of the file.
    if (error instanceof NulInBody) throw invalidFile(error.issues);
    if (!(error instanceof HttpError) || error.status !== 400) throw error;
    throw invalidFile([notJsonIssue()]);
  }
}

/** `GET …/export`, for a caller the route has let through. */
export async function sendExport(
  ctx: RequestContext,
  { initiative, access }: { initiative: Initiative; access: Access },
  { workflows, registry, measureStore, clock }: ExchangeWork,
): Promise<void> {
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
}

/** `POST …/import`, for a caller the route has let through. */
export async function receiveImport(
  ctx: RequestContext,
  { initiative, access }: { initiative: Initiative; access: Access },
  { person, workflows, registry, measureStore, changed, people, clock }: ExchangeWork,
): Promise<void> {
  const body = await readImport(ctx);
  // Validate before loading the room: a bad file costs nothing.
  const parsed = parseExport(body);
  if (!parsed.ok) throw invalidFile(parsed.issues);
  const { workflow } = parsed.data;
  const viewer = { role: access.role, memberId: access.member?.id ?? null };
  // Values and settings for the store; a version 1–3 file's indicators get their unit and frequency here.
  const members = new Set((await people.members(initiative.id)).map((m) => m.id));
  const values = measuresFromImport(parsed.data, initiative.id, new Date(clock()).toISOString(), (memberId) => members.has(memberId));
  // Each part of the file needs its own row of the table; every part refused is said at once, and nothing is written.
  const names = new Map(parsed.data.entities.map((e) => [e.id, 'name' in e && e.name ? e.name : e.id]));
  const refused = [
    ...(workflow && !can(access.role, 'restoreWorkflow') ? [refusalFor('restoreWorkflow')] : []),
    ...fileRefusals(viewer, values, (id) => names.get(id) ?? id),
  ];
  if (refused.length > 0) throw forbidden(refused.join(' '));
  const store = measureStore();
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
      // The store starts afresh: what it still holds (everyone deleted the cards) needs the rights that deleting it would.
      const deleting = await storeRefusals(store, initiative.id, viewer, values);
      if (deleting.length > 0) throw forbidden(deleting.join(' '));
      // The store first: should the document then refuse, the next import starts the store afresh again
      // (what a retry writes back as it was deletes nothing, so needs no right: storeRefusals).
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
      if (indicators.length > 0) changed?.(initiative.id, { indicators, accessChanged: indicators });
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
}
