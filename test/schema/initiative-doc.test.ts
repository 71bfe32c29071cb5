import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  SCHEMA_VERSION,
  addLink,
  addStakeholder,
  createInitiativeDoc,
  decodeInitiative,
  encodeInitiative,
  moveStakeholder,
  observeInitiative,
  readInitiative,
  removeLinks,
  removeStakeholders,
  updateStakeholder,
  type InitiativeDoc,
  type NewStakeholder,
} from '../../src/schema/index.ts';
import type { Sector, StakeholderRole } from '../../machines/domain.ts';

const council: NewStakeholder = { name: 'County council', sector: 'government', role: 'champion', x: 0, y: 0 };
const foundation: NewStakeholder = {
  name: 'Riverside Community Foundation',
  sector: 'philanthropy',
  role: 'anchor-funder',
  x: 240,
  y: 0,
};
const parents: NewStakeholder = { name: 'Parents of Year 9', sector: 'residents', role: 'affected', x: 120, y: 200 };

/** Connects two documents both ways, as a sync provider would; answers the disconnect. */
function connect(a: InitiativeDoc, b: InitiativeDoc): () => void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a), 'remote');
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b), 'remote');
  const toB = (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, update, 'remote');
  const toA = (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, update, 'remote');
  a.on('update', toB);
  b.on('update', toA);
  return () => {
    a.off('update', toB);
    b.off('update', toA);
  };
}

/** Copies everything `from` has that `to` lacks (one direction of a sync). */
function pull(to: InitiativeDoc, from: InitiativeDoc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

/** A peer that ignores the schema module and writes raw Y types, as a hostile client could. */
function hostileWrite(victim: InitiativeDoc, write: (raw: Y.Doc) => void): void {
  const raw = new Y.Doc();
  pull(raw, victim);
  write(raw);
  pull(victim, raw);
}

/** How many relationship entries the document holds, shown or not. */
function relationshipEntries(doc: InitiativeDoc): number {
  return [...doc.getMap<unknown>('entities').values()].filter((e) => e instanceof Y.Map && e.get('kind') === 'relationship').length;
}

/** A stakeholder entry as the schema writes it, with the name as a Y.Text unless given otherwise. */
function rawPerson(fields: Record<string, unknown>): Y.Map<unknown> {
  const { name, ...rest } = fields;
  return rawStakeholder({
    kind: 'stakeholder',
    name: typeof name === 'string' ? new Y.Text(name) : name,
    organisation: new Y.Text(''),
    influence: 3,
    interest: 3,
    ...rest,
  });
}

function rawStakeholder(fields: Record<string, unknown>): Y.Map<unknown> {
  const entry = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) entry.set(key, value);
  return entry;
}

describe('stakeholders', () => {
  it('adds a stakeholder and reads it back with a fresh id', () => {
    const doc = createInitiativeDoc();
    const id = addStakeholder(doc, council);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(readInitiative(doc)).toEqual({ stakeholders: [{ id, ...council }], links: [] });
    expect(addStakeholder(doc, council)).not.toBe(id);
    expect(readInitiative(doc).stakeholders).toHaveLength(2);
  });

  it('trims the name and rounds the position', () => {
    const doc = createInitiativeDoc();
    const id = addStakeholder(doc, { ...parents, name: '  Parents  ', x: 10.6, y: Number.NaN });
    expect(readInitiative(doc).stakeholders).toEqual([{ ...parents, id, name: 'Parents', x: 11, y: 0 }]);
  });

  it('updates name, sector and role, leaving the rest alone', () => {
    const doc = createInitiativeDoc();
    const id = addStakeholder(doc, council);
    updateStakeholder(doc, id, { name: ' District council ', role: 'backbone' });
    updateStakeholder(doc, id, { sector: 'education' });
    expect(readInitiative(doc).stakeholders).toEqual([
      { ...council, id, name: 'District council', role: 'backbone', sector: 'education' },
    ]);
  });

  it('moves a stakeholder', () => {
    const doc = createInitiativeDoc();
    const id = addStakeholder(doc, council);
    moveStakeholder(doc, id, { x: 300.4, y: -80 });
    expect(readInitiative(doc).stakeholders[0]).toMatchObject({ x: 300, y: -80 });
  });

  it('ignores updates and moves of stakeholders that do not exist', () => {
    const doc = createInitiativeDoc();
    addStakeholder(doc, council);
    const before = encodeInitiative(doc);
    updateStakeholder(doc, 'no-such-id', { name: 'Ghost' });
    moveStakeholder(doc, 'no-such-id', { x: 1, y: 1 });
    expect(encodeInitiative(doc)).toEqual(before);
  });

  it('removes stakeholders together with every link that touches them, and keeps the others', () => {
    const doc = createInitiativeDoc();
    const a = addStakeholder(doc, council);
    const b = addStakeholder(doc, foundation);
    const c = addStakeholder(doc, parents);
    addLink(doc, a, b);
    addLink(doc, c, a);
    const bc = addLink(doc, b, c);

    const changes = vi.fn();
    observeInitiative(doc, changes);
    removeStakeholders(doc, [a]);

    const snapshot = readInitiative(doc);
    expect(snapshot.stakeholders.map((s) => s.id).sort()).toEqual([b, c].sort());
    expect(snapshot.links).toEqual([{ id: bc, source: b, target: c }]);
    expect(changes).toHaveBeenCalledTimes(1);
    // The links are gone from the document, not merely hidden by the reader.
    expect(relationshipEntries(doc)).toBe(1);
  });

  it('removes links by id', () => {
    const doc = createInitiativeDoc();
    const a = addStakeholder(doc, council);
    const b = addStakeholder(doc, foundation);
    const link = addLink(doc, a, b);
    expect(link).not.toBeNull();
    hostileWrite(doc, (raw) => raw.getMap<unknown>('entities').set('junk', 'junk'));
    const before = encodeInitiative(doc);
    removeLinks(doc, ['no-such-link']);
    expect(encodeInitiative(doc)).toEqual(before);
    removeLinks(doc, [link!]);
    expect(readInitiative(doc).links).toEqual([]);
    expect(relationshipEntries(doc)).toBe(0);
    expect(doc.getMap('entities').get('junk')).toBe('junk');
    expect(readInitiative(doc).stakeholders).toHaveLength(2);
  });
});

describe('validation', () => {
  it.each([
    ['an empty name', { name: '' }, 'A stakeholder needs a name.'],
    ['a blank name', { name: '   ' }, 'A stakeholder needs a name.'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'Stakeholder name is at most 200 characters.'],
    ['an unknown sector', { sector: 'aliens' as Sector }, 'Stakeholder sector must be one of: government,'],
    ['an unknown role', { role: 'overlord' as StakeholderRole }, 'Stakeholder role must be one of: champion,'],
    ['no sector', { sector: undefined as unknown as Sector }, 'A stakeholder needs a sector.'],
    ['no role', { role: undefined as unknown as StakeholderRole }, 'A stakeholder needs a role.'],
  ])('refuses to add a stakeholder with %s, writing nothing', (_what, patch, message) => {
    const doc = createInitiativeDoc();
    const changes = vi.fn();
    observeInitiative(doc, changes);
    expect(() => addStakeholder(doc, { ...council, ...patch })).toThrow(message);
    expect(readInitiative(doc).stakeholders).toEqual([]);
    expect(changes).not.toHaveBeenCalled();
  });

  it('accepts a name of exactly 200 characters', () => {
    const doc = createInitiativeDoc();
    addStakeholder(doc, { ...council, name: 'x'.repeat(200) });
    expect(readInitiative(doc).stakeholders[0].name).toHaveLength(200);
  });

  it.each([
    [{ name: ' ' }, 'Stakeholder name is required.'],
    [{ sector: 'aliens' as Sector }, 'Stakeholder sector must be one of: government,'],
    [{ role: 'overlord' as StakeholderRole }, 'Stakeholder role must be one of: champion,'],
  ])('refuses the update %j, leaving the stakeholder unchanged', (patch, message) => {
    const doc = createInitiativeDoc();
    const id = addStakeholder(doc, council);
    expect(() => updateStakeholder(doc, id, { role: 'partner', ...patch })).toThrow(message);
    expect(readInitiative(doc).stakeholders).toEqual([{ id, ...council }]);
  });
});

describe('links', () => {
  it('links two stakeholders', () => {
    const doc = createInitiativeDoc();
    const a = addStakeholder(doc, council);
    const b = addStakeholder(doc, foundation);
    const id = addLink(doc, a, b);
    expect(readInitiative(doc).links).toEqual([{ id, source: a, target: b }]);
  });

  it('refuses a link from a stakeholder to itself', () => {
    const doc = createInitiativeDoc();
    const a = addStakeholder(doc, council);
    expect(addLink(doc, a, a)).toBeNull();
    expect(readInitiative(doc).links).toEqual([]);
  });

  it('refuses a link that repeats an existing one, in either direction', () => {
    const doc = createInitiativeDoc();
    const a = addStakeholder(doc, council);
    const b = addStakeholder(doc, foundation);
    expect(addLink(doc, a, b)).not.toBeNull();
    expect(addLink(doc, a, b)).toBeNull();
    expect(addLink(doc, b, a)).toBeNull();
    expect(readInitiative(doc).links).toHaveLength(1);
  });

  it('refuses a link to a missing stakeholder', () => {
    const doc = createInitiativeDoc();
    const a = addStakeholder(doc, council);
    expect(addLink(doc, a, 'missing')).toBeNull();
    expect(addLink(doc, 'missing', a)).toBeNull();
    expect(relationshipEntries(doc)).toBe(0);
  });
});

describe('reading a document written by a hostile client', () => {
  it('skips stakeholders that do not fit the schema and keeps the valid ones', () => {
    const doc = createInitiativeDoc();
    const good = addStakeholder(doc, council);
    hostileWrite(doc, (raw) => {
      const people = raw.getMap<unknown>('entities');
      const placed = raw.getMap<unknown>('placements.stakeholders');
      people.set('unknown-sector', rawPerson({ name: 'Spaceship', sector: 'aliens', role: 'partner' }));
      people.set('unknown-role', rawPerson({ name: 'Boss', sector: 'business', role: 'overlord' }));
      people.set('number-name', rawPerson({ name: 42, sector: 'business', role: 'partner' }));
      people.set('plain-string-name', rawStakeholder({ kind: 'stakeholder', name: 'Plain', sector: 'media', role: 'partner' }));
      people.set('unknown-kind', rawPerson({ kind: 'spaceship', name: 'Enterprise', sector: 'media', role: 'partner' }));
      people.set('not-a-map', 'just a string');
      people.set('an-array', new Y.Array());
      people.set('a-plain-object', { kind: 'stakeholder', name: 'Plain', sector: 'media', role: 'partner' });
      people.set('bad-position', rawPerson({ name: 'Local radio', sector: 'media', role: 'partner' }));
      placed.set('bad-position', { x: 'left', y: 0 });
      placed.set('not-an-entity', { x: 1, y: 1 });
    });

    // Entries without a usable name are left out. A value that does not fit an
    // optional field falls back to its default, so the rest of the entry is not lost.
    expect(readInitiative(doc).stakeholders).toEqual(
      [
        { id: 'bad-position', name: 'Local radio', sector: 'media', role: 'partner', x: 0, y: 0 },
        { id: 'unknown-role', name: 'Boss', sector: 'business', role: 'partner', x: 0, y: 0 },
        { id: 'unknown-sector', name: 'Spaceship', sector: 'government', role: 'partner', x: 0, y: 0 },
        { id: good, ...council },
      ].sort((p, q) => (p.id < q.id ? -1 : 1)),
    );
  });

  it('skips links that do not fit: to missing or skipped stakeholders, malformed, or to itself; and repeats', () => {
    const doc = createInitiativeDoc();
    const a = addStakeholder(doc, council);
    const b = addStakeholder(doc, foundation);
    const kept = addLink(doc, a, b);
    hostileWrite(doc, (raw) => {
      const entities = raw.getMap<unknown>('entities');
      entities.set('bad', rawPerson({ name: 42, sector: 'media', role: 'partner' }));
      const link = (fields: Record<string, unknown>) => rawStakeholder({ kind: 'relationship', relation: 'partners', ...fields });
      entities.set('to-missing', link({ source: a, target: 'missing' }));
      entities.set('to-skipped', link({ source: 'bad', target: b }));
      entities.set('numbers', link({ source: 1, target: 2 }));
      entities.set('not-a-map', `${a}->${b}`);
      entities.set('self', link({ source: a, target: a }));
      // A repeat of the valid link, reversed, with an id that sorts after it.
      entities.set(`${kept}-repeat`, link({ source: b, target: a }));
    });

    expect(readInitiative(doc).links).toEqual([{ id: kept, source: a, target: b }]);
  });

  it('keeps working on a document holding malformed entries', () => {
    const doc = createInitiativeDoc();
    const a = addStakeholder(doc, council);
    const b = addStakeholder(doc, foundation);
    hostileWrite(doc, (raw) => {
      raw.getMap<unknown>('entities').set('junk', 'junk');
      raw.getMap<unknown>('placements.stakeholders').set('junk', 'junk');
    });

    updateStakeholder(doc, 'junk', { name: 'Still junk' });
    moveStakeholder(doc, 'junk', { x: 5, y: 5 });
    const link = addLink(doc, a, b);
    expect(link).not.toBeNull();
    expect(addLink(doc, a, 'junk')).toBeNull();
    removeStakeholders(doc, [a, 'junk']);

    expect(readInitiative(doc)).toEqual({ stakeholders: [{ id: b, ...foundation }], links: [] });
    expect(doc.getMap('entities').has('junk')).toBe(false);
  });
});

describe('collaboration', () => {
  it('converges when two documents exchange their updates, whatever the order of edits', () => {
    const left = createInitiativeDoc();
    const right = createInitiativeDoc();
    const disconnect = connect(left, right);
    const a = addStakeholder(left, council);
    const b = addStakeholder(right, foundation);
    addLink(right, a, b);
    disconnect();

    // Offline, concurrent edits on both sides.
    moveStakeholder(left, a, { x: 10, y: 10 });
    moveStakeholder(right, a, { x: 99, y: 99 });
    updateStakeholder(left, b, { name: 'The Foundation' });
    const c = addStakeholder(right, parents);
    removeStakeholders(left, [b]);
    addLink(right, b, c); // touches b, which the left side removed

    pull(left, right);
    pull(right, left);
    const merged = readInitiative(left);
    expect(readInitiative(right)).toEqual(merged);
    expect(merged.stakeholders.map((s) => s.id).sort()).toEqual([a, c].sort());
    // The link to the removed stakeholder is not shown on either side.
    expect(merged.links).toEqual([]);
    // Concurrent moves resolve to one of the two positions, the same everywhere.
    expect([10, 99]).toContain(merged.stakeholders.find((s) => s.id === a)?.x);
  });

  it('shows one link when two people link the same pair at the same time', () => {
    const left = createInitiativeDoc();
    const right = createInitiativeDoc();
    const a = addStakeholder(left, council);
    const b = addStakeholder(left, foundation);
    pull(right, left);

    const fromLeft = addLink(left, a, b);
    const fromRight = addLink(right, b, a);
    expect(fromLeft).not.toBeNull();
    expect(fromRight).not.toBeNull();
    pull(left, right);
    pull(right, left);

    const links = readInitiative(left).links;
    expect(links).toHaveLength(1);
    expect([fromLeft, fromRight]).toContain(links[0].id);
    expect(readInitiative(right).links).toEqual(links);
  });

  it('removes such a concurrent repeat together with the link shown, so it does not reappear', () => {
    const left = createInitiativeDoc();
    const right = createInitiativeDoc();
    const a = addStakeholder(left, council);
    const b = addStakeholder(left, foundation);
    const c = addStakeholder(left, parents);
    const ac = addLink(left, a, c);
    pull(right, left);
    addLink(left, a, b);
    addLink(right, b, a);
    pull(left, right);
    expect(relationshipEntries(left)).toBe(3);

    const [shown] = readInitiative(left).links.filter((l) => l.id !== ac);
    removeLinks(left, [shown.id]);
    expect(readInitiative(left).links).toEqual([{ id: ac, source: a, target: c }]);
    expect(relationshipEntries(left)).toBe(1);
  });

  it('round-trips through encode and decode', () => {
    const doc = createInitiativeDoc();
    const a = addStakeholder(doc, council);
    const b = addStakeholder(doc, foundation);
    addLink(doc, a, b);
    const copy = decodeInitiative(encodeInitiative(doc));
    expect(copy).not.toBe(doc);
    expect(readInitiative(copy)).toEqual(readInitiative(doc));
    expect(readInitiative(copy).links).toHaveLength(1);
    // The copy keeps collaborating with the original.
    addStakeholder(copy, parents);
    pull(doc, copy);
    expect(readInitiative(doc)).toEqual(readInitiative(copy));
  });

  it('decodes an empty update into an empty initiative', () => {
    expect(readInitiative(decodeInitiative(encodeInitiative(createInitiativeDoc())))).toEqual({
      stakeholders: [],
      links: [],
    });
    expect(SCHEMA_VERSION).toBe(2);
  });
});

describe('observeInitiative', () => {
  it('fires once per transaction that changes something, local or remote, and stops after unsubscribe', () => {
    const doc = createInitiativeDoc();
    const listener = vi.fn();
    const stop = observeInitiative(doc, listener);

    const a = addStakeholder(doc, council);
    expect(listener).toHaveBeenCalledTimes(1);
    moveStakeholder(doc, a, { x: 50, y: 60 }); // two fields, one transaction
    expect(listener).toHaveBeenCalledTimes(2);

    // Nothing changes: no call.
    moveStakeholder(doc, a, { x: 50, y: 60 });
    updateStakeholder(doc, a, { name: council.name });
    expect(addLink(doc, a, a)).toBeNull();
    expect(listener).toHaveBeenCalledTimes(2);

    // A remote change arrives as one update.
    const other = createInitiativeDoc();
    pull(other, doc);
    const b = addStakeholder(other, foundation);
    addLink(other, a, b);
    pull(doc, other);
    expect(listener).toHaveBeenCalledTimes(3);

    stop();
    addStakeholder(doc, parents);
    removeStakeholders(doc, [a]);
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('keeps other listeners when one unsubscribes', () => {
    const doc = createInitiativeDoc();
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = observeInitiative(doc, first);
    observeInitiative(doc, second);
    stopFirst();
    addStakeholder(doc, council);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });
});
