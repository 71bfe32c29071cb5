/**
 * The browser–server contract: roles and the one table of what each may do,
 * the request bodies and commands with their refusals, and the shapes the
 * server answers with. Imported by server/ and src/; imports only machines/ and
 * zod (.dependency-cruiser.cjs).
 */
export * from './commands.ts';
export * from './permissions.ts';
export * from './requests.ts';
export * from './roles.ts';
export * from './view.ts';
