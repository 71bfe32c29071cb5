/**
 * The record's JSON (`GET …/workshops/:wid/record`) checked at its top level
 * before the page uses it; its shape is the contract's (src/contract/workshopRecord.ts).
 */
import type { WorkshopRecord } from '../contract/workshopRecord.ts';

export function readRecord(value: unknown): WorkshopRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<WorkshopRecord>;
  if (!r.attendance || !Array.isArray(r.votes) || !Array.isArray(r.decisions) || !Array.isArray(r.cardsAdded))
    return null;
  if (!Array.isArray(r.attendance.absent) || !Array.isArray(r.attendance.repeatedAbsences)) return null;
  return r as WorkshopRecord;
}
