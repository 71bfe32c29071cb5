/** Shared measurement: units, reporting periods, the trend rule and the report card (docs/measures.md). */
export * from './units.ts';
export * from './periods.ts';
export * from './trend.ts';
