/**
 * The framework's saved versions (docs/framework.md): saved when a
 * `framework.revise` names a version, restored by `framework.restore`, listed,
 * read and compared by server/api/framework.ts.
 *
 * The workflow runner calls `resolve` and `commit` around each event, inside
 * the initiative's queue: `resolve` looks the version to restore up (an
 * unknown id is refused, nothing written), the machine's guard then checks the
 * event, and only then `commit` writes: the new version, or for a restore the
 * framework as it was (a "before-restore" version, so restoring that one
 * undoes the restore) followed by the version's cards into the document.
 */
import type { WorkflowEvent } from '../../machines/events.ts';
import { diffFrameworks } from '../../machines/framework/diff.ts';
import { frameworkSnapshot, snapshotCounts } from '../../machines/framework/snapshot.ts';
import type { FrameworkDiff, FrameworkSnapshot } from '../../machines/framework/types.ts';
import { blankModel } from '../../machines/evaluation.ts';
import type { Unmet } from '../../machines/readiness.ts';
import type { VersionRef } from '../../machines/events.ts';
import { VERSION_NAME_MAX_LENGTH } from '../../machines/events.ts';
import {
  CURRENT_FRAMEWORK,
  PORTFOLIO_REFUSALS,
  type FrameworkVersion,
  type FrameworkVersionSummary,
} from '../../src/contract/portfolio.ts';
import { readModel } from '../../src/schema/model.ts';
import type { RoomDocs } from '../sync/rooms.ts';
import { SchemaError } from '../../src/schema/model.ts';
import { checkedSnapshot, writeFramework } from './restore.ts';
import type { StoredVersion, VersionStore } from './types.ts';

/** What `commit` answers: the event as the machine hears it, and whether the document changed. */
export interface Committed {
  event: WorkflowEvent;
  documentChanged: boolean;
}

const refOf = (version: StoredVersion): VersionRef => ({ id: version.id, number: version.number, name: version.name });

export function summaryOf(version: StoredVersion): FrameworkVersionSummary {
  return {
    id: version.id,
    number: version.number,
    name: version.name,
    note: version.note,
    kind: version.kind,
    by: { ...version.by },
    at: version.at,
    counts: snapshotCounts(version.content),
  };
}

/** The name of the version kept just before restoring `restored`. */
export function beforeRestoreName(restored: VersionRef): string {
  const name = `Before restoring version ${restored.number}, "${restored.name}"`;
  return name.length <= VERSION_NAME_MAX_LENGTH ? name : `${name.slice(0, VERSION_NAME_MAX_LENGTH - 2)}…"`;
}

export class FrameworkVersions {
  /**
   * @param rooms where the documents live: without them the framework reads as
   * an empty board and a restore is refused.
   */
  constructor(
    readonly store: VersionStore,
    private readonly rooms?: RoomDocs,
  ) {}

  /** The initiative's versions, newest first. */
  async list(initiativeId: string): Promise<FrameworkVersionSummary[]> {
    return (await this.store.list(initiativeId)).map(summaryOf);
  }

  /** One version with its content, or null when this initiative has none with that id. */
  async get(initiativeId: string, versionId: string): Promise<FrameworkVersion | null> {
    const version = await this.store.get(initiativeId, versionId);
    return version ? { ...summaryOf(version), content: version.content } : null;
  }

  /** The framework on the board now. */
  async current(initiativeId: string): Promise<FrameworkSnapshot> {
    if (!this.rooms) return frameworkSnapshot(blankModel());
    return this.rooms.withDoc(initiativeId, (doc) => frameworkSnapshot(readModel(doc)));
  }

  /**
   * What changed from `from` to `to`, each a version id or `current`. Answers
   * which side names no version of this initiative instead, when one does not.
   */
  async diff(initiativeId: string, from: string, to: string): Promise<FrameworkDiff | { unknown: 'from' | 'to' }> {
    const side = async (ref: string) =>
      ref === CURRENT_FRAMEWORK ? this.current(initiativeId) : ((await this.store.get(initiativeId, ref))?.content ?? null);
    const before = await side(from);
    if (!before) return { unknown: 'from' };
    const after = await side(to);
    if (!after) return { unknown: 'to' };
    return diffFrameworks(before, after);
  }

  /**
   * Before the machine's guard: a restore names the version it restores
   * (`restored`), or is refused when this initiative has no such version or
   * its documents are out of reach. Other events pass unchanged.
   */
  async resolve(initiativeId: string, event: WorkflowEvent): Promise<WorkflowEvent | Unmet[]> {
    if (event.type !== 'framework.restore') return event;
    const version = await this.store.get(initiativeId, event.version);
    if (!version) return [{ message: PORTFOLIO_REFUSALS.noVersion }];
    if (!this.rooms) return [{ message: 'This server cannot write to the boards, so it cannot restore a version.' }];
    try {
      checkedSnapshot(version.content);
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      return [{ message: `Version ${version.number} cannot be restored: ${error.message}` }];
    }
    return { ...event, restored: refOf(version) };
  }

  /**
   * After the guard accepted the event: saves the version a revision names
   * (the framework of the event's model: the document as the runner read it),
   * or restores one. Answers the event with `saved` filled in.
   */
  async commit(initiativeId: string, event: WorkflowEvent): Promise<Committed> {
    if (event.type === 'framework.revise' && event.version) {
      const saved = await this.store.save(initiativeId, {
        name: event.version,
        note: event.note.trim(),
        kind: 'saved',
        content: frameworkSnapshot(event.model ?? blankModel()),
        by: { id: event.by.id, name: event.by.name },
        at: event.at,
      });
      return { event: { ...event, saved: refOf(saved) }, documentChanged: false };
    }
    if (event.type === 'framework.restore' && event.restored && this.rooms) {
      const restored = event.restored;
      const version = await this.store.get(initiativeId, restored.id);
      if (!version) throw new Error(`Framework version ${restored.id} of ${initiativeId} vanished while restoring it.`);
      const saved = await this.rooms.withDoc(initiativeId, async (doc) => {
        const before = await this.store.save(initiativeId, {
          name: beforeRestoreName(restored),
          note: event.reason.trim(),
          kind: 'before-restore',
          content: frameworkSnapshot(readModel(doc)),
          by: { id: event.by.id, name: event.by.name },
          at: event.at,
        });
        writeFramework(doc, version.content);
        return before;
      });
      return { event: { ...event, saved: refOf(saved) }, documentChanged: true };
    }
    return { event, documentChanged: false };
  }
}
