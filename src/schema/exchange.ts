/**
 * Export and import of a whole initiative as one JSON file (docs/schema.md,
 * "Export format"). The format is versioned: `format` names it, `version` says
 * which revision of it a file follows. Version 2 adds the workflow record
 * (./workflowRecord.ts), version 3 sticky notes (kind `note`), version 4 each
 * indicator's shared measurement from the server (./exportMeasures.ts);
 * version 1 to 3 files still import (one carrying a field only a later version
 * defines, which its import would leave out, is refused: ./importIssues.ts).
 *
 * The file's zod schema is in ./exportSchema.ts; every problem a file can have
 * is worded in ./importIssues.ts.
 */
import type * as Y from 'yjs';
import {
  BOARDS,
  ENTITY_KINDS,
  SINGLETON_KINDS,
  type Board,
  type Entity,
  type IndicatorEntity,
  type Position,
} from '../../machines/entities.ts';
import { FIELDS } from './fields.ts';
import { isEmptyDoc, readModel, writeModel } from './model.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, ExportSchema } from './exportSchema.ts';
import {
  cardNamer,
  describeZodIssues,
  importSummary,
  integrityIssues,
  notJsonIssue,
  type ExchangeIssue,
} from './importIssues.ts';
import {
  MEASURE_FIELDS,
  measureIssues,
  NO_MEASURES,
  type IndicatorMeasures,
  type ReadIndicatorMeasures,
} from './exportMeasures.ts';
import { WorkflowRecordSchema, type WorkflowRecord } from './workflowRecord.ts';

export { EXPORT_FORMAT, EXPORT_VERSION, ExportSchema } from './exportSchema.ts';
export { importSummary, notJsonIssue, type ExchangeIssue } from './importIssues.ts';
export type { WorkflowRecord } from './workflowRecord.ts';
export {
  datedValue,
  MEASURE_FIELDS,
  NO_MEASURES,
  type ExportedMeasurement,
  type IndicatorMeasures,
  type ReadIndicatorMeasures,
} from './exportMeasures.ts';

/** An indicator as a file holds it: its board fields and, from version 4, the server's (versions 1–3: numbers). */
export type ExportedIndicator = IndicatorEntity & ReadIndicatorMeasures;

export interface InitiativeMeta {
  id: string;
  name: string;
  issue: string;
}

export interface InitiativeExport {
  format: typeof EXPORT_FORMAT;
  /** What this code writes is EXPORT_VERSION; it reads every earlier version too. */
  version: 1 | 2 | 3 | 4 | 5;
  /** ISO 8601 date and time. */
  exportedAt: string;
  initiative: InitiativeMeta;
  /** Every entity, in ENTITY_KINDS order, then by id; indicators with their shared measurement (ExportedIndicator). */
  entities: Entity[];
  /** Every board's placements: entity id to position. */
  placements: Record<Board, Record<string, Position>>;
  /** Versions 2 and 3: the workflow record (stage, assessments, scope, confirmations, thresholds, history). */
  workflow?: WorkflowRecord;
}

export type ParseResult = { ok: true; data: InitiativeExport } | { ok: false; issues: ExchangeIssue[] };

/** An import refused: the file does not fit (`invalid`), or the target document is not empty. */
export class ImportError extends Error {
  constructor(
    readonly reason: 'invalid' | 'not-empty',
    message: string,
    readonly issues: ExchangeIssue[] = [],
  ) {
    super(message);
  }
}

// --- export -------------------------------------------------------------------

/**
 * The whole initiative as the export format: entities in kind order then id,
 * fields in FIELDS order, each indicator followed by its shared measurement as
 * `measures` answers it (the server's store, filtered to what the exporting
 * person may see; nothing stored when not given), and the workflow record as
 * the server's workflow runner answers it.
 */
export function exportInitiative(
  doc: Y.Doc,
  meta: InitiativeMeta,
  workflow: WorkflowRecord,
  now: Date = new Date(),
  measures: (indicatorId: string) => IndicatorMeasures = () => NO_MEASURES,
): InitiativeExport {
  const model = readModel(doc);
  const entities: Entity[] = [];
  for (const kind of ENTITY_KINDS) {
    const sorted = [...(model.entities[kind] as Entity[])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const entity of sorted) {
      const values = entity as unknown as Record<string, unknown>;
      const out: Record<string, unknown> = { kind, id: entity.id };
      for (const field of Object.keys(FIELDS[kind])) out[field] = structuredClone(values[field]);
      if (kind === 'indicator') {
        const stored = measures(entity.id);
        for (const field of MEASURE_FIELDS) out[field] = structuredClone(stored[field]);
      }
      entities.push(out as unknown as Entity);
    }
  }
  const placements = Object.fromEntries(
    BOARDS.map((board) => {
      const placed = model.placements[board];
      return [
        board,
        Object.fromEntries(
          Object.keys(placed)
            .sort()
            .map((id) => [id, { x: placed[id].x, y: placed[id].y }]),
        ),
      ];
    }),
  ) as Record<Board, Record<string, Position>>;
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    initiative: { id: meta.id, name: meta.name, issue: meta.issue },
    entities,
    placements,
    workflow: structuredClone(workflow),
  };
}

// --- parse --------------------------------------------------------------------

const fail = (...issues: ExchangeIssue[]): ParseResult => ({ ok: false, issues });

/**
 * Validates an export file (parsed JSON, or its text): the format, its version,
 * every field of every entity, referential integrity and the workflow record.
 * Answers every problem found at once, each with its JSON path and a sentence
 * naming the card and the field in words.
 */
export function parseExport(json: unknown): ParseResult {
  let input = json;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch (error) {
      return fail(notJsonIssue(error));
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail({
      path: '(file)',
      message:
        'This file is JSON, but not a Convene export: an export is one object with format, version, entities and placements.',
    });
  }
  // Say what the file is before listing its fields: another format or a newer version is one problem, not hundreds.
  const { format, version } = input as { format?: unknown; version?: unknown };
  if (format !== EXPORT_FORMAT) {
    return fail({
      path: 'format',
      message: `This is not a Convene initiative export: its format must be "${EXPORT_FORMAT}". Choose the .convene.json file that Export saved.`,
    });
  }
  if (typeof version === 'number' && version > EXPORT_VERSION) {
    return fail({
      path: 'version',
      message: `This file has format version ${version}, from a newer Convene; this one reads versions 1 to ${EXPORT_VERSION}.`,
    });
  }
  const parsed = ExportSchema.safeParse(input);
  const workflow = WorkflowRecordSchema.safeParse((input as { workflow?: unknown }).workflow);
  const issues = [
    ...(parsed.success ? [] : describeZodIssues(parsed.error, input)),
    ...integrityIssues(input, workflow.success ? (workflow.data as WorkflowRecord) : undefined),
    ...measureIssues(input, cardNamer(input)),
  ];
  if (!parsed.success || issues.length > 0) return fail(...issues);
  return { ok: true, data: parsed.data as unknown as InitiativeExport };
}

// --- import -------------------------------------------------------------------

/**
 * Writes an export's entities and placements into an EMPTY document in one
 * transaction, keeping entity ids (so references stay valid). The file is
 * validated first (`parseExport`): an ImportError leaves the document
 * untouched. The file's `initiative` (id, name, issue) is not written: the
 * target keeps its own. The workflow record and the indicators' shared
 * measurement are the server's to restore (WorkflowRunner.restore,
 * server/api/exchange.ts), never the document's: they are left out here.
 */
export function importInitiative(doc: Y.Doc, data: unknown): void {
  const parsed = parseExport(data);
  if (!parsed.ok) throw new ImportError('invalid', importSummary(parsed.issues), parsed.issues);
  if (!isEmptyDoc(doc))
    throw new ImportError('not-empty', 'This initiative already has content: import into an empty one.');
  const singletons = new Set<string>(SINGLETON_KINDS);
  // Singletons first is not needed for correctness, but keeps the update's order readable.
  const ordered = [...parsed.data.entities].sort(
    (a, b) => Number(singletons.has(b.kind)) - Number(singletons.has(a.kind)),
  );
  writeModel(doc, ordered.map(boardFields), parsed.data.placements);
}

/** An entity without the fields that live on the server (an indicator's values and their settings). */
export function boardFields(entity: Entity): Entity {
  if (entity.kind !== 'indicator') return entity;
  const out: Record<string, unknown> = { ...entity };
  for (const field of MEASURE_FIELDS) delete out[field];
  return out as unknown as Entity;
}
