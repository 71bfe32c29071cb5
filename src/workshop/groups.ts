/** The words of a vote's breakdown groups: sectors, roles, and the keys the tally adds. */
import { SECTOR_LABELS, type Sector } from '../../machines/domain.ts';
import { NO_SECTOR, OTHER_GROUP } from '../../machines/workshop/votes.ts';
import { roleLabel } from '../contract/roles.ts';

export function sectorWord(key: string): string {
  if (key === NO_SECTOR) return 'Sector not given';
  if (key === OTHER_GROUP) return 'Other (small groups together)';
  return SECTOR_LABELS[key as Sector] ?? key;
}

export function roleWord(key: string): string {
  if (key === OTHER_GROUP) return 'Other (small groups together)';
  return roleLabel(key);
}

/** "Government 3 · Residents 2", most first. */
export function breakdown(groups: Record<string, number>, word: (key: string) => string): string {
  const entries = Object.entries(groups).filter(([, n]) => n > 0);
  if (entries.length === 0) return '—';
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, n]) => `${word(key)} ${n}`)
    .join(' · ');
}
