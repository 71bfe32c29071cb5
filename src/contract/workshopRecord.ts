/**
 * The workshop record's JSON (`GET …/workshops/:wid/record`, docs/api.md):
 * built by server/workshops/record.ts, read by the record page
 * (src/workshop/WorkshopRecordPage.tsx). Types only, no zod: the browser
 * imports it freely.
 */
import type { Sector } from '../../machines/domain.ts';
import type { Board } from '../../machines/entities.ts';
import type { Activity, CardResult, Decision, Turnout } from '../../machines/workshop/index.ts';
import type { WorkshopSummary } from './workshop.ts';

/** A card a reveal placed on a board: the note entity it became, for the record. */
export interface PlacedCard {
  /** The note entity's id in the shared document. */
  entity: string;
  board: string;
  text: string;
  /** The author's name, or null for an anonymous reveal. */
  author: string | null;
  group: string;
  /** The agenda item (index) current at the reveal. */
  item: number | null;
  at: string;
}

export interface RecordPerson {
  id: string;
  name: string;
  role: string;
  sector: Sector | null;
  organisation: string | null;
}

/** The summary's id, title, date, status and times, and everything else the workshop holds. */
export interface WorkshopRecord extends Pick<WorkshopSummary, 'id' | 'title' | 'date' | 'status' | 'startedAt' | 'endedAt'> {
  agenda: {
    index: number;
    title: string;
    activity: Activity;
    minutes: number;
    board: Board | null;
    step: string | null;
    plannedStart: string | null;
    startedAt: string | null;
    endedAt: string | null;
    spentMs: number;
  }[];
  attendance: {
    present: (RecordPerson & { source: 'presence' | 'facilitator' })[];
    absent: RecordPerson[];
    /** Who was present, per sector (`unspecified` when not said) and per organisation. */
    bySector: Record<string, string[]>;
    byOrganisation: Record<string, string[]>;
    missingSectors: Sector[];
    /** Members absent from at least two of the initiative's last workshops (this one included). */
    repeatedAbsences: (RecordPerson & { missed: number; of: number })[];
  };
  votes: {
    id: string;
    status: 'open' | 'closed';
    board: Board | null;
    cards: { id: string; label: string }[];
    budget: number;
    maxPerCard: number;
    anonymous: boolean;
    finished: number;
    results?: (CardResult & { label: string; voterNames?: { name: string; dots: number }[] })[];
    turnout?: Turnout;
  }[];
  decisions: (Decision & { stepTitle: string | null })[];
  cardsAdded: PlacedCard[];
}
