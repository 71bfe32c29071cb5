/**
 * Workshops (docs/api.md, "Workshops"; docs/workshops.md): create and list an
 * initiative's workshops, each person's own view of one and its event stream,
 * the commands that run it, and its record. Every route asks the contract's
 * table: seeing is `viewInitiative`, creating is `runWorkshop`, and each
 * command needs the action WORKSHOP_COMMAND_ACTIONS gives it. Views are made
 * per caller, never broadcast: private cards and one's own dots differ from
 * person to person.
 */
import {
  isWorkshopCommandType,
  NewWorkshop,
  unknownWorkshopCommand,
  WORKSHOP_COMMAND_ACTIONS,
  WORKSHOP_COMMAND_SCHEMAS,
  type Action,
  type CreatedWorkshop,
  type WorkshopCommand,
  type WorkshopRefused,
} from '../../src/contract/index.ts';
import { entityTitle, readModel } from '../../src/schema/index.ts';
import { findEntity } from '../../src/schema/model.ts';
import { requireAction, type Access } from '../auth.ts';
import { HttpError, notFound, readJson, sendJson, validate } from '../http/http.ts';
import type { RequestContext, Router } from '../http/router.ts';
import type { AccessWatch, Credential } from '../people/watch.ts';
import type { PeopleStore } from '../people/types.ts';
import type { Initiative } from '../stores.ts';
import type { RoomDocs } from '../sync/rooms.ts';
import { buildRecord, recordMarkdown, type PastAttendance } from '../workshops/record.ts';
import { attendeeOf, type WorkshopRunner } from '../workshops/runner.ts';
import { eventStream, watchAccess } from './stream.ts';

export interface WorkshopDeps {
  member: (ctx: RequestContext, action: Action) => Promise<{ initiative: Initiative; access: Access; credential: Credential }>;
  workshops: WorkshopRunner;
  people: PeopleStore;
  watch: AccessWatch;
  rooms?: Pick<RoomDocs, 'withDoc'>;
  clock?: () => number;
}

const NO_WORKSHOP = 'No workshop with that id in this initiative.';

export function mountWorkshops(router: Router, deps: WorkshopDeps): void {
  const { member } = deps;
  const base = '/api/initiatives/:id/workshops';
  const callerId = (access: Access) => access.member?.id ?? 'admin';

  router.on('POST', base, async (ctx) => {
    const { initiative, access } = await member(ctx, 'runWorkshop');
    const body = validate(NewWorkshop, await readJson(ctx.req));
    const id = await deps.workshops.create(initiative.id, body, attendeeOf(access.member));
    sendJson(ctx.res, 201, { id } satisfies CreatedWorkshop);
  });

  router.on('GET', base, async (ctx) => {
    const { initiative } = await member(ctx, 'viewInitiative');
    sendJson(ctx.res, 200, await deps.workshops.list(initiative.id));
  });

  router.on('GET', `${base}/:wid`, async (ctx) => {
    const { initiative, access } = await member(ctx, 'viewInitiative');
    const view = await deps.workshops.view(initiative.id, ctx.params.wid, callerId(access));
    if (!view) throw notFound(NO_WORKSHOP);
    sendJson(ctx.res, 200, view);
  });

  router.on('GET', `${base}/:wid/stream`, async (ctx) => {
    // Read before the caller's access is: a change to people made meanwhile is rechecked for this stream.
    const version = deps.watch.version;
    const { initiative, access, credential } = await member(ctx, 'viewInitiative');
    const wid = ctx.params.wid;
    const me = callerId(access);
    if (!(await deps.workshops.view(initiative.id, wid, me))) throw notFound(NO_WORKSHOP);
    eventStream(ctx.req, ctx.res, (send, end) => {
      // Listening before the first view is read: a view heard meanwhile is newer, and the first is not sent after it.
      let heard = false;
      const stop = deps.workshops.subscribe(wid, {
        callerId: me,
        view: (view) => {
          heard = true;
          send('workshop', view);
        },
        bring: (event) => send('bring', event),
      });
      deps.workshops.view(initiative.id, wid, me).then((first) => {
        if (!heard && first) send('workshop', first);
      }, end);
      // Registering counts as being here: a running workshop marks the member present.
      const unwatch = watchAccess(deps.watch, initiative.id, credential, access, send, end, undefined, version);
      return () => {
        stop();
        unwatch();
      };
    });
  });

  router.on('POST', `${base}/:wid/commands`, async (ctx) => {
    const { initiative, access } = await member(ctx, 'viewInitiative');
    const body = await readJson(ctx.req);
    const type = (body as { type?: unknown } | null)?.type;
    if (!isWorkshopCommandType(type)) throw new HttpError(400, unknownWorkshopCommand(type), { field: 'type' });
    requireAction(access.role, WORKSHOP_COMMAND_ACTIONS[type]);
    const command = validate(WORKSHOP_COMMAND_SCHEMAS[type], body) as WorkshopCommand;
    // The caller as the workshop knows them: read again, so a sector set a minute ago counts.
    const by = attendeeOf(access.member && ((await deps.people.member(initiative.id, access.member.id)) ?? access.member));
    const result = await deps.workshops.command(initiative.id, ctx.params.wid, command, by);
    if (!result) throw notFound(NO_WORKSHOP);
    if (!result.ok) return sendJson(ctx.res, 409, { error: result.refused } satisfies WorkshopRefused);
    sendJson(ctx.res, 200, result.workflow ? { ...result.view, workflow: result.workflow } : result.view);
  });

  router.on('GET', `${base}/:wid/record`, async (ctx) => {
    const { initiative } = await member(ctx, 'viewInitiative');
    const format = ctx.url.searchParams.get('format') ?? 'json';
    if (format !== 'json' && format !== 'markdown') {
      throw new HttpError(400, 'Ask for the record as json or markdown.', { field: 'format' });
    }
    const state = await deps.workshops.state(initiative.id, ctx.params.wid);
    if (!state) throw notFound(NO_WORKSHOP);
    const earlier = (await deps.workshops.list(initiative.id)).filter((w) => w.id !== ctx.params.wid && w.startedAt !== null);
    const others: PastAttendance[] = (await Promise.all(earlier.map((w) => deps.workshops.state(initiative.id, w.id)))).flatMap((past) =>
      past ? [{ startedAt: past.context.startedAt!, present: new Set(past.context.attendance.filter((e) => e.present).map((e) => e.id)) }] : [],
    );
    const model = deps.rooms ? await deps.rooms.withDoc(initiative.id, readModel) : null;
    const record = buildRecord({
      id: state.stored.id,
      status: state.status,
      context: state.context,
      cards: state.stored.cards,
      members: await deps.people.members(initiative.id),
      others,
      label: (card) => {
        const entity = model ? findEntity(model, card) : undefined;
        return entity ? entityTitle(entity) : card;
      },
      now: (deps.clock ?? Date.now)(),
    });
    if (format === 'json') return sendJson(ctx.res, 200, record);
    const text = recordMarkdown(record);
    ctx.res
      .writeHead(200, {
        'content-type': 'text/markdown; charset=utf-8',
        'cache-control': 'no-store',
        'content-disposition': `attachment; filename="workshop-${state.stored.id}.md"`,
        'x-content-type-options': 'nosniff',
      })
      .end(text);
  });
}
