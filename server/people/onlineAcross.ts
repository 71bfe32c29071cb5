/**
 * Who is online in an initiative, across server processes (#14): the members
 * list says "online now" of a member connected to any process, not only to the
 * one that answers it.
 *
 * Each process tells the others, over the events channel, the ids of the
 * members of an initiative connected to it whenever that set changes (the
 * whole set of that initiative, at the end of the turn); the others keep them
 * per process. A process that is gone (its heartbeat not heard for the
 * timeout, or its goodbye) takes its members with it. A process heard again,
 * a new one, and one whose notices were lost (Redis came back) get every
 * process's whole state again (`whole`: initiatives it does not name have none
 * of its members), so a lost notice is mended. Ids only cross between
 * processes, never names: each process answers its own members lists from its
 * own stores, to those who may see them (`seeMembers`).
 */
import { parseNotice, type Notice, type OnlineSet } from '../events/notices.ts';
import type { EventChannel, Fanout } from '../sync/fanout.ts';
import type { AccessWatch } from './watch.ts';

/**
 * Asked for its whole state (or heard a process again), a process answers once per this many ms at most:
 * when every process asks at once, each still sends one whole, not one per asker.
 */
export const WHOLE_AT_MOST_EVERY_MS = 100;

export class OnlineAcross {
  /** Other processes' online members: by process, by initiative. */
  private readonly remote = new Map<string, Map<string, Set<string>>>();
  /** Initiatives whose set changed this turn, told at its end. */
  private changed: Set<string> | null = null;
  private changedTimer: NodeJS.Immediate | null = null;
  private wholeTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly watch: Pick<AccessWatch, 'online' | 'onOnlineChange' | 'onlineByInitiative'>,
    private readonly channel: EventChannel,
    nodes: Pick<Fanout, 'onNodeChange'>,
  ) {
    this.stops.push(
      watch.onOnlineChange((initiative) => this.localChanged(initiative)),
      channel.onEvent((text) => {
        const notice = parseNotice(text);
        if (notice) this.hear(notice);
      }),
      // Subscribed (again): what was said meanwhile is lost.
      channel.onEventsLost(() => this.resync()),
      // A process heard again after its timeout was dropped here, and may have dropped this one.
      nodes.onNodeChange(({ node, alive }) => (alive ? this.resync() : void this.remote.delete(node))),
    );
    // The channel may have been subscribed before this was built: a new process asks now.
    this.resync();
  }

  /** The ids of the members of `initiativeId` connected to any process now. */
  online(initiativeId: string): Set<string> {
    const ids = this.watch.online(initiativeId);
    for (const byInitiative of this.remote.values()) for (const id of byInitiative.get(initiativeId) ?? []) ids.add(id);
    return ids;
  }

  /**
   * Stops hearing and telling. Called once this process's connections are closed, so the others have
   * heard them leave (the goodbye that follows would drop them anyway).
   */
  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    if (this.wholeTimer) clearTimeout(this.wholeTimer);
    // The leavings of this turn (the connections just closed) go out now.
    if (this.changedTimer) {
      clearImmediate(this.changedTimer);
      this.tellChanged();
    }
    this.stopped = true;
  }

  private hear(notice: Notice): void {
    if (notice.kind === 'online?' && notice.node !== this.channel.node) return this.tellWhole();
    if (notice.kind !== 'online' || notice.node === this.channel.node) return;
    let byInitiative = this.remote.get(notice.node);
    if (!byInitiative || notice.whole) this.remote.set(notice.node, (byInitiative = new Map()));
    for (const { initiative, members } of notice.sets) {
      if (members.length === 0) byInitiative.delete(initiative);
      else byInitiative.set(initiative, new Set(members));
    }
  }

  private localChanged(initiative: string): void {
    if (!this.changed) {
      this.changed = new Set();
      this.changedTimer = setImmediate(() => this.tellChanged());
    }
    this.changed.add(initiative);
  }

  private tellChanged(): void {
    const changed = this.changed ?? new Set<string>();
    this.changed = this.changedTimer = null;
    this.publish({ kind: 'online', node: this.channel.node, whole: false, sets: [...changed].map((id) => this.setOf(id)) });
  }

  /** Every process tells its whole state again, this one too. */
  private resync(): void {
    this.publish({ kind: 'online?', node: this.channel.node });
    this.tellWhole();
  }

  /** Tells this process's whole state soon: once for every ask of the next WHOLE_AT_MOST_EVERY_MS. */
  private tellWhole(): void {
    if (this.wholeTimer || this.stopped) return;
    this.wholeTimer = setTimeout(() => {
      this.wholeTimer = null;
      const sets = [...this.watch.onlineByInitiative()].map(([initiative, ids]) => ({ initiative, members: [...ids] }));
      this.publish({ kind: 'online', node: this.channel.node, whole: true, sets });
    }, WHOLE_AT_MOST_EVERY_MS);
    this.wholeTimer.unref();
  }

  private setOf(initiative: string): OnlineSet {
    return { initiative, members: [...this.watch.online(initiative)] };
  }

  private publish(notice: Notice): void {
    if (this.stopped) return;
    this.channel.publishEvent(JSON.stringify(notice));
  }
}
