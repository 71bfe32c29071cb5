/** Helpers for test/e2e/workshop.spec.ts: the live bar, the shared timer as each page shows it, screenshots. */
import { expect, type Page } from '@playwright/test';

export const MAP = 'Stakeholder map';
export const FRAMEWORK = 'Strategic action framework';

/** The live bar a running workshop puts over the workspace. */
export const liveBar = (page: Page) => page.getByRole('region', { name: 'Workshop in progress' });

/**
 * What a page's running timer shows (`data-remaining-ms`, refreshed every 50 ms) and when it computed it
 * (`data-read-at`, ms since the epoch on the computer's monotonic clock, which a wrong `Date` does not move).
 */
export interface TimerShown {
  ms: number;
  at: number;
}

export function timerShown(page: Page): Promise<TimerShown> {
  return page.evaluate(() => {
    const timer = document.querySelector<HTMLElement>('[data-testid="workshop-timer"]');
    return timer ? { ms: Number(timer.dataset.remainingMs), at: Number(timer.dataset.readAt) } : { ms: NaN, at: NaN };
  });
}

/**
 * The pages' running timers brought to one instant (the latest reading): each shown time less what has run
 * since that page computed it. The pages are then compared, not when each happened to be asked.
 */
export function atOneInstant(readings: TimerShown[]): number[] {
  const instant = Math.max(...readings.map((r) => r.at));
  return readings.map((r) => r.ms - (instant - r.at));
}

/** The open board tab's name. */
export const openTab = (page: Page) => page.getByRole('tab', { selected: true });

/** Screenshots of the page at 1440x900 and at 390x844 (a phone), under test-results/workshop/; back to 1440x900 after. */
export async function shoot(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ]) {
    await page.setViewportSize({ width, height });
    // Let the layout settle (a resize re-lays out the board): the next frame after two animation frames.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.screenshot({ path: `test-results/workshop/${name}-${width}x${height}.png`, fullPage: false });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Fills agenda item `n` (from 1) of the agenda editor. */
export async function fillItem(
  page: Page,
  n: number,
  item: { title: string; minutes: number; activity: string; board?: string; prompt?: string },
): Promise<void> {
  const row = page
    .getByRole('list', { name: 'Agenda' })
    .getByRole('listitem')
    .nth(n - 1);
  await row.getByLabel(`Item ${n}: title`).fill(item.title);
  await row.getByLabel('Minutes').fill(String(item.minutes));
  await row.getByLabel('Activity').selectOption({ label: item.activity });
  if (item.board) await row.getByLabel('Board').selectOption({ label: item.board });
  if (item.prompt) await row.getByLabel('Prompt').fill(item.prompt);
  await expect(row.getByLabel(`Item ${n}: title`)).toHaveValue(item.title);
}

/** A board's pan and zoom as React Flow draws it. */
export function viewOf(page: Page, board: string): Promise<{ x: number; y: number; zoom: number }> {
  return page
    .getByRole('region', { name: board })
    .locator('.react-flow__viewport')
    .evaluate((el) => {
      const match = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec((el as HTMLElement).style.transform);
      return { x: Number(match?.[1]), y: Number(match?.[2]), zoom: Number(match?.[3]) };
    });
}
