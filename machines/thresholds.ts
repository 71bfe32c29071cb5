/**
 * The numbers the phase guards compare with. Every initiative starts from the
 * defaults below; a lead or facilitator may change them (event
 * `settings.thresholds`), and the change is validated and kept in the history.
 */

export interface Thresholds {
  /** Phase I, landscape: stakeholders on the map. */
  minStakeholders: number;
  /** Phase I, landscape: sectors those stakeholders come from. */
  minSectors: number;
  /** Phase I, landscape: people affected by the issue (stakeholder role 'affected'). */
  minAffected: number;
  /** Phase I, landscape: existing efforts recorded. */
  minEfforts: number;
  /** Phase I, governance: sectors the steering committee's members span. */
  minGroupSectors: number;
  /** Phase I, evaluation: baseline data items, each with a source and a date. */
  minBaselineItems: number;
  /** Phase II, common agenda: key strategies in the framework (one short-term win and one long-term strategy among them). */
  minStrategies: number;
  /** Phase II, shared measures: at most this many indicators ("a short list"). */
  maxIndicators: number;
  /** Phase III, data: measurements recorded for each indicator. */
  minMeasurements: number;
}

export type ThresholdName = keyof Thresholds;

export const DEFAULT_THRESHOLDS: Thresholds = {
  minStakeholders: 8,
  minSectors: 3,
  minAffected: 1,
  minEfforts: 1,
  minGroupSectors: 3,
  minBaselineItems: 2,
  minStrategies: 2,
  maxIndicators: 12,
  minMeasurements: 1,
};

export interface ThresholdInfo {
  /** Reads as "at least 8 stakeholders on the map" with the value in front. */
  label: string;
  min: number;
  max: number;
}

export const THRESHOLD_INFO: Record<ThresholdName, ThresholdInfo> = {
  minStakeholders: { label: 'Minimum stakeholders on the map', min: 1, max: 500 },
  minSectors: { label: 'Minimum sectors on the map', min: 1, max: 9 },
  minAffected: { label: 'Minimum people affected by the issue on the map', min: 1, max: 100 },
  minEfforts: { label: 'Minimum existing efforts recorded', min: 0, max: 100 },
  minGroupSectors: { label: 'Minimum sectors in the steering committee', min: 1, max: 9 },
  minBaselineItems: { label: 'Minimum baseline data items', min: 1, max: 100 },
  minStrategies: { label: 'Minimum key strategies', min: 2, max: 50 },
  maxIndicators: { label: 'Maximum shared measures', min: 1, max: 100 },
  minMeasurements: { label: 'Minimum measurements per indicator', min: 1, max: 100 },
};

export const THRESHOLD_NAMES = Object.keys(DEFAULT_THRESHOLDS) as ThresholdName[];

export function isThresholdName(value: unknown): value is ThresholdName {
  return typeof value === 'string' && (THRESHOLD_NAMES as string[]).includes(value);
}

/** Why a change of thresholds cannot be accepted, in words; empty when it can. */
export function validateThresholds(change: Record<string, unknown>): string[] {
  const names = Object.keys(change);
  if (names.length === 0) return ['Say which threshold to change.'];
  const messages: string[] = [];
  for (const name of names) {
    if (!isThresholdName(name)) {
      messages.push(`There is no threshold "${name}". Known thresholds: ${THRESHOLD_NAMES.join(', ')}.`);
      continue;
    }
    const { label, min, max } = THRESHOLD_INFO[name];
    const value = change[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      messages.push(`${label} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)}).`);
    }
  }
  return messages;
}

/** One sentence per changed threshold: "Minimum stakeholders on the map: 8 → 12." */
export function describeThresholdChange(before: Thresholds, change: Partial<Thresholds>): string[] {
  return THRESHOLD_NAMES.filter((name) => change[name] !== undefined).map(
    (name) => `${THRESHOLD_INFO[name].label}: ${before[name]} → ${change[name]}.`,
  );
}
