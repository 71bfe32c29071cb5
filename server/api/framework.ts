/**
 * The framework's saved versions (docs/api.md "Framework versions",
 * docs/framework.md): the timeline, one version, and the comparison of two
 * readings (a version id or `current`, the board now). Reading needs only
 * `viewInitiative`: every member sees the framework board. Saving and
 * restoring are workflow events (`framework.revise` with a `version`,
 * `framework.restore`), checked as `steerWorkflow` by POST …/events.
 */
import { CURRENT_FRAMEWORK, PORTFOLIO_REFUSALS, type Action } from '../../src/contract/index.ts';
import type { Access } from '../auth.ts';
import type { FrameworkVersions } from '../framework/service.ts';
import { HttpError, notFound, sendJson } from '../http/http.ts';
import type { RequestContext, Router } from '../http/router.ts';
import type { Initiative } from '../stores.ts';

export interface FrameworkDeps {
  member: (ctx: RequestContext, action: Action) => Promise<{ initiative: Initiative; access: Access }>;
  /** The service, asked at each request; without one (a runner built without versions) the routes answer 503. */
  versions: () => FrameworkVersions | undefined;
}

/** The 400 of a comparison that does not say what to compare. */
export const missingSide = (side: 'from' | 'to') =>
  `Say what to compare ${side === 'from' ? 'from' : 'to'}: ?${side}= a version id, or "${CURRENT_FRAMEWORK}" for the framework on the board now.`;

export function mountFramework(router: Router, { member, versions }: FrameworkDeps): void {
  const base = '/api/initiatives/:id/framework';
  const service = (): FrameworkVersions => {
    const found = versions();
    if (!found) throw new HttpError(503, 'Framework versions are not available on this server.');
    return found;
  };

  router.on('GET', `${base}/versions`, async (ctx) => {
    const { initiative } = await member(ctx, 'viewInitiative');
    sendJson(ctx.res, 200, await service().list(initiative.id));
  });

  router.on('GET', `${base}/versions/:vid`, async (ctx) => {
    const { initiative } = await member(ctx, 'viewInitiative');
    const version = await service().get(initiative.id, ctx.params.vid);
    if (!version) throw notFound(PORTFOLIO_REFUSALS.noVersion);
    sendJson(ctx.res, 200, version);
  });

  router.on('GET', `${base}/diff`, async (ctx) => {
    const { initiative } = await member(ctx, 'viewInitiative');
    const from = ctx.url.searchParams.get('from')?.trim() ?? '';
    const to = ctx.url.searchParams.get('to')?.trim() ?? '';
    if (!from) throw new HttpError(400, missingSide('from'), { field: 'from' });
    if (!to) throw new HttpError(400, missingSide('to'), { field: 'to' });
    const diff = await service().diff(initiative.id, from, to);
    if ('unknown' in diff) {
      const given = (diff.unknown === 'from' ? from : to).slice(0, 100);
      throw new HttpError(404, `${PORTFOLIO_REFUSALS.noVersion} ?${diff.unknown}= says "${given}".`, {
        field: diff.unknown,
      });
    }
    sendJson(ctx.res, 200, diff);
  });
}
