/**
 * The portfolio (docs/portfolio.md): each initiative's figures, cached in the
 * status store and recomputed after the initiative changes (an accepted
 * workflow event, a document change of its loaded room, a measure, a
 * workshop, its creation or a change of its name or parent), at most once per
 * `delayMs` per initiative however many changes arrive; who sees which rows;
 * the linked initiatives of one; and the listeners of live streams, told the
 * ids whose rows changed. With other processes, a document change is heard by
 * every process that has the room loaded, and recomputed by one of them
 * (./windows.ts, "Across processes" in docs/portfolio.md).
 */
import { treeOrder } from '../../machines/portfolio.ts';
import { can, type InitiativeLinks, type LinkedInitiative, type PortfolioRow, type ViewerRole } from '../../src/contract/index.ts';
import { readModel } from '../../src/schema/model.ts';
import type { Auth, Principal } from '../auth.ts';
import type { Credential } from '../people/watch.ts';
import type { Logger } from '../log.ts';
import type { MeasureService } from '../measures/service.ts';
import { SerialQueues } from '../serial.ts';
import type { InitiativeStore } from '../stores.ts';
import type { DocChange, RoomDocs } from '../sync/rooms.ts';
import type { Schedule, WorkflowRunner } from '../workflow/runner.ts';
import type { WorkshopRunner } from '../workshops/runner.ts';
import { figuresOf, type WorkshopFacts } from './figures.ts';
import type { InitiativeFigures, StatusStore } from './types.ts';
import { ChangeWindows } from './windows.ts';

/** How long after a change an initiative's figures are recomputed (changes in between are coalesced). */
export const PORTFOLIO_DELAY_MS = 500;

const realSchedule: Schedule = (task, ms) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

export interface PortfolioDeps {
  initiatives: Pick<InitiativeStore, 'getInitiative' | 'listInitiatives' | 'children' | 'descendants'>;
  statuses: StatusStore;
  workflows: Pick<WorkflowRunner, 'view' | 'onChange'>;
  measures: Pick<MeasureService, 'reportCard' | 'onChange'>;
  workshops?: Pick<WorkshopRunner, 'list' | 'state' | 'onChange'>;
  /** The parent's strategies (for `links`), and the changes of every loaded room's document. */
  rooms?: Pick<RoomDocs, 'withDoc'> & {
    onAnyChange?(onChange: (name: string, change: DocChange) => void): () => void;
    /** Runs `read` with the log number every entry up to which is in the document it will read (null: unknown). */
    readingFrom?<T>(name: string, read: (seq: number | null) => Promise<T>): Promise<T>;
    /**
     * Once the room's appends made here so far are durable, the highest log number among them and the
     * entries its document holds (null when the room is not loaded here).
     */
    appendedThrough?(name: string): Promise<number | null>;
  };
  clock: () => number;
  /** Tests pass one they drive by hand. */
  schedule?: Schedule;
  delayMs?: number;
  /** Added to the wait of a window of document changes heard with log numbers (./windows.ts); random by default. */
  jitterMs?: () => number;
  log?: Logger;
}

/** The principal behind a live connection's credential now, or null once its session has ended. */
export async function principalNow(auth: Pick<Auth, 'fromSession'>, credential: Credential): Promise<Principal | null> {
  return credential.kind === 'admin' ? { kind: 'admin', credential } : auth.fromSession(credential.hash);
}

/** Who sees which initiative, and their role there (null: seen as the lead of an initiative above it). */
export type Visible = Map<string, ViewerRole | null>;

export class PortfolioService {
  private readonly queues = new SerialQueues();
  private readonly pending = new Map<string, () => void>();
  /** The latest change heard per initiative that its figures do not hold yet (ms since the epoch: every edit stamps one). */
  private readonly heard = new Map<string, number>();
  private readonly listeners = new Set<(ids: string[]) => void>();
  private readonly toldListeners = new Set<(ids: string[]) => void>();
  private readonly stops: (() => void)[] = [];
  private readonly schedule: Schedule;
  private readonly delayMs: number;
  /** Document changes heard with their log numbers (other processes): checked against the stored figures first. */
  private readonly windows: ChangeWindows;

  constructor(private readonly deps: PortfolioDeps) {
    this.schedule = deps.schedule ?? realSchedule;
    this.delayMs = deps.delayMs ?? PORTFOLIO_DELAY_MS;
    // Workflow events and workshops carry their own times (history, updatedAt); edits and measures are stamped when heard.
    const traced = (id: string) => this.touched(id, false);
    const stamped = (id: string) => this.touched(id);
    this.stops.push(deps.workflows.onChange(traced), deps.measures.onChange(stamped));
    if (deps.workshops) this.stops.push(deps.workshops.onChange(traced));
    this.windows = new ChangeWindows({
      schedule: this.schedule,
      delayMs: this.delayMs,
      jitter: deps.jitterMs,
      pending: (id) => this.pending.has(id),
      check: (id, window) => this.checkOrRefresh(id, window),
      failed: (id, err) => this.deps.log?.warn({ room: id, err: String(err) }, 'portfolio figures not recomputed'),
    });
    const anyChange = deps.rooms?.onAnyChange?.bind(deps.rooms);
    if (anyChange) this.stops.push(anyChange((id, change) => this.documentChanged(id, change)));
  }

  private now(): string {
    return new Date(this.deps.clock()).toISOString();
  }

  /**
   * Something changed in the initiative just now: recompute its figures once
   * the delay has passed, unless already scheduled. `stamp`: the change leaves
   * no time of its own, so now is its last activity.
   */
  touched(initiativeId: string, stamp = true): void {
    if (stamp) this.stamp(initiativeId);
    if (this.pending.has(initiativeId)) return;
    this.pending.set(
      initiativeId,
      this.schedule(() => {
        this.pending.delete(initiativeId);
        this.refresh(initiativeId).catch((err: unknown) =>
          this.deps.log?.warn({ room: initiativeId, err: String(err) }, 'portfolio figures not recomputed'),
        );
      }, this.delayMs),
    );
  }

  private stamp(initiativeId: string): number {
    const at = this.deps.clock();
    const before = this.heard.get(initiativeId);
    if (before === undefined || at > before) this.heard.set(initiativeId, at);
    return at;
  }

  /**
   * A change of the initiative's loaded room. Without a log number (one
   * process), as any other change: recomputed after the delay. With one, it
   * joins the initiative's window (./windows.ts), which checks the stored
   * figures before recomputing.
   */
  documentChanged(initiativeId: string, change: DocChange): void {
    if (change.seq === null) return this.touched(initiativeId);
    this.windows.heard(initiativeId, change.seq, !change.elsewhere, this.stamp(initiativeId));
  }

  /**
   * A window's changes are due: nothing more when the stored figures were
   * computed from a log number at or past its first change's, and hold an
   * activity not earlier than that change's stamp by more than the delay
   * (another process recomputed them); otherwise recomputes them. Answers
   * whether it recomputed.
   */
  private checkOrRefresh(initiativeId: string, window: { seq: number; stamp: number }): Promise<boolean> {
    return this.queues.run(initiativeId, async () => {
      // A change's number as heard is a lower bound (an edit here is numbered when its append lands, maybe past
      // another process's entry); what this process appended is known once durable, and counts too.
      const appended = (await this.deps.rooms?.appendedThrough?.(initiativeId)) ?? null;
      const seq = Math.max(window.seq, appended ?? 0);
      const stored = await this.deps.statuses.stored(initiativeId);
      const since = new Date(window.stamp - this.delayMs).toISOString();
      if (stored && stored.seq !== null && stored.seq >= seq && stored.figures.lastActivityAt >= since) {
        if (this.heard.get(initiativeId) === window.stamp) this.heard.delete(initiativeId);
        return false;
      }
      await this.recompute(initiativeId);
      return true;
    });
  }

  /** Recomputes the initiative's figures now, stores them and tells the listeners when they changed. */
  refresh(initiativeId: string): Promise<InitiativeFigures | undefined> {
    return this.queues.run(initiativeId, () => this.recompute(initiativeId));
  }

  private async recompute(initiativeId: string): Promise<InitiativeFigures | undefined> {
    const initiative = await this.deps.initiatives.getInitiative(initiativeId);
    if (!initiative) {
      // A room that is no initiative's (a test's, say): nothing to keep.
      this.heard.delete(initiativeId);
      return undefined;
    }
    const previous = (await this.deps.statuses.get([initiativeId])).get(initiativeId);
    const heard = this.heard.get(initiativeId);
    const activity = [previous?.lastActivityAt, heard === undefined ? null : new Date(heard).toISOString()].filter((t): t is string => !!t).sort().at(-1) ?? null;
    // The log number is read before the view reads the document: every entry up to it is in what it reads.
    const read = (seq: number | null) => this.deps.workflows.view(initiativeId).then((view) => ({ seq, view }));
    const readingFrom = this.deps.rooms?.readingFrom?.bind(this.deps.rooms);
    const { seq, view } = readingFrom ? await readingFrom(initiativeId, read) : await read(null);
    const card = await this.deps.measures.reportCard({ role: 'admin', memberId: null }, initiativeId);
    const figures = figuresOf({ createdAt: initiative.createdAt, view, years: card.years, workshops: await this.workshopFacts(initiativeId), activity });
    await this.deps.statuses.put(initiativeId, figures, this.now(), seq);
    if (this.heard.get(initiativeId) === heard) this.heard.delete(initiativeId);
    if (JSON.stringify(previous) !== JSON.stringify(figures)) this.tell([initiativeId]);
    return figures;
  }

  private async workshopFacts(initiativeId: string): Promise<WorkshopFacts[]> {
    const workshops = this.deps.workshops;
    if (!workshops) return [];
    const list = await workshops.list(initiativeId);
    const states = await Promise.all(list.map((w) => workshops.state(initiativeId, w.id)));
    return list.flatMap((w, i) => {
      const state = states[i];
      if (!state) return [];
      const attended = state.context.attendance.filter((e) => e.present).length;
      return [{ id: w.id, title: w.title, date: w.date, status: w.status, attended, createdAt: state.stored.createdAt, updatedAt: state.stored.updatedAt }];
    });
  }

  /**
   * Reads every stored row once, as `GET /api/portfolio` does, without
   * computing missing figures: the server calls it before it listens, so the
   * first dashboard opened after a start does not pay for the first read.
   */
  async prime(): Promise<void> {
    const initiatives = await this.deps.initiatives.listInitiatives();
    const stored = await this.deps.statuses.get(initiatives.map((i) => i.id));
    treeOrder(initiatives.filter((i) => stored.has(i.id)));
  }

  /** The figures of `ids`: cached ones as stored, the others computed once now. */
  async figures(ids: readonly string[]): Promise<Map<string, InitiativeFigures>> {
    const found = await this.deps.statuses.get(ids);
    for (const id of ids) {
      if (found.has(id)) continue;
      const computed = await this.refresh(id);
      if (computed) found.set(id, computed);
    }
    return found;
  }

  /**
   * Who sees what: the admin every initiative; a member their initiatives (with
   * their role), and a lead (`seePortfolio`) every initiative below theirs, at
   * any depth (with their own role there when they are a member, else null).
   */
  async visible(principal: Principal): Promise<Visible> {
    const visible: Visible = new Map();
    if (principal.kind === 'admin') {
      for (const i of await this.deps.initiatives.listInitiatives()) visible.set(i.id, 'admin');
      return visible;
    }
    for (const m of principal.members) visible.set(m.initiativeId, m.role);
    for (const m of principal.members) {
      if (!can(m.role, 'seePortfolio')) continue;
      for (const below of await this.deps.initiatives.descendants(m.initiativeId)) if (!visible.has(below.id)) visible.set(below.id, null);
    }
    return visible;
  }

  /** The rows of `ids` the caller sees (all they see when omitted), in no particular order. */
  async rows(principal: Principal, ids?: readonly string[]): Promise<PortfolioRow[]> {
    const visible = await this.visible(principal);
    const wanted = new Set((ids ?? [...visible.keys()]).filter((id) => visible.has(id)));
    // One read of the initiatives, not one per row.
    const initiatives = (await this.deps.initiatives.listInitiatives()).filter((i) => wanted.has(i.id));
    const figures = await this.figures(initiatives.map((i) => i.id));
    return initiatives.flatMap((i) => {
      const f = figures.get(i.id);
      return f ? [{ id: i.id, name: i.name, parentId: i.parentId, ...f, role: visible.get(i.id) ?? null }] : [];
    });
  }

  /**
   * The parent (its strategies only to someone who may open it) and the
   * sub-initiatives with their stage and report card, which every member of
   * the initiative sees.
   */
  async links(initiativeId: string, principal: Principal): Promise<InitiativeLinks> {
    const initiative = await this.deps.initiatives.getInitiative(initiativeId);
    if (!initiative) return { parent: null, children: [] };
    const canOpen = (id: string) => principal.kind === 'admin' || principal.members.some((m) => m.initiativeId === id);
    const parent = initiative.parentId ? await this.deps.initiatives.getInitiative(initiative.parentId) : undefined;
    const children = await this.deps.initiatives.children(initiative.id);
    const figures = await this.figures(children.map((c) => c.id));
    return {
      parent: parent
        ? { id: parent.id, name: parent.name, canOpen: canOpen(parent.id), strategies: canOpen(parent.id) ? await this.strategies(parent.id) : null }
        : null,
      children: children.flatMap((child): LinkedInitiative[] => {
        const f = figures.get(child.id);
        return f ? [{ id: child.id, name: child.name, stage: f.stage, reportCard: f.reportCard, canOpen: canOpen(child.id) }] : [];
      }),
    };
  }

  private async strategies(initiativeId: string): Promise<{ id: string; name: string }[]> {
    if (!this.deps.rooms) return [];
    const model = await this.deps.rooms.withDoc(initiativeId, readModel);
    return model.entities.strategy.map((s) => ({ id: s.id, name: s.name }));
  }

  /** Calls `listener` with the ids of initiatives whose rows (figures, name or parent) changed; answers the function that stops it. */
  subscribe(listener: (ids: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Tells the listeners that these initiatives' rows changed (a name or a parent, say, which no figure holds). */
  tell(ids: string[]): void {
    for (const listener of [...this.toldListeners]) listener(ids);
    this.toldElsewhere(ids);
  }

  /** Another process changed these rows (server/events/): the streams here read them again; `onTell`'s listeners are not told. */
  toldElsewhere(ids: string[]): void {
    for (const listener of [...this.listeners]) listener(ids);
  }

  /** Every row may have changed (notices from other processes were lost): the streams here read them all again. */
  async rereadAll(): Promise<void> {
    if (this.listeners.size === 0) return;
    this.toldElsewhere((await this.deps.initiatives.listInitiatives()).map((i) => i.id));
  }

  /** Calls `listener` at every `tell` (rows changed here, told to the other processes); answers the function that stops it. */
  onTell(listener: (ids: string[]) => void): () => void {
    this.toldListeners.add(listener);
    return () => void this.toldListeners.delete(listener);
  }

  /**
   * Stops hearing of changes, and recomputes now the figures whose
   * recomputation was still waiting, so that a restart does not serve stale ones.
   */
  async close(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    const waiting = [...this.pending.entries()];
    this.pending.clear();
    for (const [, cancel] of waiting) cancel();
    this.listeners.clear();
    await Promise.all([
      ...waiting.map(([id]) =>
        this.refresh(id).catch((err: unknown) => this.deps.log?.warn({ room: id, err: String(err) }, 'portfolio figures not recomputed at close')),
      ),
      this.windows.closeAll(),
    ]);
  }
}
