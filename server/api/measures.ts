/**
 * Shared measurement (docs/api.md "Shared measurement", docs/measures.md): an
 * indicator's settings, its values (JSON or CSV), their review, the report
 * card, and the public report with its links. Every route first asks the
 * contract's table whether the caller is in the initiative at all
 * (`viewInitiative`, or `publishReport` for links); what they may do with each
 * indicator is then `measureRights`, in the service (server/measures/service.ts).
 * The public report alone needs no sign-in: its link's token is the key.
 */
import type { IncomingMessage } from 'node:http';
import {
  IndicatorSettingsChange,
  MEASURE_LIMITS,
  ReviewBody,
  type Action,
  type ReportLink,
  type RowIssue,
} from '../../src/contract/index.ts';
import type { Access } from '../auth.ts';
import { HttpError, notFound, publicOrigin, readJson, sendJson, validate } from '../http/http.ts';
import type { RequestContext, Router } from '../http/router.ts';
import { authorOf, viewerOf, type MeasureService, type SentRow } from '../measures/service.ts';
import { readNumber } from '../../machines/measures/units.ts';
import { parseMeasurementsCsv } from '../measures/csv.ts';
import type { ReportLinkRecord } from '../measures/types.ts';
import type { Credential } from '../people/watch.ts';
import type { Initiative } from '../stores.ts';

export interface MeasureDeps {
  member: (ctx: RequestContext, action: Action) => Promise<{ initiative: Initiative; access: Access; credential: Credential }>;
  measures: MeasureService;
  publicUrl?: string;
}

const TOO_LARGE = `The values are larger than ${MEASURE_LIMITS.bodyBytes / 1024 / 1024} MiB: send them in smaller files.`;
const TOO_MANY = `At most ${MEASURE_LIMITS.rowsMax} values at once: send them in smaller files.`;
const NOT_AN_ARRAY = 'Send the values as a JSON array of { indicator, date, value, subgroup?, note? }, or as text/csv.';

export function mountMeasures(router: Router, { member, measures, publicUrl }: MeasureDeps): void {
  const base = '/api/initiatives/:id';

  router.on('GET', `${base}/indicators`, async (ctx) => {
    const { initiative, access } = await member(ctx, 'viewInitiative');
    sendJson(ctx.res, 200, await measures.indicatorViews(viewerOf(access), initiative.id));
  });

  router.on('PATCH', `${base}/indicators/:indicatorId`, async (ctx) => {
    const { initiative, access } = await member(ctx, 'viewInitiative');
    const change = validate(IndicatorSettingsChange, await readJson(ctx.req));
    sendJson(ctx.res, 200, await measures.changeSettings(access, initiative.id, ctx.params.indicatorId, change));
  });

  router.on('GET', `${base}/measurements`, async (ctx) => {
    const { initiative, access } = await member(ctx, 'viewInitiative');
    const indicator = ctx.url.searchParams.get('indicator') || undefined;
    const history = ctx.url.searchParams.get('history') === '1';
    sendJson(ctx.res, 200, await measures.measurements(viewerOf(access), initiative.id, { indicator, history }));
  });

  router.on('POST', `${base}/measurements`, async (ctx) => {
    const { initiative, access } = await member(ctx, 'viewInitiative');
    const { rows, unreadable } = await readRows(ctx.req);
    const replace = ctx.url.searchParams.get('replace') === '1';
    sendJson(ctx.res, 200, await measures.enter(access, initiative.id, rows, replace, unreadable));
  });

  router.on('POST', `${base}/measurements/:mid/review`, async (ctx) => {
    const { initiative, access } = await member(ctx, 'viewInitiative');
    const body = validate(ReviewBody, await readJson(ctx.req));
    sendJson(ctx.res, 200, await measures.review(access, initiative.id, ctx.params.mid, body));
  });

  router.on('GET', `${base}/report-card`, async (ctx) => {
    const { initiative, access } = await member(ctx, 'viewInitiative');
    sendJson(ctx.res, 200, await measures.reportCard(viewerOf(access), initiative.id));
  });

  const link = (req: IncomingMessage, record: ReportLinkRecord): ReportLink => ({
    id: record.id,
    token: record.token,
    url: `${publicOrigin(req, publicUrl)}/report/${encodeURIComponent(record.token)}`,
    createdAt: record.createdAt,
    createdBy: record.createdBy.name,
  });

  router.on('GET', `${base}/report-links`, async (ctx) => {
    const { initiative } = await member(ctx, 'publishReport');
    const links = await measures.store.reportLinks(initiative.id);
    sendJson(ctx.res, 200, links.map((l) => link(ctx.req, l)));
  });

  router.on('POST', `${base}/report-links`, async (ctx) => {
    const { initiative, access } = await member(ctx, 'publishReport');
    const record = await measures.store.createReportLink(initiative.id, authorOf(access), new Date(measures.now()).toISOString());
    sendJson(ctx.res, 201, link(ctx.req, record));
  });

  router.on('DELETE', `${base}/report-links/:linkId`, async (ctx) => {
    const { initiative } = await member(ctx, 'publishReport');
    if (!(await measures.store.revokeReportLink(initiative.id, ctx.params.linkId))) throw notFound('No report link with that id in this initiative.');
    ctx.res.writeHead(204).end();
  });

  // No sign-in: whoever holds the link reads the public indicators' approved values.
  router.on('GET', '/api/report/:token', async (ctx) => {
    sendJson(ctx.res, 200, await measures.publicReport(ctx.params.token));
  });
}

/** The rows of a POST: a JSON array, or CSV (`text/csv`, with the rows it could not read); the body at most MEASURE_LIMITS.bodyBytes. */
async function readRows(req: IncomingMessage): Promise<{ rows: SentRow[]; unreadable: RowIssue[] }> {
  const type = req.headers['content-type'] ?? '';
  if (/^text\/csv\b/i.test(type)) return csvRows(await readText(req));
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'Send the values as application/json (an array) or as text/csv with the columns indicator,date,value,subgroup,note.');
  }
  const body = await readJson(req, MEASURE_LIMITS.bodyBytes).catch((error: unknown) => {
    if (error instanceof HttpError && error.status === 413) throw new HttpError(413, TOO_LARGE);
    throw error;
  });
  if (!Array.isArray(body)) throw new HttpError(400, NOT_AN_ARRAY, { field: '(body)' });
  if (body.length === 0) throw new HttpError(400, 'Send at least one value.', { field: '(body)' });
  if (body.length > MEASURE_LIMITS.rowsMax) throw new HttpError(400, TOO_MANY, { field: '(body)' });
  return { rows: body.map((fields, i) => ({ row: i + 1, fields })), unreadable: [] };
}

function csvRows(text: string): { rows: SentRow[]; unreadable: RowIssue[] } {
  const parsed = parseMeasurementsCsv(text);
  // A file with no readable header or no rows at all has nothing to check row by row.
  if (parsed.issues.some((i) => i.field === 'file')) throw new HttpError(400, 'The file cannot be read, so nothing was written.', { issues: parsed.issues });
  if (parsed.rows.length > MEASURE_LIMITS.rowsMax) throw new HttpError(400, TOO_MANY, { issues: [{ row: 1, field: 'file', message: TOO_MANY }] });
  const rows = parsed.rows.map(({ line, indicator, date, value, subgroup, note }) => {
    const read = readNumber(value);
    return {
      row: line,
      fields: { indicator, date, value: 'value' in read ? read.value : value, subgroup: subgroup || undefined, note: note || undefined },
    };
  });
  return { rows, unreadable: parsed.issues };
}

/** A text body of at most MEASURE_LIMITS.bodyBytes (refused as soon as it is larger). */
async function readText(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MEASURE_LIMITS.bodyBytes) throw new HttpError(413, TOO_LARGE);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MEASURE_LIMITS.bodyBytes) throw new HttpError(413, TOO_LARGE);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
