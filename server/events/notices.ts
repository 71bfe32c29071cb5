/**
 * The notices one process sends the others when a decision of an initiative
 * is durable (./relay.ts). A notice says what changed, never what it is: no
 * view, no value, no name. Each process that hears one reads the stores again
 * and makes each of its own viewers' views as it does for its own decisions,
 * so what a person may not see never crosses between processes.
 *
 *   workflow   an event was accepted or a record restored
 *   workshops  a workshop was created, or a command or attendance decided (the agenda items it entered, for `bring`)
 *   people     members, invites or sessions changed (of every initiative when `initiative` is null)
 *   measures   indicators' values or settings changed (their ids), or who may see them
 *   portfolio  these initiatives' rows changed
 *   online     the members connected to the sending process now, per initiative (server/people/onlineAcross.ts):
 *              ids only, never names; `whole`: every initiative it has members of, the others have none
 *   online?    a process asks every other for its whole `online` (it is new, or lost notices)
 */

export type Notice =
  | { kind: 'workflow'; initiative: string }
  | { kind: 'workshops'; initiative: string; workshop?: string; entered?: number[] }
  | { kind: 'people'; initiative: string | null }
  | { kind: 'measures'; initiative: string; indicators: string[]; accessChanged: string[] }
  | { kind: 'portfolio'; ids: string[] }
  | { kind: 'online'; node: string; whole: boolean; sets: OnlineSet[] }
  | { kind: 'online?'; node: string };

/** The ids of the members of one initiative connected to one process. */
export interface OnlineSet {
  initiative: string;
  members: string[];
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

const isOnlineSet = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && isString((v as OnlineSet).initiative) && isStrings((v as OnlineSet).members);

/** The notice `text` carries, or null when it is none (another version's, say): it is then ignored. */
export function parseNotice(text: string): Notice | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const n = value as Record<string, unknown>;
  switch (n.kind) {
    case 'workflow':
      return isString(n.initiative) ? { kind: 'workflow', initiative: n.initiative } : null;
    case 'workshops': {
      if (!isString(n.initiative) || (n.workshop !== undefined && !isString(n.workshop))) return null;
      const entered = n.entered;
      if (entered !== undefined && !(Array.isArray(entered) && entered.every((i) => Number.isInteger(i) && (i as number) >= 0))) return null;
      return { kind: 'workshops', initiative: n.initiative, workshop: n.workshop, entered: entered as number[] | undefined };
    }
    case 'people':
      return n.initiative === null || isString(n.initiative) ? { kind: 'people', initiative: n.initiative } : null;
    case 'measures':
      return isString(n.initiative) && isStrings(n.indicators) && isStrings(n.accessChanged)
        ? { kind: 'measures', initiative: n.initiative, indicators: n.indicators, accessChanged: n.accessChanged }
        : null;
    case 'portfolio':
      return isStrings(n.ids) ? { kind: 'portfolio', ids: n.ids } : null;
    case 'online':
      return isString(n.node) && typeof n.whole === 'boolean' && Array.isArray(n.sets) && n.sets.every(isOnlineSet)
        ? { kind: 'online', node: n.node, whole: n.whole, sets: n.sets as OnlineSet[] }
        : null;
    case 'online?':
      return isString(n.node) ? { kind: 'online?', node: n.node } : null;
    default:
      return null;
  }
}
