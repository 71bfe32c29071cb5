/**
 * Event streams on every process (#14, docs/deploy.md "Event streams"): what
 * one process decides reaches the streams held by the others. After a decision
 * is durable (a workflow event, a workshop command, a change to people, a
 * measure, a portfolio row), the process that made it tells its own streams,
 * as on one process, and publishes a notice (./notices.ts) on the fanout's
 * events channel. Every other process reads the stores again (PostgreSQL is
 * the truth) and tells its own streams, each viewer getting their own view:
 * the notice carries ids only, so nothing a person may not see crosses.
 *
 * No loops: a process never hears its own notices (the channel drops them),
 * and what it does for another's notice is never published again (each
 * service's `heard`-style entry tells its streams only). Bursts are coalesced:
 * notices published in one turn of the event loop go once, and notices heard
 * while the work for the same thing waits are merged into it.
 *
 * What a process keeps in memory that its streams depend on, and how a notice
 * refreshes it:
 * - the workflow actors and the snapshot they came from (server/workflow/runner.ts):
 *   reloaded when the stored snapshot differs, on the re-evaluation a notice schedules;
 * - the workshop actors (timer end, votes and tallies, private cards, attendance;
 *   server/workshops/runner.ts): reloaded under the lock from the stored snapshot when it differs;
 * - the live connections' access and the watch's version (server/people/watch.ts):
 *   looked up again, and the version moves, as after a local change;
 * - the streams' last sent workflow view and links (server/api/stream.ts): compared with the views made again;
 * - the portfolio's figures are in the status store (shared); a document change
 *   is heard by every process with the room loaded, and recomputed by one of them
 *   (server/portfolio/windows.ts); a notice tells the others' streams to read the row.
 *
 * When notices may have been lost (the events channel subscribed again after
 * Redis came back, or for the first time), every open stream here is brought
 * up to date from the stores, as for a notice about everything it shows.
 */
import type { EventChannel } from '../sync/fanout.ts';
import type { AccessWatch } from '../people/watch.ts';
import type { Logger } from '../log.ts';
import type { MeasuresChange, MeasureService } from '../measures/service.ts';
import type { PortfolioService } from '../portfolio/service.ts';
import type { WorkflowRunner } from '../workflow/runner.ts';
import type { WorkshopDecision, WorkshopRunner } from '../workshops/runner.ts';
import { parseNotice, type Notice } from './notices.ts';

export interface RelayDeps {
  channel: EventChannel;
  workflows: Pick<WorkflowRunner, 'onChange' | 'heard' | 'refreshWatched' | 'measuresChanged'>;
  workshops: Pick<WorkshopRunner, 'onDecided' | 'heard' | 'watched'>;
  watch: Pick<AccessWatch, 'onRecheck' | 'heard'>;
  measures: Pick<MeasureService, 'onChange' | 'heard' | 'watched' | 'board'>;
  portfolio: Pick<PortfolioService, 'onTell' | 'toldElsewhere' | 'rereadAll'>;
  log: Logger;
}

export interface Relay {
  /** Stops publishing and hearing. */
  stop(): void;
}

/**
 * Work per key, one run at a time: what is added while a run waits to start
 * is merged into it (`merge`), what is added while it runs makes one more run.
 * A run starts a turn of the event loop after its first item, so a burst of
 * messages read together is one run.
 */
class Coalescer<T> {
  private readonly waiting = new Map<string, { item: T }>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly merge: (a: T, b: T) => T,
    private readonly work: (item: T) => Promise<void>,
    private readonly failed: (error: unknown) => void,
  ) {}

  add(key: string, item: T): void {
    const waiting = this.waiting.get(key);
    if (waiting) return void (waiting.item = this.merge(waiting.item, item));
    const entry = { item };
    this.waiting.set(key, entry);
    const run = (this.running.get(key) ?? Promise.resolve())
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => {
        this.waiting.delete(key);
        return this.work(entry.item);
      })
      .catch(this.failed);
    this.running.set(key, run);
    void run.then(() => {
      if (this.running.get(key) === run) this.running.delete(key);
    });
  }
}

const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

export function relayInitiativeEvents(deps: RelayDeps): Relay {
  const { channel, workflows, workshops, watch, measures, portfolio, log } = deps;
  const failed = (error: unknown) => log.warn({ err: String(error) }, 'a stream could not take another process’s change');

  // Outgoing: the distinct notices of one turn, published together at its end.
  let outbox: Map<string, true> | null = null;
  const publish = (notice: Notice) => {
    if (!outbox) {
      const box = (outbox = new Map());
      setImmediate(() => {
        outbox = null;
        for (const text of box.keys()) channel.publishEvent(text);
      });
    }
    outbox.set(JSON.stringify(notice), true);
  };

  // Incoming, per thing: the work that brings this process's streams up to date.
  const workshopWork = new Coalescer<WorkshopDecision>(
    (a, b) => ({ ...a, entered: [...(a.entered ?? []), ...(b.entered ?? [])] }),
    (decision) => workshops.heard(decision),
    failed,
  );
  const peopleWork = new Coalescer<string | undefined>((a) => a, (initiative) => watch.heard(initiative), failed);
  const measuresWork = new Coalescer<{ initiative: string; change: MeasuresChange }>(
    (a, b) => ({
      initiative: a.initiative,
      change: { indicators: union(a.change.indicators, b.change.indicators), accessChanged: union(a.change.accessChanged, b.change.accessChanged) },
    }),
    async ({ initiative, change }) => {
      measures.heard(initiative, change);
      workflows.measuresChanged(initiative);
    },
    failed,
  );
  const portfolioWork = new Coalescer<string[]>(union, async (ids) => portfolio.toldElsewhere(ids), failed);

  const hear = (notice: Notice) => {
    switch (notice.kind) {
      case 'workflow':
        return workflows.heard(notice.initiative);
      case 'workshops':
        return workshopWork.add(`${notice.initiative}\n${notice.workshop ?? ''}`, {
          initiativeId: notice.initiative,
          workshop: notice.workshop,
          entered: notice.entered,
        });
      case 'people':
        return peopleWork.add(notice.initiative ?? '', notice.initiative ?? undefined);
      case 'measures':
        return measuresWork.add(notice.initiative, { initiative: notice.initiative, change: notice });
      case 'portfolio':
        return portfolioWork.add('', notice.ids);
    }
  };

  /** Notices may have been lost: every stream here is brought up to date from the stores. */
  const catchUp = () => {
    workflows.refreshWatched();
    for (const decision of workshops.watched()) workshopWork.add(`${decision.initiativeId}\n${decision.workshop ?? ''}`, decision);
    peopleWork.add('', undefined);
    for (const initiative of measures.watched()) {
      void measures.board(initiative).then(({ indicators }) => {
        const ids = indicators.map((i) => i.id);
        // Every indicator is named; each stream passes on those its viewer may see now. None is named as
        // `accessChanged`, which streams pass to every viewer: a restricted id would reach those who may not see it.
        measuresWork.add(initiative, { initiative, change: { indicators: ids, accessChanged: [] } });
      }, failed);
    }
    portfolio.rereadAll().catch(failed);
  };

  const stops = [
    workflows.onChange((initiative) => publish({ kind: 'workflow', initiative })),
    workshops.onDecided(({ initiativeId, workshop, entered }) =>
      publish({ kind: 'workshops', initiative: initiativeId, ...(workshop && { workshop }), ...(entered && { entered }) }),
    ),
    watch.onRecheck((initiative) => publish({ kind: 'people', initiative: initiative ?? null })),
    measures.onChange((initiative, change) => publish({ kind: 'measures', initiative, ...change })),
    portfolio.onTell((ids) => publish({ kind: 'portfolio', ids })),
    channel.onEvent((text) => {
      const notice = parseNotice(text);
      if (notice) hear(notice);
      else log.warn({ notice: text.slice(0, 200) }, 'a notice from another process was not understood');
    }),
    channel.onEventsLost(catchUp),
  ];

  return {
    stop: () => {
      for (const stop of stops.splice(0)) stop();
    },
  };
}
