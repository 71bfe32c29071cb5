/**
 * The record's JSON (`GET …/workshops/:wid/record`), as the server writes it
 * (server/workshops/record.ts). It is not in src/contract yet: the browser
 * reads only what it shows here and checks the top level before using it.
 */
import type { Sector } from '../../machines/domain.ts';
import type { VoteView } from '../contract/workshop.ts';

export interface RecordPerson {
  id: string;
  name: string;
  role: string;
  sector: Sector | null;
  organisation: string | null;
}

export interface WorkshopRecord {
  attendance: {
    absent: RecordPerson[];
    byOrganisation: Record<string, string[]>;
    repeatedAbsences: (RecordPerson & { missed: number; of: number })[];
  };
  votes: (Pick<VoteView, 'id'> & { cards: { id: string; label: string }[] })[];
  decisions: { id: string; stepTitle: string | null }[];
  cardsAdded: { entity: string; board: string; text: string; author: string | null; group: string; at: string }[];
}

export function readRecord(value: unknown): WorkshopRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<WorkshopRecord>;
  if (!r.attendance || !Array.isArray(r.votes) || !Array.isArray(r.decisions) || !Array.isArray(r.cardsAdded))
    return null;
  if (!Array.isArray(r.attendance.absent) || !Array.isArray(r.attendance.repeatedAbsences)) return null;
  return r as WorkshopRecord;
}
