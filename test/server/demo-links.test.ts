/**
 * The demo on first start (issue #13, point 6): a city partnership with two
 * linked sub-initiatives, the county coalition one of them; the partnership's
 * governance board links both sub-initiative groups, the coalition's strategies
 * serve the partnership's, and Dana Whitfield leads all three, so her portfolio
 * is a tree.
 */
import { describe, expect, it } from 'vitest';
import type { InitiativeLinks, PortfolioRow } from '../../src/contract/portfolio.ts';
import { DEMO_NAME, DEMO_PARENT_NAME, DEMO_PARENT_STRATEGIES, DEMO_SIBLING_NAME } from '../../server/demoContent.ts';
import { startHarness } from './harness.ts';

type Card = Record<string, unknown> & { kind: string; id: string };

describe('the demo: a city partnership above two linked sub-initiatives', () => {
  it('links the governance groups and strategies, and her three sign-in links give one session all three as lead', async () => {
    const s = await startHarness({ demo: true });
    try {
      const demo = s.convene.demo!;
      const first = await s.api('POST', '/api/session', { token: demo.parentLeadToken }, '');
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const cookie = `cookie:convene_session=${first.body.token as string}`;
      const origin = { origin: s.url };
      for (const token of [demo.leadToken, demo.siblingLeadToken]) {
        const more = await s.api('POST', '/api/session', { token }, cookie, origin);
        expect(more.status, JSON.stringify(more.body)).toBe(200);
        expect(more.body.token).toBe(first.body.token);
      }
      const dana = first.body.token as string;
      const session = await s.api('GET', '/api/session', undefined, dana);
      const roles = Object.fromEntries(
        (session.body.memberships as { initiativeId: string; role: string }[]).map((m) => [m.initiativeId, m.role]),
      );
      expect(roles).toEqual({ [demo.parentId]: 'lead', [demo.initiativeId]: 'lead', [demo.siblingId]: 'lead' });

      // Her portfolio: the partnership above its two sub-initiatives, each with its report card.
      const portfolio = (await s.api('GET', '/api/portfolio', undefined, dana)).body as PortfolioRow[];
      const byId = new Map(portfolio.map((row) => [row.id, row]));
      expect(byId.get(demo.parentId)).toMatchObject({ name: DEMO_PARENT_NAME, parentId: null, role: 'lead' });
      expect(byId.get(demo.initiativeId)).toMatchObject({ name: DEMO_NAME, parentId: demo.parentId, role: 'lead' });
      expect(byId.get(demo.siblingId)).toMatchObject({ name: DEMO_SIBLING_NAME, parentId: demo.parentId, role: 'lead' });
      expect(byId.get(demo.initiativeId)?.reportCard).not.toBeNull();
      expect(byId.get(demo.siblingId)?.reportCard).not.toBeNull();

      // The partnership's governance board: both sub-initiative groups linked to the real ones.
      const parentFile = (await s.api('GET', `/api/initiatives/${demo.parentId}/export`, undefined, dana)).body as { entities: Card[] };
      const linked = parentFile.entities.filter((e) => e.kind === 'group' && e.groupKind === 'sub-initiative');
      expect(linked.map((g) => g.initiativeId).sort()).toEqual([demo.initiativeId, demo.siblingId].sort());
      const links = (await s.api('GET', `/api/initiatives/${demo.parentId}/links`, undefined, dana)).body as InitiativeLinks;
      expect(links.children.map((c) => c.name).sort()).toEqual([DEMO_NAME, DEMO_SIBLING_NAME].sort());
      expect(links.children.every((c) => c.canOpen)).toBe(true);

      // The coalition's strategies serve the partnership's "Prevent teen substance use".
      const coalition = (await s.api('GET', `/api/initiatives/${demo.initiativeId}/links`, undefined, dana)).body as InitiativeLinks;
      expect(coalition.parent).toMatchObject({ id: demo.parentId, name: DEMO_PARENT_NAME, canOpen: true });
      expect(coalition.parent?.strategies?.map((st) => st.id)).toContain(DEMO_PARENT_STRATEGIES.substance);
      const coalitionFile = (await s.api('GET', `/api/initiatives/${demo.initiativeId}/export`, undefined, dana)).body as { entities: Card[] };
      const serves = coalitionFile.entities.filter((e) => e.kind === 'strategy').map((e) => e.servesId);
      expect(serves).toEqual([DEMO_PARENT_STRATEGIES.substance, DEMO_PARENT_STRATEGIES.substance, DEMO_PARENT_STRATEGIES.substance]);
    } finally {
      await s.stop();
    }
  });
});
