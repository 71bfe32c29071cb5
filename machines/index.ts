export * from './domain.ts';
export * from './readiness.ts';
export * from './workflow.ts';
