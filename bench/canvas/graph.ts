/**
 * The benchmark's board, generated from a seed: 1,000 stakeholders in a grid on
 * the stakeholder map and 1,500 relationships between them (no pair twice, in
 * either direction). The same graph comes out twice: as a Convene export file
 * (convene.initiative v1, for POST /api/initiatives/:id/import) and as plain
 * React Flow nodes and edges for the reference page.
 */
import { SECTORS, SECTOR_LABELS, STAKEHOLDER_ROLES, STAKEHOLDER_ROLE_LABELS } from '../../machines/domain.ts';
import { RELATION_KINDS, RELATION_LABELS } from '../../machines/entities.ts';
import * as lib0Prng from 'lib0/prng';

export const CARDS = 1000;
export const LINKS = 1500;
/** 32 x 32 cells of 240 x 150 flow units: the board fits a 1600 x 1000 window at zoom 0.1 (the canvas's minimum). */
export const COLUMNS = 32;
const COL = 240;
const ROW = 150;

/** A seeded source of floats in [0, 1): the same sequence everywhere for a seed (lib0's xoroshiro128+). */
export function prng(seed: number): () => number {
  const generator = lib0Prng.create(seed);
  return () => lib0Prng.real53(generator);
}

export const stakeholderId = (i: number) => `s-${String(i).padStart(4, '0')}`;

const ORGANISATIONS = [
  'County office',
  'City hall',
  'Regional network',
  'Local chapter',
  'Neighbourhood association',
  'State agency',
];
const NAMES = [
  'Health',
  'Youth',
  'Housing',
  'Schools',
  'Transit',
  'Food',
  'Jobs',
  'Parks',
  'Library',
  'Clinic',
  'Faith',
  'Press',
];

interface Stakeholder {
  kind: 'stakeholder';
  id: string;
  name: string;
  organisation: string;
  sector: (typeof SECTORS)[number];
  role: (typeof STAKEHOLDER_ROLES)[number];
  influence: number;
  interest: number;
}

interface Relationship {
  kind: 'relationship';
  id: string;
  source: string;
  target: string;
  relation: (typeof RELATION_KINDS)[number];
}

export interface ReferenceGraph {
  nodes: {
    id: string;
    type: 'stakeholder';
    position: { x: number; y: number };
    data: Record<string, string | number>;
  }[];
  edges: { id: string; source: string; target: string; label: string; className: string; arrow: boolean }[];
}

export interface BenchGraph {
  /** A Convene export file. */
  exportFile: unknown;
  reference: ReferenceGraph;
}

export function generateGraph(seed = 20261122): BenchGraph {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const stakeholders: Stakeholder[] = [];
  const positions: Record<string, { x: number; y: number }> = {};
  for (let i = 0; i < CARDS; i++) {
    const id = stakeholderId(i);
    stakeholders.push({
      kind: 'stakeholder',
      id,
      name: `${pick(NAMES)} ${pick(['coalition', 'council', 'alliance', 'department', 'fund', 'board'])} ${i}`,
      organisation: random() < 0.8 ? pick(ORGANISATIONS) : '',
      sector: pick(SECTORS),
      role: pick(STAKEHOLDER_ROLES),
      influence: 1 + Math.floor(random() * 5),
      interest: 1 + Math.floor(random() * 5),
    });
    positions[id] = { x: (i % COLUMNS) * COL, y: Math.floor(i / COLUMNS) * ROW };
  }

  // Two links in three join near neighbours (within three cells), the rest any two cards.
  const relationships: Relationship[] = [];
  const seen = new Set<string>();
  while (relationships.length < LINKS) {
    const a = Math.floor(random() * CARDS);
    let b: number;
    if (random() < 2 / 3) {
      const dx = Math.floor(random() * 7) - 3;
      const dy = Math.floor(random() * 7) - 3;
      b = a + dy * COLUMNS + dx;
      if (b < 0 || b >= CARDS || Math.abs((b % COLUMNS) - (a % COLUMNS)) > 3) continue;
    } else {
      b = Math.floor(random() * CARDS);
    }
    if (a === b) continue;
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    relationships.push({
      kind: 'relationship',
      id: `r-${String(relationships.length).padStart(4, '0')}`,
      source: stakeholderId(a),
      target: stakeholderId(b),
      relation: pick(RELATION_KINDS),
    });
  }

  const exportFile = {
    format: 'convene.initiative',
    version: 1,
    exportedAt: new Date(0).toISOString(),
    initiative: { id: 'bench', name: 'Canvas benchmark', issue: 'A board with 1,000 cards and 1,500 links' },
    entities: [...stakeholders, ...relationships],
    placements: { stakeholders: positions, boundaries: {}, framework: {}, governance: {} },
  };

  // What the stakeholder map shows for the same entities (src/boards/stakeholders/elements.ts), as plain data.
  const reference: ReferenceGraph = {
    nodes: stakeholders.map((s) => ({
      id: s.id,
      type: 'stakeholder',
      position: positions[s.id],
      data: {
        name: s.name,
        organisation: s.organisation,
        sector: s.sector,
        sectorLabel: SECTOR_LABELS[s.sector],
        roleLabel: STAKEHOLDER_ROLE_LABELS[s.role],
        influence: s.influence,
        interest: s.interest,
      },
    })),
    edges: relationships.map((r) => ({
      id: r.id,
      source: r.source,
      target: r.target,
      label: RELATION_LABELS[r.relation],
      className: `edge--${r.relation}`,
      arrow: r.relation !== 'partners',
    })),
  };
  return { exportFile, reference };
}
