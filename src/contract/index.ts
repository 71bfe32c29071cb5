/**
 * The browser–server contract: roles and the one table of what each may do,
 * the request bodies and commands with their refusals, and the shapes the
 * server answers with. Imported by server/ and src/; imports only machines/ and
 * zod (.dependency-cruiser.cjs).
 *
 * Browser code takes values from the module that defines them (permissions.ts,
 * roles.ts, limits.ts), not from this barrel: the barrel brings the zod schemas,
 * and with them zod, into the browser's first download. Types may come from here.
 */
export * from './answers.ts';
export * from './closeCodes.ts';
export * from './commands.ts';
export * from './limits.ts';
export * from './measureAccess.ts';
export * from './measures.ts';
export * from './permissions.ts';
export * from './portfolio.ts';
export * from './requests.ts';
export * from './roles.ts';
export * from './view.ts';
export * from './workshop.ts';
export * from './workshopRecord.ts';
