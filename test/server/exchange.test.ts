import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readModel } from '../../src/schema/model.ts';
import { exportInitiative } from '../../src/schema/exchange.ts';
import { richDoc } from '../schema/rich-doc.ts';
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

/** An initiative holding the rich document, written through a real y-websocket client; answers its export. */
async function richInitiative(name: string) {
  const id = await h.createInitiative(name);
  const lead = await h.invite(id, 'lead');
  const writer = await connect(id, lead);
  richDoc(writer.doc);
  const expected = exportInitiative(writer.doc, { id, name, issue: 'x' });
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
}) =>
  body.entities.length === 3 &&
  body.entities.every(
    (e) => ['problem', 'goal', 'evaluation'].includes(e.id) && Object.values(e).filter((v) => v === '').length === 1,
  ) &&
  Object.values(body.placements).every((board) => Object.keys(board).length === 0);

describe('export and import', () => {
  it('round trip: export, import into a new initiative, export again: identical; a connected client sees it live', async () => {
    const source = await richInitiative('Meadow County Coalition for Healthy Youth!');
    expect(source.res.status).toBe(200);
    expect(source.res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(source.res.headers.get('content-disposition')).toBe(
      'attachment; filename="meadow-county-coalition-for-healthy-youth.convene.json"',
    );
    const file = source.res.body;
    expect(file).toMatchObject({
      format: 'convene.initiative',
      version: 1,
      initiative: {
        id: source.id,
        name: 'Meadow County Coalition for Healthy Youth!',
        issue: 'Family homelessness in the river valley',
      },
    });
    expect(Date.parse(file.exportedAt)).not.toBeNaN();

    const target = await h.createInitiative('Second county');
    const watcher = await connect(target, await h.invite(target, 'participant'));
    const facilitator = await h.invite(target, 'facilitator');
    const imported = await h.api('POST', `/api/initiatives/${target}/import`, file, facilitator);
    expect(imported.status).toBe(200);
    expect(imported.body.imported.entities).toBe(file.entities.length);

    // The connected client gets it live, without reconnecting.
    await vi.waitFor(() => expect(readModel(watcher.doc)).toEqual(readModel(source.writer.doc)));

    const again = await h.api('GET', `/api/initiatives/${target}/export`, undefined, facilitator);
    expect(again.status).toBe(200);
    expect(again.headers.get('content-disposition')).toBe('attachment; filename="second-county.convene.json"');
    const strip = ({ initiative: _i, exportedAt: _e, ...rest }: Record<string, unknown>) => rest;
    expect(strip(again.body)).toEqual(strip(file));
    expect(again.body.initiative).toMatchObject({ id: target, name: 'Second county' });

    // A second import into the now non-empty initiative: 409, nothing changes.
    const twice = await h.api('POST', `/api/initiatives/${target}/import`, file, facilitator);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatch(/already has content/);
    expect(strip((await h.api('GET', `/api/initiatives/${target}/export`, undefined, facilitator)).body)).toEqual(
      strip(file),
    );
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

  it('400 lists every failing field by path; the target stays empty', async () => {
    const source = await richInitiative('Bad file source');
    const target = await h.createInitiative('Bad file target');
    const file = structuredClone(source.res.body);
    file.entities[0].sector = 'aliens';
    file.entities[1].influence = 7;
    file.placements.governance.nowhere = { x: 0, y: 0 };
    const res = await h.api('POST', `/api/initiatives/${target}/import`, file);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^Invalid entities\.0\.sector: /);
    expect(res.body.issues).toEqual([
      { path: 'entities.0.sector', message: expect.stringMatching(/sector must be one of/) },
      { path: 'entities.1.influence', message: 'Stakeholder influence must be a whole number from 1 to 5.' },
    ]);
    // References are checked once the fields fit.
    file.entities[0].sector = 'media';
    file.entities[1].influence = 2;
    const dangling = await h.api('POST', `/api/initiatives/${target}/import`, file);
    expect(dangling.status).toBe(400);
    expect(dangling.body.issues).toEqual([
      { path: 'placements.governance.nowhere', message: 'No entity with id "nowhere" in this file.' },
    ]);
    const notExport = await h.api('POST', `/api/initiatives/${target}/import`, { hello: 'world' });
    expect(notExport.status).toBe(400);
    expect(notExport.body.issues).toEqual([
      { path: 'format', message: expect.stringMatching(/not a Convene initiative export/) },
    ]);
    const badJson = await h.api('POST', `/api/initiatives/${target}/import`, '{"format":');
    expect(badJson.status).toBe(400);
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

  it('every member exports; only the admin, the lead and facilitators import (observers and participants: 403)', async () => {
    const id = await h.createInitiative('Roles');
    const file = (await h.api('GET', `/api/initiatives/${id}/export`)).body;
    for (const role of ['observer', 'participant']) {
      const token = await h.invite(id, role);
      expect((await h.api('GET', `/api/initiatives/${id}/export`, undefined, token)).status).toBe(200);
      const res = await h.api('POST', `/api/initiatives/${id}/import`, file, token);
      expect(res.status).toBe(403);
      expect(res.body.error).toMatch(/lead or a facilitator/);
    }
    for (const role of ['lead', 'facilitator']) {
      const target = await h.createInitiative(`Import by ${role}`);
      const token = await h.invite(target, role);
      expect((await h.api('POST', `/api/initiatives/${target}/import`, file, token)).status).toBe(200);
    }
    expect((await h.api('POST', `/api/initiatives/${await h.createInitiative('By admin')}/import`, file)).status).toBe(
      200,
    );
  });
});
