/**
 * The Chromium every browser test and benchmark drives (Debian's package), and
 * its flags: one place for playwright.config.ts and bench/servers.ts.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
