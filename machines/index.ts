export * from './domain.ts';
export * from './entities.ts';
export * from './estimate.ts';
export * from './readiness.ts';
export * from './steps.ts';
export * from './thresholds.ts';
export * from './workflow.ts';
