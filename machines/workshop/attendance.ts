/**
 * Who attended a workshop: marked present from presence (the server sends
 * `attendance.seen` when someone is connected while it runs) and corrected by
 * the facilitator (`attendance.set`), whose word wins over presence. The
 * record shows attendance by organisation and sector, and which sectors were
 * missing.
 */
import { SECTORS, type Sector } from '../domain.ts';

/** A person as the server knows them from the session and the member record. */
export interface Attendee {
  id: string;
  name: string;
  /** Their role in the initiative. */
  role: string;
  sector: Sector | null;
  organisation: string | null;
}

export interface AttendanceEntry extends Attendee {
  present: boolean;
  /** `presence`: seen connected; `facilitator`: set by hand (presence no longer changes it). */
  source: 'presence' | 'facilitator';
  at: string;
}

/** The list with `person` present, unless the facilitator has already said otherwise. */
export function markSeen(list: readonly AttendanceEntry[], person: Attendee, at: string): AttendanceEntry[] {
  const entry = list.find((e) => e.id === person.id);
  if (entry && (entry.source === 'facilitator' || entry.present)) return [...list];
  return upsert(list, { ...person, present: true, source: 'presence', at });
}

/** The facilitator's correction: present or not, whatever presence said. */
export function setAttendance(
  list: readonly AttendanceEntry[],
  person: Attendee,
  present: boolean,
  at: string,
): AttendanceEntry[] {
  return upsert(list, { ...person, present, source: 'facilitator', at });
}

function upsert(list: readonly AttendanceEntry[], entry: AttendanceEntry): AttendanceEntry[] {
  const index = list.findIndex((e) => e.id === entry.id);
  if (index === -1) return [...list, entry];
  const next = [...list];
  next[index] = entry;
  return next;
}

/** The sectors nobody present speaks for, in the domain's order. */
export function missingSectors(list: readonly AttendanceEntry[]): Sector[] {
  const present = new Set(list.filter((e) => e.present).map((e) => e.sector));
  return SECTORS.filter((s) => !present.has(s));
}
