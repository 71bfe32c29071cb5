/** Listeners per key (a workshop, an initiative). */
export class Listeners<L> {
  private readonly sets = new Map<string, Set<L>>();

  /** Adds `listener` under `key`; answers the function that removes it. */
  add(key: string, listener: L): () => void {
    let set = this.sets.get(key);
    if (!set) this.sets.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.sets.get(key) === set) this.sets.delete(key);
    };
  }

  /** The listeners under `key` now (a copy: one may remove itself while told). */
  of(key: string): L[] {
    return [...(this.sets.get(key) ?? [])];
  }

  /** The keys with listeners now. */
  keys(): string[] {
    return [...this.sets.keys()];
  }

  clear(): void {
    this.sets.clear();
  }
}
