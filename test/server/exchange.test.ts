import { refusalFor } from '../../src/contract/permissions.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb } from '../../server/db.ts';
import { createLogger } from '../../server/log.ts';
import { SqliteInitiativeStore } from '../../server/store.ts';
import { RestoreRefused, WorkflowRunner } from '../../server/workflow/runner.ts';
import { createEntity, readModel } from '../../src/schema/model.ts';
import { exportInitiative } from '../../src/schema/exchange.ts';
import { richDoc, richRecord } from '../schema/rich-doc.ts';
import { startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';

let h: Harness;
const clients: SyncClient[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await h.stop();
});

async function connect(initiativeId: string, token: string): Promise<SyncClient> {
  const client = syncClient(h.url, initiativeId, token);
  clients.push(client);
  await client.synced;
  return client;
}

/** Sends workflow commands through the API, as the lead; each must be accepted. */
async function steer(id: string, token: string, commands: Record<string, unknown>[]) {
  for (const command of commands) {
    const res = await h.api('POST', `/api/initiatives/${id}/events`, command, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}

/** The readiness assessment, the scope, a threshold, the launch with an override, a judgement step confirmed. */
const WORKFLOW = [
  { type: 'readiness.assess', precondition: 'champion', status: 'met', evidence: 'The District Attorney chairs it.' },
  { type: 'readiness.assess', precondition: 'resources', status: 'partial', evidence: 'Two years pledged.' },
  { type: 'readiness.scope', problem: 'moderate', collaboration: 'some', engagement: 'broad' },
  { type: 'settings.thresholds', thresholds: { minStakeholders: 6 } },
  { type: 'readiness.confirm', override: { reason: 'Urgency is plain; the third year is being raised.' } },
  { type: 'step.confirm', step: 'initiate.community.outreach', note: 'Two town halls held.' },
];

/**
 * An initiative holding the rich document, written through a real y-websocket
 * client, and a workflow moved through the API by its lead; answers its export.
 */
async function richInitiative(name: string) {
  const id = await h.createInitiative(name);
  const lead = await h.invite(id, 'lead');
  const writer = await connect(id, lead);
  richDoc(writer.doc);
  await steer(id, lead, WORKFLOW);
  const expected = exportInitiative(writer.doc, { id, name, issue: 'x' }, richRecord());
  // The server has it all once its export shows every entity the writer has.
  await vi.waitFor(async () => {
    const res = await h.api('GET', `/api/initiatives/${id}/export`, undefined, lead);
    expect(res.body.entities).toEqual(expected.entities);
    expect(res.body.placements).toEqual(expected.placements);
  });
  const res = await h.api('GET', `/api/initiatives/${id}/export`, undefined, lead);
  return { id, lead, writer, res };
}

const isEmptyExport = (body: {
  entities: { id: string; [field: string]: unknown }[];
  placements: Record<string, object>;
  workflow: { stage: string; history: unknown[] };
}) =>
  body.workflow.stage === 'readiness' &&
  body.workflow.history.length === 0 &&
  body.entities.length === 3 &&
  body.entities.every(
    (e) => ['problem', 'goal', 'evaluation'].includes(e.id) && Object.values(e).filter((v) => v === '').length === 1,
  ) &&
  Object.values(body.placements).every((board) => Object.keys(board).length === 0);

describe('export and import', () => {
  it('round trip: export, import into a new initiative, export again: equal apart from ids and times, workflow included', async () => {
    const source = await richInitiative('Meadow County Coalition for Healthy Youth!');
    expect(source.res.status).toBe(200);
    expect(source.res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(source.res.headers.get('content-disposition')).toBe(
      'attachment; filename="meadow-county-coalition-for-healthy-youth.convene.json"',
    );
    const file = source.res.body;
    expect(file).toMatchObject({
      format: 'convene.initiative',
      version: 5,
      initiative: {
        id: source.id,
        name: 'Meadow County Coalition for Healthy Youth!',
        issue: 'Family homelessness in the river valley',
      },
      workflow: {
        stage: 'initiate',
        readiness: { champion: { status: 'met' }, resources: { status: 'partial' }, urgency: null },
        scope: { problem: 'moderate', collaboration: 'some', engagement: 'broad' },
        confirmations: { 'initiate.community.outreach': { note: 'Two town halls held.' } },
        thresholds: { minStakeholders: 6 },
      },
    });
    expect(file.workflow.history.map((e: { type: string }) => e.type)).toEqual(WORKFLOW.map((c) => c.type));
    expect(file.workflow.history[4].override).toEqual({ reason: 'Urgency is plain; the third year is being raised.' });
    expect(Date.parse(file.exportedAt)).not.toBeNaN();

    const target = await h.createInitiative('Second county');
    const watcher = await connect(target, await h.invite(target, 'participant'));
    const lead = await h.invite(target, 'lead');
    const stream = await h.api('GET', `/api/initiatives/${target}/workflow`, undefined, lead);
    expect(stream.body.stage).toBe('readiness');
    const imported = await h.api('POST', `/api/initiatives/${target}/import?file=meadow.convene.json`, file, lead);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.imported).toEqual({
      entities: file.entities.length,
      placements: expect.any(Number),
      workflow: true,
      measurements: 0,
    });

    // The connected client gets the document live, without reconnecting.
    await vi.waitFor(() => expect(readModel(watcher.doc)).toEqual(readModel(source.writer.doc)));

    // The workflow is restored, and its history says who imported it, when, and from which file and initiative.
    const view = (await h.api('GET', `/api/initiatives/${target}/workflow`, undefined, lead)).body;
    expect(view.stage).toBe('initiate');
    const note = view.history.at(-1);
    expect(note).toMatchObject({
      type: 'initiative.import',
      by: { role: 'lead' },
      source: {
        initiative: { id: source.id, name: 'Meadow County Coalition for Healthy Youth!' },
        exportedAt: file.exportedAt,
        file: 'meadow.convene.json',
      },
    });
    expect(note.summary).toContain('Meadow County Coalition for Healthy Youth!');
    expect(note.summary).toContain('meadow.convene.json');
    expect(Date.now() - Date.parse(note.at)).toBeLessThan(60_000);
    const listed = (await h.api('GET', '/api/initiatives')).body.find((i: { id: string }) => i.id === target);
    expect(listed.stage).toBe('initiate');

    const again = await h.api('GET', `/api/initiatives/${target}/export`, undefined, lead);
    expect(again.status).toBe(200);
    expect(again.headers.get('content-disposition')).toBe('attachment; filename="second-county.convene.json"');
    const strip = ({ initiative: _i, exportedAt: _e, workflow: _w, ...rest }: Record<string, unknown>) => rest;
    expect(strip(again.body)).toEqual(strip(file));
    expect({ ...again.body.workflow, history: again.body.workflow.history.slice(0, -1) }).toEqual(file.workflow);
    expect(again.body.workflow.history.at(-1)).toEqual(note);
    expect(again.body.initiative).toMatchObject({ id: target, name: 'Second county' });

    // A second import: the workflow has a history now, 409, nothing changes.
    const twice = await h.api('POST', `/api/initiatives/${target}/import`, file, lead);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatch(/workflow already has a history \(7 entries\)/);
    const after = (await h.api('GET', `/api/initiatives/${target}/export`, undefined, lead)).body;
    expect({ ...after, exportedAt: again.body.exportedAt }).toEqual(again.body);
  });

  it('a document with content refuses a version 2 file, and its fresh workflow stays as it was', async () => {
    const source = await richInitiative('Full source');
    const target = await h.createInitiative('Has a card already');
    const writer = await connect(target, await h.invite(target, 'lead'));
    createEntity(writer.doc, 'stakeholder', { name: 'Already here' });
    await vi.waitFor(async () => {
      const body = (await h.api('GET', `/api/initiatives/${target}/export`)).body;
      expect(body.entities.some((e: { name?: string }) => e.name === 'Already here')).toBe(true);
    });
    const res = await h.api('POST', `/api/initiatives/${target}/import`, source.res.body);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/already has content/);
    const view = (await h.api('GET', `/api/initiatives/${target}/workflow`)).body;
    expect(view).toMatchObject({ stage: 'readiness', history: [] });
  });

  it('a version 1 file (no workflow record) still imports, leaving the workflow as it was', async () => {
    const source = await richInitiative('Version 1 source');
    const { workflow: _workflow, ...v1 } = { ...structuredClone(source.res.body), version: 1 };
    const target = await h.createInitiative('Version 1 target');
    const facilitator = await h.invite(target, 'facilitator');
    const res = await h.api('POST', `/api/initiatives/${target}/import`, v1, facilitator);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.imported.workflow).toBe(false);
    const again = (await h.api('GET', `/api/initiatives/${target}/export`)).body;
    expect(again.entities).toEqual(v1.entities);
    expect(again.workflow).toMatchObject({ stage: 'readiness', history: [] });
  });

  it('an import into an initiative nobody has open is stored, and served to whoever connects later', async () => {
    const source = await richInitiative('Clean River Alliance');
    const target = await h.createInitiative('Clean River Alliance (copy)');
    const res = await h.api('POST', `/api/initiatives/${target}/import`, source.res.body);
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(h.convene.rooms.isLoaded(target)).toBe(false));
    const late = await connect(target, await h.invite(target, 'observer'));
    expect(readModel(late.doc)).toEqual(readModel(source.writer.doc));
  });

  it('400 lists every problem at once, in words, references and the workflow record included; the target stays empty', async () => {
    const source = await richInitiative('Bad file source');
    const target = await h.createInitiative('Bad file target');
    const file = structuredClone(source.res.body);
    const council = file.entities.findIndex((e: { name?: string }) => e.name === 'County council');
    file.entities[council].influence = 7;
    file.placements.governance.nowhere = { x: 0, y: 0 };
    file.workflow.readiness.champion.status = 'maybe';
    const res = await h.api('POST', `/api/initiatives/${target}/import`, file);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('The file was not imported: it has 3 problems, listed below. Nothing was changed.');
    expect(res.body.issues).toEqual([
      {
        path: `entities.${council}.influence`,
        message: "Stakeholder 'County council': influence must be a whole number from 1 to 5.",
      },
      {
        path: 'workflow.readiness.champion.status',
        message: 'Workflow record, readiness, influential champion: status must be one of: met, partial, unmet.',
      },
      {
        path: 'placements.governance.nowhere',
        message: 'Governance: a position is given for a card that is not in the file (id "nowhere").',
      },
    ]);
    const notExport = await h.api('POST', `/api/initiatives/${target}/import`, { hello: 'world' });
    expect(notExport.status).toBe(400);
    expect(notExport.body.issues).toEqual([
      { path: 'format', message: expect.stringMatching(/^This is not a Convene initiative export/) },
    ]);
    const badJson = await h.api('POST', `/api/initiatives/${target}/import`, '{"format":');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toMatch(
      /^The file was not imported\. This file is not JSON, so it is not a Convene export/,
    );
    expect(badJson.body.issues).toEqual([{ path: '(file)', message: expect.stringMatching(/^This file is not JSON/) }]);
    const after = await h.api('GET', `/api/initiatives/${target}/export`);
    expect(isEmptyExport(after.body)).toBe(true);
  });

  it('takes files over 1 MiB, up to 10 MiB', async () => {
    const source = await richInitiative('Large file source');
    const target = await h.createInitiative('Large file target');
    const padded = JSON.stringify(source.res.body) + ' '.repeat(2 * 1024 * 1024);
    expect((await h.api('POST', `/api/initiatives/${target}/import`, padded)).status).toBe(200);
    const tooLarge = JSON.stringify(source.res.body) + ' '.repeat(10 * 1024 * 1024);
    const res = await h.api('POST', `/api/initiatives/${await h.createInitiative('Too large')}/import`, tooLarge);
    expect(res.status).toBe(413);
  });
});

describe('who may export and import', () => {
  it('401 without credentials, 404 for an unknown initiative, 403 for another initiative', async () => {
    const id = await h.createInitiative('Access');
    const other = await h.createInitiative('Other');
    const outsider = await h.invite(other, 'lead');
    const file = (await h.api('GET', `/api/initiatives/${id}/export`)).body;
    for (const [method, path, body] of [
      ['GET', `/api/initiatives/${id}/export`, undefined],
      ['POST', `/api/initiatives/${id}/import`, file],
    ] as const) {
      expect((await h.api(method, path, body, '')).status).toBe(401);
      expect((await h.api(method, path, body, 'not-a-token')).status).toBe(401);
      expect((await h.api(method, path.replace(id, 'nope'), body)).status).toBe(404);
      expect((await h.api(method, path, body, outsider)).status).toBe(403);
    }
  });

  it('every member exports; the admin, the lead and facilitators import (observers and participants: 403), a workflow record only the admin and the lead', async () => {
    const id = await h.createInitiative('Roles');
    const file = (await h.api('GET', `/api/initiatives/${id}/export`)).body;
    for (const role of ['observer', 'participant']) {
      const token = await h.invite(id, role);
      expect((await h.api('GET', `/api/initiatives/${id}/export`, undefined, token)).status).toBe(200);
      const res = await h.api('POST', `/api/initiatives/${id}/import`, file, token);
      expect(res.status).toBe(403);
      expect(res.body.error).toMatch(/lead or a facilitator/);
    }
    // A workflow record replaces the initiative's history: the lead or the admin only.
    const v1 = { ...file, version: 1, workflow: undefined };
    for (const role of ['lead', 'facilitator']) {
      const target = await h.createInitiative(`Import by ${role}`);
      const token = await h.invite(target, role);
      const res = await h.api('POST', `/api/initiatives/${target}/import`, file, token);
      expect(res.status).toBe(role === 'lead' ? 200 : 403);
      if (role === 'facilitator') {
        expect(res.body.error).toBe(refusalFor('restoreWorkflow'));
        expect((await h.api('POST', `/api/initiatives/${target}/import`, v1, token)).status).toBe(200);
      }
    }
    expect((await h.api('POST', `/api/initiatives/${await h.createInitiative('By admin')}/import`, file)).status).toBe(
      200,
    );
  });
});

describe('WorkflowRunner.record and restore, on a real SQLite store', () => {
  const lead = { id: 'member-lead', name: 'Dana Whitfield', role: 'lead' };
  const source = {
    initiative: { id: 'elsewhere', name: 'Meadow County Coalition' },
    exportedAt: '2026-05-12T09:30:00.000Z',
  };
  const dirs: string[] = [];
  const dbs: ReturnType<typeof openDb>[] = [];
  afterAll(() => {
    for (const db of dbs) db.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function runnerOn(dir?: string) {
    const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'convene-runner-'));
    if (!dir) dirs.push(dataDir);
    const db = openDb(dataDir);
    dbs.push(db);
    const store = new SqliteInitiativeStore(db);
    const id = dir ? (await store.listInitiatives())[0].id : (await store.createInitiative('Target', 'Teen substance use')).id;
    return { dataDir, store, id, runner: new WorkflowRunner(store, createLogger('silent')) };
  }

  it('restores a record, tells watchers, notes the import, and keeps it across a restart', async () => {
    const { dataDir, store, id, runner } = await runnerOn();
    expect(await runner.record(id)).toMatchObject({ stage: 'readiness', scope: null, confirmations: {}, history: [] });
    const heard: string[] = [];
    runner.subscribe(id, (view) => heard.push(view.stage));
    const record = richRecord();
    const view = await runner.restore(id, record, { by: lead, source });
    expect(view.stage).toBe('initiate');
    expect(heard).toEqual(['initiate']);
    expect((await store.getInitiative(id))?.stage).toBe('initiate');
    const restored = await runner.record(id);
    expect({ ...restored, history: restored.history.slice(0, -1) }).toEqual(record);
    expect(restored.history.at(-1)).toMatchObject({ type: 'initiative.import', by: lead, source });
    runner.stop();

    const again = await runnerOn(dataDir);
    expect(await again.runner.record(again.id)).toEqual(restored);
    again.runner.stop();
  });

  it('refuses a workflow that has a history, a record the statechart cannot take, and one whose document import fails', async () => {
    const { id, runner } = await runnerOn();
    const fresh = await runner.record(id);
    await expect(
      runner.restore(id, { ...richRecord(), stage: 'nowhere' as never }, { by: lead, source }),
    ).rejects.toMatchObject({
      reason: 'invalid',
      message: expect.stringMatching(/^The workflow cannot take this record: /),
    });
    const failing = async () => {
      throw new Error('the document already has content');
    };
    await expect(runner.restore(id, richRecord(), { by: lead, source }, failing)).rejects.toThrow(
      /already has content/,
    );
    expect(await runner.record(id)).toEqual(fresh);

    const sent = await runner.send(
      id,
      { type: 'readiness.assess', precondition: 'urgency', status: 'met', evidence: 'A survey.' },
      lead,
    );
    expect(sent.ok).toBe(true);
    const refused = runner.restore(id, richRecord(), { by: lead, source });
    await expect(refused).rejects.toBeInstanceOf(RestoreRefused);
    await expect(refused).rejects.toMatchObject({
      reason: 'not-fresh',
      message: expect.stringMatching(/already has a history \(1 entry\)/),
    });
    expect((await runner.record(id)).history).toHaveLength(1);
    runner.stop();
  });
});
