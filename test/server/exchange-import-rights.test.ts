/**
 * Who may import what of an export file's shared measurement (docs/api.md, the
 * import route), on a real server over a real SQLite file. A facilitator may
 * import (`importInitiative`), but each part of the file, and each thing the
 * initiative still stores that the import would delete, needs the row of the
 * table the rest of the API asks for it: choosing an indicator's access level
 * or data stewards `configureMeasures`, values already approved or rejected
 * `reviewMeasures`, deleting stored values `reviewMeasures`, stored settings
 * `configureMeasures`, report links `publishReport`. A refused import says
 * which in words and writes nothing: no value, no setting, the document empty.
 * The lead's and the admin's imports are as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodOf } from '../../machines/measures/periods.ts';
import { openDb, type Db } from '../../server/db.ts';
import { SqliteMeasureStore } from '../../server/measures/sqlite.ts';
import { fileRefusals, measuresFromImport } from '../../server/measures/exchange.ts';
import { IMPORT_REFUSALS, refusalFor } from '../../src/contract/permissions.ts';
import { parseExport } from '../../src/schema/exchange.ts';
import { deleteEntities, isEmptyDoc } from '../../src/schema/index.ts';
import { addIndicators } from './measures-helpers.ts';
import { startHarness, testClock, type Harness, type Joined } from './harness.ts';

const clock = testClock(Date.parse('2026-03-02T09:00:00.000Z'));
let h: Harness;
let db: Db;
let store: SqliteMeasureStore;

beforeAll(async () => {
  h = await startHarness({ clock: clock.now });
  db = openDb(h.dataDir);
  store = new SqliteMeasureStore(db);
});
afterAll(async () => {
  db.close();
  await h.stop();
});

const SHELTER = 'Families in shelter';
const BINGE = 'Binge drinking rate';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- export files are read and edited as JSON
type ExportFile = any;

/**
 * A lead's export of an initiative with two indicators whose settings are what
 * a new indicator gets (binge drinking has a baseline) and whose values are all
 * submitted: everything in it a facilitator may write themselves.
 */
let plain: ExportFile;

beforeAll(async () => {
  const id = await h.createInitiative('Source county');
  const lead = await h.join(id, 'lead', 'Dana Whitfield');
  const [binge, shelter] = await addIndicators(h, id, [
    { name: BINGE, unit: 'percent', frequency: 'yearly' },
    { name: SHELTER, unit: 'count', frequency: 'quarterly' },
  ]);
  const author = { id: lead.memberId, name: 'Dana Whitfield' };
  await store.add(
    id,
    [
      {
        indicator: binge,
        date: '2024-03-01',
        period: periodOf('2024-03-01', 'yearly'),
        value: 21.25,
        subgroup: null,
        note: null,
      },
      {
        indicator: binge,
        date: '2025-03-01',
        period: periodOf('2025-03-01', 'yearly'),
        value: 19,
        subgroup: null,
        note: 'Survey moved to spring',
      },
      {
        indicator: shelter,
        date: '2025-11-15',
        period: periodOf('2025-11-15', 'quarterly'),
        value: 4243,
        subgroup: null,
        note: null,
      },
    ],
    author,
    { replace: false, at: '2026-01-10T10:00:00.000Z' },
  );
  await store.setSettings(id, binge, { baseline: { value: 24.5, date: '2023-03-01' } });
  plain = await exportAs(id, lead.token);
  const statuses = plain.entities
    .flatMap((e: ExportFile) => (e.kind === 'indicator' ? e.measurements : []))
    .map((m: ExportFile) => m.status);
  expect(statuses).toEqual(['submitted', 'submitted', 'submitted']);
});

async function exportAs(id: string, token: string): Promise<ExportFile> {
  const res = await h.api('GET', `/api/initiatives/${id}/export`, undefined, token);
  expect(res.status).toBe(200);
  return res.body;
}

const indicatorNamed = (file: ExportFile, name: string) =>
  file.entities.find((e: { kind: string; name?: string }) => e.kind === 'indicator' && e.name === name);

/** The plain file (version 5, with its workflow record), edited by `edit`. */
function fileWith(edit: (file: ExportFile) => void = () => {}): ExportFile {
  const file = structuredClone(plain);
  edit(file);
  return file;
}

/**
 * The plain file as version 1, edited by `edit`: what a facilitator imports,
 * since a file from version 2 on carries a workflow record, which only the
 * lead and the admin restore (a file of version 2 or later without one is a 400).
 * Its values and baseline are as versions 1–3 wrote them: numbers.
 */
function version1(edit: (file: ExportFile) => void = () => {}): ExportFile {
  const { workflow: _workflow, ...file } = structuredClone(plain);
  file.version = 1;
  for (const e of file.entities) {
    if (e.kind !== 'indicator') continue;
    for (const field of ['stewards', 'access', 'frequency', 'subgroups']) delete e[field];
    e.baseline = e.baseline?.value ?? null;
    e.target = e.target?.value ?? null;
    e.measurements = [];
  }
  edit(file);
  return file;
}

/** A new initiative with a lead and a facilitator. */
async function target(name: string): Promise<{ id: string; lead: Joined; facilitator: Joined }> {
  const id = await h.createInitiative(name);
  return {
    id,
    lead: await h.join(id, 'lead', 'Robin Hale'),
    facilitator: await h.join(id, 'facilitator', 'Fran Ortiz'),
  };
}

const importAs = (id: string, token: string, file: ExportFile) =>
  h.api('POST', `/api/initiatives/${id}/import`, file, token);

/** What the initiative holds: every stored value (history included), its settings, its report links, and whether its document is empty. */
async function holdings(id: string) {
  const [values, settings, links] = await Promise.all([
    store.list(id, { history: true }),
    store.settings(id),
    store.reportLinks(id),
  ]);
  return {
    values: values.map((v) => ({ id: v.id, value: v.value, status: v.status, current: v.current })),
    settings: Object.fromEntries(settings),
    links: links.map((l) => l.token),
    emptyDocument: await h.convene.rooms.withDoc(id, (doc) => isEmptyDoc(doc)),
  };
}

const NOTHING = { values: [], settings: {}, links: [], emptyDocument: true };

/**
 * Empties the document as a failed document write leaves it (the store was
 * written first): every entity, placement and text gone.
 */
async function emptyDocument(id: string): Promise<void> {
  await h.convene.rooms.withDoc(id, (doc) => {
    doc.transact(() => {
      for (const name of [...doc.share.keys()]) {
        if (name === 'entities' || name.startsWith('placements.')) {
          const map = doc.getMap(name);
          for (const key of [...map.keys()]) map.delete(key);
        } else {
          const text = doc.getText(name);
          text.delete(0, text.length);
        }
      }
    });
    expect(isEmptyDoc(doc)).toBe(true);
  });
}

/** A version 1 file's value dated after the server's today: it comes in `submitted`, for the lead to review (server/measures/migrate.ts). */
const FUTURE = { date: '2026-11-15', value: 4300 };

describe('a facilitator imports', () => {
  it('a version 1 file with a baseline and a value dated in the future (submitted): what they may enter themselves', async () => {
    const { id, facilitator } = await target('Plain import');
    const res = await importAs(
      id,
      facilitator.token,
      version1((f) => indicatorNamed(f, SHELTER).measurements.push(FUTURE)),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.imported.measurements).toBe(1);
    const after = await holdings(id);
    expect(after.values.map((v) => [v.value, v.status])).toEqual([[FUTURE.value, 'submitted']]);
    expect(Object.values(after.settings)).toEqual([
      { access: 'members', stewards: [], baseline: { value: 24.5, date: null }, target: null },
    ]);
    expect(after.emptyDocument).toBe(false);
  });
});

describe('a facilitator is refused, in words, and nothing changes', () => {
  it('a version 1 file with values, which come in approved as the board held them: reviewMeasures', async () => {
    const { id, lead, facilitator } = await target('Version 1 values');
    const file = version1((f) => {
      indicatorNamed(f, BINGE).measurements = [{ date: '2024-03-01', value: 21.25 }];
      indicatorNamed(f, SHELTER).measurements = [{ date: '2025-11-15', value: 4243 }, FUTURE];
    });
    const res = await importAs(id, facilitator.token, file);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe(
      'This file carries values of “Binge drinking rate” and “Families in shelter” that are already approved or rejected (a file older than version 4 counts its values as approved): only the administrator or the backbone lead can import them.',
    );
    expect(await holdings(id)).toEqual(NOTHING);
    // The lead imports it as before: the values approved, the one dated in the future submitted.
    const byLead = await importAs(id, lead.token, file);
    expect(byLead.status, JSON.stringify(byLead.body)).toBe(200);
    expect((await holdings(id)).values.map((v) => [v.value, v.status])).toEqual([
      [21.25, 'approved'],
      [4243, 'approved'],
      [FUTURE.value, 'submitted'],
    ]);
  });

  it('a file that makes an indicator restricted, gives it data stewards (the facilitator), or makes it public: configureMeasures, said with the workflow record', async () => {
    const { id, lead, facilitator } = await target('Settings import');
    const variants: Record<string, (indicator: ExportFile) => void> = {
      'restricted, the facilitator its steward': (i) =>
        Object.assign(i, { access: 'restricted', stewards: [facilitator.memberId] }),
      'the facilitator its steward': (i) => Object.assign(i, { stewards: [facilitator.memberId] }),
      public: (i) => Object.assign(i, { access: 'public' }),
    };
    for (const [what, edit] of Object.entries(variants)) {
      const res = await importAs(
        id,
        facilitator.token,
        fileWith((f) => edit(indicatorNamed(f, SHELTER))),
      );
      expect(res.status, what).toBe(403);
      // Such a file is version 4 or later, so it carries a workflow record too: both are said at once.
      expect(res.body.error, what).toBe(
        `${refusalFor('restoreWorkflow')} This file chooses who reports and sees “Families in shelter” (an access level other than members, or data stewards): only the administrator or the backbone lead can import it.`,
      );
      expect(await holdings(id), what).toEqual(NOTHING);
    }
    // The lead imports it: the facilitator becomes the restricted indicator's steward.
    const file = fileWith((f) => variants['restricted, the facilitator its steward'](indicatorNamed(f, SHELTER)));
    const res = await importAs(id, lead.token, file);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await holdings(id)).settings[indicatorNamed(file, SHELTER).id]).toEqual({
      access: 'restricted',
      stewards: [facilitator.memberId],
      baseline: null,
      target: null,
    });
  });

  it('a version 4 file whose values are approved or rejected: reviewMeasures, said with the workflow record', async () => {
    const { id, lead, facilitator } = await target('Reviewed import');
    const file = fileWith((f) => {
      indicatorNamed(f, BINGE).measurements[0].status = 'approved';
      indicatorNamed(f, SHELTER).measurements[0].status = 'rejected';
    });
    const res = await importAs(id, facilitator.token, file);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe(`${refusalFor('restoreWorkflow')} ${IMPORT_REFUSALS.reviewed([BINGE, SHELTER])}`);
    expect(await holdings(id)).toEqual(NOTHING);
    const byLead = await importAs(id, lead.token, file);
    expect(byLead.status, JSON.stringify(byLead.body)).toBe(200);
    expect((await holdings(id)).values.map((v) => v.status).sort()).toEqual(['approved', 'rejected', 'submitted']);
  });

  it('an import into an initiative whose cards were all deleted, its store still holding values, settings and a report link: each said; the lead’s import starts the store afresh as before', async () => {
    const { id, lead, facilitator } = await target('Cards deleted');
    const [shelter] = await addIndicators(h, id, [{ name: SHELTER, unit: 'count', frequency: 'quarterly' }]);
    const send = (path: string, body: unknown, method = 'POST') =>
      h.api(method, `/api/initiatives/${id}${path}`, body, lead.token);
    expect((await send('/measurements', [{ indicator: shelter, date: '2025-11-15', value: 4100 }])).status).toBe(200);
    expect(
      (await send('/measurements?replace=1', [{ indicator: shelter, date: '2025-11-20', value: 4243 }])).status,
    ).toBe(200);
    const [current] = await store.list(id);
    expect((await send(`/measurements/${current.id}/review`, { status: 'approved' })).status).toBe(200);
    expect(
      (await send(`/indicators/${shelter}`, { access: 'restricted', stewards: [lead.memberId] }, 'PATCH')).status,
    ).toBe(200);
    expect((await send('/report-links', undefined)).status).toBe(201);
    await h.convene.rooms.withDoc(id, (doc) => deleteEntities(doc, [shelter]));
    const before = await holdings(id);
    expect(before.values).toHaveLength(2);
    expect(before.links).toHaveLength(1);
    expect(before.emptyDocument).toBe(true);

    const res = await importAs(id, facilitator.token, version1());
    expect(res.status).toBe(403);
    expect(res.body.error).toBe(
      'This initiative still stores values of indicators no longer on its boards, and an import would delete them with their history: only the administrator or the backbone lead can import into it. ' +
        'This initiative still stores who reports and sees indicators no longer on its boards, and an import would reset it: only the administrator or the backbone lead can import into it. ' +
        'This initiative has a published report link, and an import would revoke it: only the administrator or the backbone lead can import into it.',
    );
    expect(await holdings(id)).toEqual(before);

    const byLead = await importAs(id, lead.token, version1());
    expect(byLead.status, JSON.stringify(byLead.body)).toBe(200);
    const after = await holdings(id);
    expect(after.values).toEqual([]);
    expect(after.links).toEqual([]);
    expect(Object.keys(after.settings)).toEqual([indicatorNamed(plain, BINGE).id]);
  });

  it('a report link alone, in an initiative that never had a card: publishReport', async () => {
    const { id, lead, facilitator } = await target('Published, empty');
    expect((await h.api('POST', `/api/initiatives/${id}/report-links`, undefined, lead.token)).status).toBe(201);
    const before = await holdings(id);
    const res = await importAs(id, facilitator.token, version1());
    expect(res.status).toBe(403);
    expect(res.body.error).toBe(IMPORT_REFUSALS.reportLinks);
    expect(await holdings(id)).toEqual(before);
  });
});

describe('a retry after the document write failed (the store is written first)', () => {
  it('the same file again deletes nothing, so the facilitator may; another file would delete the value: refused', async () => {
    const { id, facilitator } = await target('Retry');
    const file = version1((f) => indicatorNamed(f, SHELTER).measurements.push(FUTURE));
    expect((await importAs(id, facilitator.token, file)).status).toBe(200);
    await emptyDocument(id);
    const leftover = await holdings(id);
    expect(leftover.values).toHaveLength(1);

    const other = version1((f) => indicatorNamed(f, SHELTER).measurements.push({ ...FUTURE, value: 4400 }));
    const refused = await importAs(id, facilitator.token, other);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe(IMPORT_REFUSALS.storedValues);
    expect(await holdings(id)).toEqual(leftover);

    clock.advance(60_000);
    const again = await importAs(id, facilitator.token, file);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(await holdings(id)).toEqual({ ...leftover, emptyDocument: false });
  });
});

describe('the lead and the admin', () => {
  it('import every part of a file as before (restricted settings with their steward, reviewed values), and over what the store held, starting it afresh', async () => {
    const { id, lead, facilitator } = await target('Lead and admin');
    const file = fileWith((f) => {
      Object.assign(indicatorNamed(f, SHELTER), { access: 'restricted', stewards: [facilitator.memberId] });
      indicatorNamed(f, SHELTER).measurements[0].status = 'approved';
    });
    expect((await importAs(id, lead.token, file)).status).toBe(200);
    await emptyDocument(id);
    expect((await h.api('POST', `/api/initiatives/${id}/report-links`, undefined, lead.token)).status).toBe(201);
    // The admin (the harness's default credential) imports another file over it (version 1: the workflow has a history now).
    const other = version1((f) => (indicatorNamed(f, BINGE).measurements = [{ date: '2024-03-01', value: 21.25 }]));
    const res = await h.api('POST', `/api/initiatives/${id}/import`, other);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = await holdings(id);
    expect(after.values.map((v) => [v.value, v.status])).toEqual([[21.25, 'approved']]);
    expect(after.links).toEqual([]);
    expect(after.settings).not.toHaveProperty(indicatorNamed(file, SHELTER).id);
  });
});

describe('the rule, part by part (server/measures/exchange.ts)', () => {
  const facilitator = { role: 'facilitator', memberId: 'fran' } as const;
  const read = (file: ExportFile, isMember: (id: string) => boolean) => {
    const parsed = parseExport(file);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return measuresFromImport(parsed.data, 'target', '2026-03-02T09:00:00.000Z', isMember);
  };

  it('data stewards who are no members of the initiative are not kept, so a file naming only them chooses no one', () => {
    const file = fileWith((f) => (indicatorNamed(f, SHELTER).stewards = ['sam']));
    expect(
      fileRefusals(
        facilitator,
        read(file, () => false),
        (id) => id,
      ),
    ).toEqual([]);
    expect(
      fileRefusals(
        facilitator,
        read(file, (member) => member === 'sam'),
        () => SHELTER,
      ),
    ).toEqual([IMPORT_REFUSALS.settings([SHELTER])]);
  });

  it('a baseline, a target and submitted values need entering them, which a facilitator may; the lead and the admin may every part', () => {
    expect(
      fileRefusals(
        facilitator,
        read(fileWith(), () => true),
        (id) => id,
      ),
    ).toEqual([]);
    const everything = fileWith((f) => {
      Object.assign(indicatorNamed(f, SHELTER), { access: 'restricted', stewards: ['sam'] });
      indicatorNamed(f, BINGE).measurements[0].status = 'approved';
    });
    for (const viewer of [
      { role: 'lead', memberId: 'dana' },
      { role: 'admin', memberId: null },
    ] as const) {
      expect(
        fileRefusals(
          viewer,
          read(everything, () => true),
          (id) => id,
        ),
        viewer.role,
      ).toEqual([]);
    }
  });
});
