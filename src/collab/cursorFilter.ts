/**
 * "Only the facilitators' cursors": in a workshop of many, a person may choose
 * to see on the boards only the pointers of those who may run workshops (the
 * backbone lead, the facilitators, the administrator; `runWorkshop` in the one
 * table of roles), not everyone's. A choice of this browser, remembered in its
 * localStorage; nothing of it reaches the server or anyone else.
 */
import { useSyncExternalStore } from 'react';
import { can } from '../contract/permissions.ts';
import type { PeerState } from './presence.ts';

export const FACILITATOR_CURSORS_KEY = 'convene.cursors.facilitatorsOnly';

/** The minimal storage surface (localStorage in the browser; a map in tests). */
export interface ChoiceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Whether `peer`'s cursor shows under the choice. */
export function cursorShown(peer: Pick<PeerState, 'role'>, facilitatorsOnly: boolean): boolean {
  return !facilitatorsOnly || can(peer.role, 'runWorkshop');
}

/** The choice, with its listeners; one per storage. */
export class CursorChoice {
  private readonly listeners = new Set<() => void>();
  private value: boolean;

  constructor(private readonly storage: ChoiceStorage | null) {
    this.value = read(storage);
  }

  get facilitatorsOnly(): boolean {
    return this.value;
  }

  set(facilitatorsOnly: boolean): void {
    if (facilitatorsOnly === this.value) return;
    this.value = facilitatorsOnly;
    try {
      this.storage?.setItem(FACILITATOR_CURSORS_KEY, facilitatorsOnly ? '1' : '0');
    } catch {
      // Storage full or refused (private mode): the choice holds for this page only.
    }
    for (const listener of [...this.listeners]) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): boolean => this.value;
}

function read(storage: ChoiceStorage | null): boolean {
  try {
    return storage?.getItem(FACILITATOR_CURSORS_KEY) === '1';
  } catch {
    return false;
  }
}

function browserStorage(): ChoiceStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

let shared: CursorChoice | null = null;

/** This browser's choice (shared by every board and the toggle). */
export function cursorChoice(): CursorChoice {
  shared ??= new CursorChoice(browserStorage());
  return shared;
}

/** The choice and its setter, for the cursors layer and its toggle. */
export function useFacilitatorCursorsOnly(): [boolean, (facilitatorsOnly: boolean) => void] {
  const choice = cursorChoice();
  const value = useSyncExternalStore(choice.subscribe, choice.getSnapshot, choice.getSnapshot);
  return [value, (next) => choice.set(next)];
}
