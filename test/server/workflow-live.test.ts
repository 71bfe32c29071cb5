/**
 * The workflow view follows the document on the server: a canvas edit by one
 * client reaches every other client's workflow stream, and after a restart the
 * view is exactly a fresh evaluation of the stored document. Real server, real
 * y-websocket clients, the real server-sent event stream.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createEntity, readModel } from '../../src/schema/model.ts';
import { evaluateWorkflow, type WorkflowContext } from '../../machines/index.ts';
import { startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';
import { openEventStream, type EventStreamReader } from './eventStream.ts';

let h: Harness;
const clients: SyncClient[] = [];
const streams: EventStreamReader[] = [];

beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(async () => {
  await h.stop();
});

interface View {
  stage: string;
  unmet: { step?: string; message: string }[];
  components: Record<string, Record<string, { steps: { id: string; status: string; messages: string[] }[] }>>;
  readiness: WorkflowContext['readiness'];
  history: WorkflowContext['history'];
  scope: WorkflowContext['scope'];
  thresholds: WorkflowContext['thresholds'];
  confirmations: WorkflowContext['confirmations'];
}

const statusOf = (view: View, id: string) => {
  const [phase, component] = id.split('.');
  return view.components[phase][component].steps.find((s) => s.id === id)!.status;
};

/** The `workflow` events of an initiative's stream, as a member reads them. */
async function openStream(id: string, token: string) {
  const stream = await openEventStream(h.url, id, token);
  streams.push(stream);
  const next = async (): Promise<View> => {
    const view = await stream.next<View>('workflow');
    if (!view) throw new Error('the stream ended');
    return view;
  };
  return {
    next,
    /** The first view from now on that `accept` approves. */
    async until(accept: (view: View) => boolean): Promise<View> {
      for (;;) {
        const view = await next();
        if (accept(view)) return view;
      }
    },
  };
}

async function launched(): Promise<{ id: string; lead: string }> {
  const id = await h.createInitiative('Valley Youth Futures');
  const lead = await h.invite(id, 'lead');
  const res = await h.api('POST', `/api/initiatives/${id}/events`, {
    type: 'readiness.confirm',
    override: { reason: 'The council meets next week; we assess in parallel.' },
  }, lead);
  expect(res.body.stage).toBe('initiate');
  return { id, lead };
}

describe('the workflow view follows the document on the server', () => {
  it("pushes a canvas edit by client A that meets a step to client B's stream within a second", async () => {
    const { id } = await launched();
    const a = syncClient(h.url, id, await h.invite(id, 'participant'));
    clients.push(a);
    await a.synced;
    const b = await openStream(id, await h.invite(id, 'observer'));
    const first = await b.next();
    expect(statusOf(first, 'initiate.governance.champion')).toBe('unmet');

    const started = performance.now();
    createEntity(a.doc, 'stakeholder', { name: 'Mayor Elena Ruiz', sector: 'government', role: 'champion' });
    const pushed = await b.until((view) => statusOf(view, 'initiate.governance.champion') === 'met');
    expect(performance.now() - started).toBeLessThan(1000);
    // The same view a fresh request answers: the stream carries the server's evaluation.
    expect(pushed).toEqual((await h.api('GET', `/api/initiatives/${id}/workflow`)).body);
    expect(pushed.unmet.map((u) => u.step)).not.toContain('initiate.governance.champion');
  });

  it('after a restart, the view equals a fresh evaluation of the stored document', async () => {
    const { id, lead } = await launched();
    const a = syncClient(h.url, id, await h.invite(id, 'participant'));
    clients.push(a);
    await a.synced;
    const b = await openStream(id, await h.invite(id, 'observer'));
    await b.next();
    createEntity(a.doc, 'stakeholder', { name: 'Mayor Elena Ruiz', sector: 'government', role: 'champion' });
    createEntity(a.doc, 'source', { title: 'County youth survey 2025' });
    await b.until((view) => statusOf(view, 'initiate.governance.champion') === 'met');
    const before = (await h.api('GET', `/api/initiatives/${id}/workflow`, undefined, lead)).body as View;
    for (const client of clients.splice(0)) client.destroy();
    for (const stream of streams.splice(0)) stream.close();

    await h.restart();
    const after = (await h.api('GET', `/api/initiatives/${id}/workflow`, undefined, lead)).body as View;
    expect(after).toEqual(before);

    // The stored document, read by a new client, evaluated from scratch.
    const reader = syncClient(h.url, id, await h.invite(id, 'observer'), new Y.Doc());
    clients.push(reader);
    await reader.synced;
    const context: WorkflowContext = {
      readiness: after.readiness,
      history: after.history,
      scope: after.scope,
      thresholds: after.thresholds,
      confirmations: after.confirmations,
    };
    const fresh = evaluateWorkflow(after.stage as 'initiate', context, readModel(reader.doc));
    expect(after.components).toEqual(fresh.components);
    expect(after.unmet).toEqual(fresh.unmet);
    expect(statusOf(after, 'initiate.governance.champion')).toBe('met');
  });
});
