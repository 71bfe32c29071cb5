import {
  expect,
  request,
  test,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';

export type MemberRole = 'lead' | 'facilitator' | 'participant' | 'observer';

export function baseUrl(): string {
  const url = process.env.BASE_URL;
  if (!url) throw new Error('BASE_URL is not set: the e2e global setup did not run.');
  return url;
}

/** An API client that speaks as the instance admin. */
export async function adminApi(): Promise<APIRequestContext> {
  const token = process.env.ADMIN_TOKEN;
  if (!token) throw new Error('ADMIN_TOKEN is not set: the e2e global setup did not run.');
  return request.newContext({ baseURL: baseUrl(), extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

export async function createInitiative(api: APIRequestContext, name: string, issue: string): Promise<string> {
  const response = await api.post('/api/initiatives', { data: { name, issue } });
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { id: string };
  return body.id;
}

/**
 * Creates an invite and answers its path (`/join/<token>`), independent of the
 * server's public URL. Invites work once: every person (every `joinAs`) needs
 * their own.
 */
export async function createInvite(api: APIRequestContext, initiativeId: string, role: MemberRole): Promise<string> {
  const response = await api.post(`/api/initiatives/${initiativeId}/invites`, { data: { role } });
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { token: string; url: string };
  return new URL(body.url, baseUrl()).pathname;
}

export interface Member {
  context: BrowserContext;
  page: Page;
}

/**
 * A fresh browser profile that opens its invite, chooses a name and lands on the
 * live initiative page. `prepare` runs on the new context before any page opens
 * (e.g. to route its websockets); `options` sets up the context (e.g. a phone's viewport).
 */
export async function joinAs(
  browser: Browser,
  invitePath: string,
  name: string,
  prepare?: (context: BrowserContext) => Promise<void>,
  options: BrowserContextOptions = {},
): Promise<Member> {
  const context = await browser.newContext({ ...options, baseURL: baseUrl() });
  await prepare?.(context);
  const page = await context.newPage();
  await page.goto(invitePath);
  await expect(page.getByRole('heading', { name: /You’re invited to/ })).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join the initiative' }).click();
  await expect(page).toHaveURL(/\/i\/[^/]+$/);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  return { context, page };
}

/** The card of the stakeholder called `name` on a page's map. */
export function card(page: Page, name: string) {
  return page
    .getByRole('region', { name: 'Stakeholder map' })
    .locator('.react-flow__node')
    .filter({ has: page.getByText(name, { exact: true }) });
}

/** Loads the demo initiative (every board filled in) into an empty initiative, through the import API. */
export async function importDemo(api: APIRequestContext, initiativeId: string, name: string): Promise<void> {
  const { demoExport } = await import('../../server/demoContent.ts');
  const response = await api.post(`/api/initiatives/${initiativeId}/import`, { data: demoExport(name) });
  expect(response.status(), await response.text()).toBeLessThan(300);
}

/** Opens a board's tab and waits for its canvas. */
export async function openBoard(page: Page, board: string) {
  await page.getByRole('tab', { name: board }).click();
  await expect(page.getByRole('region', { name: board })).toBeVisible();
}

/** The card on a board whose text includes `text`. */
export function boardCard(page: Page, board: string, text: string) {
  return page
    .getByRole('region', { name: board })
    .locator('.react-flow__node:not(.region-node)')
    .filter({ has: page.getByText(text, { exact: true }) });
}

/** The side panel of the selected card, named by its kind ("Stakeholder", "Indicator"…). */
export function panel(page: Page, kind: string) {
  return page.getByRole('complementary', { name: kind, exact: true });
}

/**
 * Fills the add form a stakeholder starts with (opened by "Add stakeholder", N
 * or a double-click): its name, its sector, and its role when given.
 */
export async function fillAddStakeholder(page: Page, name: string, sector: string, role?: string): Promise<void> {
  const form = page.getByRole('dialog', { name: 'Add a stakeholder' });
  await expect(form.getByLabel('Name')).toBeFocused();
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Sector').selectOption({ label: sector });
  if (role) await form.getByLabel('Role').selectOption({ label: role });
  await form.getByRole('button', { name: 'Add to the map' }).click();
  await expect(form).toHaveCount(0);
}

/** Opens or closes one of the workspace's panels by its button in the bar ("Workflow", "Details", "Here"). */
export async function setPanel(page: Page, name: string, open: boolean): Promise<void> {
  const button = page.getByRole('group', { name: 'Panels' }).getByRole('button', { name });
  if ((await button.getAttribute('aria-pressed')) !== String(open)) await button.click();
  await expect(button).toHaveAttribute('aria-pressed', String(open));
}

/** Opens the workflow navigator beside the board (the workspace starts with the board taking the page). */
export async function openNavigator(page: Page): Promise<void> {
  await setPanel(page, 'Workflow', true);
  await expect(page.getByRole('region', { name: 'Workflow', exact: true })).toBeVisible();
}

/**
 * A fresh browser profile signed in as the instance admin through the console's
 * token form (the token goes to /api/session and becomes an httpOnly cookie),
 * left on /admin.
 */
export async function signInAsAdmin(browser: Browser, options: BrowserContextOptions = {}): Promise<Member> {
  const token = process.env.ADMIN_TOKEN;
  if (!token) throw new Error('ADMIN_TOKEN is not set: the e2e global setup did not run.');
  const context = await browser.newContext({ ...options, baseURL: baseUrl() });
  const page = await context.newPage();
  await page.goto('/admin');
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Initiatives on this server' })).toBeVisible();
  return { context, page };
}

export const DESKTOP = { width: 1440, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/**
 * Screenshots of the page as it is, at 1440x900 and at 390x844 (whole page),
 * into the test's output folder as `<name>-1440.png` and `<name>-390.png`; the
 * viewport is set back afterwards. `tall`: the viewport is stretched to the
 * page's height first, for pages that draw only what is near the viewport
 * (`content-visibility: auto`), which a whole-page screenshot leaves blank.
 */
export async function screenshots(page: Page, name: string, options: { tall?: boolean } = {}): Promise<void> {
  const before = page.viewportSize();
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    for (let i = 0; options.tall && i < 3; i++) {
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      if (height === page.viewportSize()!.height) break;
      await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
    }
    await page.screenshot({ path: test.info().outputPath(`${name}-${size.width}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}
