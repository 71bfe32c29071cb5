/**
 * Shared measurement on the server (docs/measures.md): the one place that
 * reads the board's indicators beside the stored values, decides with
 * `measureRights` what each caller may see, enter, review and configure, and
 * tells the initiative's listeners what changed. The API (server/api/measures.ts),
 * the event stream and the workflow go through it (the export asks the same
 * rule: server/measures/exchange.ts), so access is decided at the moment of
 * each request: a member removed or made an observer loses their rights at once.
 */
import type { InitiativeModel } from '../../machines/entities.ts';
import { dateProblem, isRealDate, periodLabel, today } from '../../machines/measures/periods.ts';
import { formatValue, valueProblem } from '../../machines/measures/units.ts';
import {
  can,
  MEASURE_REFUSALS,
  measureRights,
  refusalFor,
  reviewsOwnValue,
  type BatchAccepted,
  type DatedValue,
  type IndicatorSettingsChange,
  type IndicatorSettingsView,
  type MeasureRights,
  type MeasurementRow,
  type MeasureViewer,
  type PublicReport,
  type ReportCardAnswer,
  type ReviewBody,
  type RowIssue,
} from '../../src/contract/index.ts';
import { readModel } from '../../src/schema/model.ts';
import { forbidden, HttpError, notFound } from '../http/http.ts';
import type { Access, PeopleStore } from '../people/types.ts';
import type { Initiative } from '../stores.ts';
import type { RoomDocs } from '../sync/rooms.ts';
import { checkRows, IndicatorIndex, type BoardIndicator, type SentRow } from './batch.ts';
import { byIndicator, publicReport, reportCardAnswer } from './report.ts';
import { DEFAULT_SETTINGS, ReplaceNeeded, type Author, type IndicatorSettings, type MeasureStore, type StoredMeasurement } from './types.ts';

export type { BoardIndicator, SentRow };

/** What changed in an initiative's measures: never values, only which indicators. */
export interface MeasuresChange {
  /** Indicators whose values or settings changed. */
  indicators: string[];
  /** Indicators whose access level or stewards changed: who may see them changed too. */
  accessChanged: string[];
}

export interface MeasureServiceDeps {
  store: MeasureStore;
  /** Where the board lives (server/sync/rooms.ts). */
  rooms: Pick<RoomDocs, 'withDoc'>;
  people: Pick<PeopleStore, 'member' | 'members'>;
  initiatives: { getInitiative(id: string): Promise<Initiative | undefined> };
  /** The server's clock (ms): "not in the future" and every entry and review time go by it. */
  clock: () => number;
}

const SEE_REFUSAL = (name: string) => `“${name}” is restricted: only the backbone lead and its data stewards can see its values.`;

/** A member's or the admin's access → who they are to `measureRights`. */
export function viewerOf(access: Access): MeasureViewer {
  return { role: access.role, memberId: access.member?.id ?? null };
}

/** Who enters or reviews, as the row keeps them. */
export function authorOf(access: Access): Author {
  return access.member
    ? { id: access.member.id, name: access.member.name ?? access.member.label ?? 'Unnamed member' }
    : { id: null, name: 'Administrator' };
}

/** The indicators on the framework board, as the shared document defines them. */
export function boardIndicators(model: InitiativeModel): BoardIndicator[] {
  return model.entities.indicator.map(({ kind: _kind, ...indicator }) => indicator);
}

export function toRow(m: StoredMeasurement): MeasurementRow {
  return {
    id: m.id,
    indicator: m.indicator,
    date: m.date,
    period: m.period,
    value: m.value,
    subgroup: m.subgroup,
    note: m.note,
    enteredBy: m.enteredBy.name,
    enteredById: m.enteredBy.id,
    enteredAt: m.enteredAt,
    status: m.status,
    review: m.review && { by: m.review.by.name, at: m.review.at, reason: m.review.reason },
    current: m.current,
  };
}

export class MeasureService {
  readonly store: MeasureStore;
  private readonly listeners = new Map<string, Set<(change: MeasuresChange) => void>>();
  private readonly everywhere = new Set<(initiativeId: string, change: MeasuresChange) => void>();

  constructor(private readonly deps: MeasureServiceDeps) {
    this.store = deps.store;
  }

  /** The server's clock, now (ms). */
  now(): number {
    return this.deps.clock();
  }

  /**
   * Loads the initiative's room, if it is not loaded: an old document's values
   * move to the store as it loads (server/measures/migrate.ts), so every read
   * of the store comes after it.
   */
  private loaded(initiativeId: string): Promise<void> {
    return this.deps.rooms.withDoc(initiativeId, () => undefined);
  }

  /** The board as it is now, and its indicators (read before the store: see `loaded`). */
  async board(initiativeId: string): Promise<{ model: InitiativeModel; indicators: BoardIndicator[] }> {
    const model = await this.deps.rooms.withDoc(initiativeId, readModel);
    return { model, indicators: boardIndicators(model) };
  }

  /** Each indicator's settings, DEFAULT_SETTINGS for one with none stored. */
  async settings(initiativeId: string): Promise<(indicatorId: string) => IndicatorSettings> {
    const stored = await this.store.settings(initiativeId);
    return (id) => stored.get(id) ?? DEFAULT_SETTINGS;
  }

  /** The caller's rights on each indicator, now. */
  async rights(viewer: MeasureViewer, initiativeId: string): Promise<(indicatorId: string) => MeasureRights> {
    const settings = await this.settings(initiativeId);
    return (id) => measureRights(viewer, settings(id));
  }

  /** `GET …/indicators`: every indicator on the board, its baseline and target only for those who may see its values. */
  async indicatorViews(viewer: MeasureViewer, initiativeId: string): Promise<IndicatorSettingsView[]> {
    const { indicators } = await this.board(initiativeId);
    const settingsOf = await this.settings(initiativeId);
    const names = await this.memberNames(initiativeId);
    return indicators.map((i) => this.view(viewer, i.id, settingsOf(i.id), names));
  }

  /** Each member's name (or label) by id, for the stewards of an indicator. */
  private async memberNames(initiativeId: string): Promise<Map<string, string>> {
    return new Map((await this.deps.people.members(initiativeId)).map((m) => [m.id, m.name ?? m.label ?? 'Unnamed member']));
  }

  private view(viewer: MeasureViewer, indicatorId: string, settings: IndicatorSettings, names: ReadonlyMap<string, string>): IndicatorSettingsView {
    const rights = measureRights(viewer, settings);
    return {
      indicator: indicatorId,
      access: settings.access,
      // A steward who left the initiative has no rights any more, and is not listed.
      stewards: settings.stewards.flatMap((id) => (names.has(id) ? [{ id, name: names.get(id)! }] : [])),
      baseline: rights.see ? settings.baseline : null,
      target: rights.see ? settings.target : null,
      rights,
    };
  }

  /** `GET …/measurements`: the values the caller may see, of one indicator or all. */
  async measurements(viewer: MeasureViewer, initiativeId: string, options: { indicator?: string; history?: boolean }): Promise<MeasurementRow[]> {
    await this.loaded(initiativeId);
    const rights = await this.rights(viewer, initiativeId);
    if (options.indicator !== undefined && !rights(options.indicator).see) {
      const { indicators } = await this.board(initiativeId);
      throw forbidden(SEE_REFUSAL(indicators.find((i) => i.id === options.indicator)?.name ?? options.indicator));
    }
    const rows = await this.store.list(initiativeId, options);
    return rows.filter((r) => rights(r.indicator).see).map(toRow);
  }

  /**
   * `POST …/measurements`, refused in this order: 403 naming the indicators
   * the rows name that the caller may not enter; 400 naming every bad row
   * (with `unreadable`, the rows of a CSV file that could not be read); 409
   * naming each row that would replace a value (unless `replace`). Otherwise
   * every row is written, in one transaction.
   */
  async enter(access: Access, initiativeId: string, rows: readonly SentRow[], replace: boolean, unreadable: readonly RowIssue[] = []): Promise<BatchAccepted> {
    const now = this.deps.clock();
    const { indicators } = await this.board(initiativeId);
    const settingsOf = await this.settings(initiativeId);
    const index = new IndicatorIndex(indicators);
    const checks = checkRows(rows, index, today(now));
    const { checked } = checks;
    // Rows a CSV file could not even be read into count as bad rows too, in the file's order.
    const issues = [...unreadable, ...checks.issues].sort((a, b) => a.row - b.row);
    // Whom the caller may not enter for: refused before any detail of the values is answered.
    const viewer = viewerOf(access);
    const refused = [...new Set(rows.map(({ fields }) => (fields as { indicator?: unknown } | null)?.indicator))]
      .flatMap((ref) => {
        const found = typeof ref === 'string' && ref.trim() ? index.find(ref) : undefined;
        return typeof found === 'object' ? [found] : [];
      })
      .filter((indicator, i, all) => all.findIndex((x) => x.id === indicator.id) === i)
      .filter((indicator) => !measureRights(viewer, settingsOf(indicator.id)).enter);
    if (refused.length > 0) {
      const sentence = (i: BoardIndicator) =>
        settingsOf(i.id).access === 'restricted' && can(viewer.role, 'enterMeasures') ? MEASURE_REFUSALS.enterRestricted(i.name) : MEASURE_REFUSALS.enter(i.name);
      throw new HttpError(403, refused.map(sentence).join(' '), { indicators: refused.map((i) => i.name) });
    }
    if (issues.length > 0) {
      const bad = new Set(issues.map((i) => i.row)).size;
      throw new HttpError(
        400,
        `${bad === 1 ? 'One row has' : `${bad} rows have`} a problem, so nothing was written: correct ${bad === 1 ? 'it' : 'them'} and send the values again.`,
        { issues },
      );
    }
    try {
      const result = await this.store.add(
        initiativeId,
        checked.map((c) => c.measurement),
        authorOf(access),
        { replace, at: new Date(now).toISOString() },
      );
      this.changed(initiativeId, { indicators: [...new Set(checked.map((c) => c.indicator.id))], accessChanged: [] });
      return { accepted: result.accepted, replaced: result.replaced };
    } catch (error) {
      if (!(error instanceof ReplaceNeeded)) throw error;
      const replaced: RowIssue[] = error.conflicts.map(({ index: i, existing }) => {
        const { row, indicator } = checked[i];
        const who = existing.enteredBy.name;
        return {
          row,
          field: existing.subgroup === null ? 'date' : 'subgroup',
          message: `“${indicator.name}” already has ${formatValue(existing.value, indicator.unit)} for ${periodLabel(existing.period, indicator.frequency)}${existing.subgroup === null ? '' : ` (${existing.subgroup})`}, entered by ${who} on ${existing.enteredAt.slice(0, 10)}: this value would replace it.`,
        };
      });
      throw new HttpError(409, MEASURE_REFUSALS.replace(replaced.length), { issues: replaced });
    }
  }

  /** `POST …/measurements/:mid/review`: approve or reject a current value; the reviewer needs `review` on its indicator, and a steward does not review a value they entered. */
  async review(access: Access, initiativeId: string, measurementId: string, body: ReviewBody): Promise<MeasurementRow> {
    await this.loaded(initiativeId);
    const existing = await this.store.get(initiativeId, measurementId);
    const rights = existing && (await this.rights(viewerOf(access), initiativeId))(existing.indicator);
    // One the caller may not see is, to them, not there.
    if (!existing || !rights?.see) throw notFound('No value with that id in this initiative.');
    if (!rights.review) throw forbidden(MEASURE_REFUSALS.review(await this.nameOf(initiativeId, existing.indicator)));
    if (reviewsOwnValue(viewerOf(access), existing.enteredBy.id)) throw forbidden(MEASURE_REFUSALS.ownValue(await this.nameOf(initiativeId, existing.indicator)));
    if (!existing.current) throw new HttpError(409, MEASURE_REFUSALS.alreadyReviewed);
    const at = new Date(this.deps.clock()).toISOString();
    const reviewed = await this.store.review(initiativeId, measurementId, body.status, body.reason ?? null, authorOf(access), at);
    if (!reviewed) throw new HttpError(409, MEASURE_REFUSALS.alreadyReviewed);
    this.changed(initiativeId, { indicators: [reviewed.indicator], accessChanged: [] });
    return toRow(reviewed);
  }

  private async nameOf(initiativeId: string, indicatorId: string): Promise<string> {
    const { indicators } = await this.board(initiativeId);
    return indicators.find((i) => i.id === indicatorId)?.name ?? indicatorId;
  }

  /**
   * `PATCH …/indicators/:indicatorId`: the access level and stewards need
   * `configure`; the baseline and target need `enter`. Stewards are current
   * members who may edit (an observer cannot report data).
   */
  async changeSettings(access: Access, initiativeId: string, indicatorId: string, change: IndicatorSettingsChange): Promise<IndicatorSettingsView> {
    const { indicators } = await this.board(initiativeId);
    const indicator = indicators.find((i) => i.id === indicatorId);
    if (!indicator) throw notFound(MEASURE_REFUSALS.noIndicator(indicatorId));
    const viewer = viewerOf(access);
    const before = (await this.settings(initiativeId))(indicatorId);
    const rights = measureRights(viewer, before);
    if ((change.access !== undefined || change.stewards !== undefined) && !rights.configure) throw forbidden(refusalFor('configureMeasures'));
    if ((change.baseline !== undefined || change.target !== undefined) && !rights.enter) {
      throw forbidden(before.access === 'restricted' && can(viewer.role, 'enterMeasures') ? MEASURE_REFUSALS.enterRestricted(indicator.name) : MEASURE_REFUSALS.enter(indicator.name));
    }
    const stewards = change.stewards && [...new Set(change.stewards)];
    for (const id of stewards ?? []) {
      const member = await this.deps.people.member(initiativeId, id);
      if (!member) throw new HttpError(400, MEASURE_REFUSALS.notAMember, { field: 'stewards' });
      if (!can(member.role, 'editCanvas')) throw new HttpError(400, MEASURE_REFUSALS.observerSteward(member.name ?? member.label ?? 'This member'), { field: 'stewards' });
    }
    const todayDate = today(this.deps.clock());
    for (const field of ['baseline', 'target'] as const) {
      const given: DatedValue | null | undefined = change[field];
      if (!given) continue;
      const problem = valueProblem(given.value, indicator.unit);
      if (problem) throw new HttpError(400, `The ${field}: ${problem}`, { field: `${field}.value` });
      const date = given.date === '' ? null : given.date;
      const dateIssue = date === null ? null : field === 'baseline' ? dateProblem(date, todayDate) : isRealDate(date) ? null : `Write the date as YYYY-MM-DD, a real day ("${date}" is not).`;
      if (dateIssue) throw new HttpError(400, `The ${field}: ${dateIssue}`, { field: `${field}.date` });
    }
    const patch: Partial<IndicatorSettings> = {};
    if (change.access !== undefined) patch.access = change.access;
    if (stewards !== undefined) patch.stewards = stewards;
    for (const field of ['baseline', 'target'] as const) {
      const given = change[field];
      if (given !== undefined) patch[field] = given && { value: given.value, date: given.date === '' ? null : given.date };
    }
    const after = await this.store.setSettings(initiativeId, indicatorId, patch);
    const sightChanged = after.access !== before.access || after.stewards.join('\n') !== before.stewards.join('\n');
    this.changed(initiativeId, { indicators: [indicatorId], accessChanged: sightChanged ? [indicatorId] : [] });
    const names = await this.memberNames(initiativeId);
    return this.view(viewer, indicatorId, after, names);
  }

  /** `GET …/report-card`: every indicator's trend counts; the caller sees the details of those they may see. */
  async reportCard(viewer: MeasureViewer, initiativeId: string): Promise<ReportCardAnswer> {
    const { indicators } = await this.board(initiativeId);
    const [rights, rows] = await Promise.all([this.rights(viewer, initiativeId), this.store.list(initiativeId, { wholePopulation: true })]);
    return reportCardAnswer(indicators, byIndicator(rows), (id) => rights(id).see);
  }

  /** `GET /api/report/:token`: the public report, or 404 when the link was revoked or never existed. */
  async publicReport(token: string): Promise<PublicReport> {
    const link = token ? await this.store.reportLinkByToken(token) : undefined;
    const initiative = link && (await this.deps.initiatives.getInitiative(link.initiativeId));
    if (!link || !initiative) throw notFound(MEASURE_REFUSALS.unpublished);
    const { model, indicators } = await this.board(initiative.id);
    const [settings, rows] = await Promise.all([this.store.settings(initiative.id), this.store.list(initiative.id)]);
    return publicReport(initiative, model, indicators, settings, byIndicator(rows), new Date(this.deps.clock()).toISOString());
  }

  /** How many current, not rejected values each indicator has: the workflow's `model.measured`. */
  async measured(initiativeId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const row of await this.store.list(initiativeId)) {
      if (row.current && row.status !== 'rejected') counts[row.indicator] = (counts[row.indicator] ?? 0) + 1;
    }
    return counts;
  }

  /** Hears every change to the initiative's measures (the event stream filters them per person). */
  subscribe(initiativeId: string, listener: (change: MeasuresChange) => void): () => void {
    let set = this.listeners.get(initiativeId);
    if (!set) this.listeners.set(initiativeId, (set = new Set()));
    const current = set;
    current.add(listener);
    return () => {
      current.delete(listener);
      if (current.size === 0 && this.listeners.get(initiativeId) === current) this.listeners.delete(initiativeId);
    };
  }

  /** Hears every change to any initiative's measures (the workflow refreshes its view). */
  onChange(listener: (initiativeId: string, change: MeasuresChange) => void): () => void {
    this.everywhere.add(listener);
    return () => this.everywhere.delete(listener);
  }

  /** Tells the listeners: after every write here, and after an import or a migration writes to the store. */
  changed(initiativeId: string, change: MeasuresChange): void {
    for (const listener of [...this.everywhere]) listener(initiativeId, change);
    this.heard(initiativeId, change);
  }

  /** Another process wrote (server/events/): tells the initiative's streams here, not `onChange`'s listeners (it is not sent back). */
  heard(initiativeId: string, change: MeasuresChange): void {
    for (const listener of [...(this.listeners.get(initiativeId) ?? [])]) listener(change);
  }

  /** The initiatives whose measures a stream here hears. */
  watched(): string[] {
    return [...this.listeners.keys()];
  }
}
