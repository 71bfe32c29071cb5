/**
 * The phase steps in one import: the catalogue (./catalogue.ts), its checks
 * (./checks.ts) and their evaluation against the document (./evaluation.ts).
 */
export * from './catalogue.ts';
export * from './checks.ts';
export * from './evaluation.ts';
