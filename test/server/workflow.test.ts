import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

/** A member who redeemed an invite under `name`: answers their session token. */
function namedMember(id: string, role: string, name: string): Promise<string> {
  return h.invite(id, role, name);
}

const assess = (precondition: string, status: string, evidence = `Evidence for ${precondition}`) => ({
  type: 'readiness.assess',
  precondition,
  status,
  evidence,
});

describe('workflow events', () => {
  it('only the lead, facilitators and the admin may send events; every member may read', async () => {
    const id = await h.createInitiative();
    for (const role of ['participant', 'observer']) {
      const token = await h.invite(id, role);
      const res = await h.api('POST', `/api/initiatives/${id}/events`, assess('champion', 'met'), token);
      expect(res.status).toBe(403);
      expect((await h.api('GET', `/api/initiatives/${id}/workflow`, undefined, token)).status).toBe(200);
    }
    for (const role of ['lead', 'facilitator']) {
      const token = await h.invite(id, role);
      expect((await h.api('POST', `/api/initiatives/${id}/events`, assess('urgency', 'partial'), token)).status).toBe(200);
    }
    expect((await h.api('POST', `/api/initiatives/${id}/events`, assess('urgency', 'met'))).status).toBe(200);
    expect((await h.api('POST', `/api/initiatives/${id}/events`, assess('urgency', 'met'), '')).status).toBe(401);
    expect((await h.api('POST', `/api/initiatives/nope/events`, assess('urgency', 'met'))).status).toBe(404);
  });

  it('400 for an unknown event type or an invalid field', async () => {
    const id = await h.createInitiative();
    const unknown = await h.api('POST', `/api/initiatives/${id}/events`, { type: 'phase.skip' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('type');
    expect(unknown.body.error).toMatch(/Unknown event type "phase.skip"/);
    const noType = await h.api('POST', `/api/initiatives/${id}/events`, {});
    expect(noType.status).toBe(400);
    const noEvidence = await h.api('POST', `/api/initiatives/${id}/events`, assess('champion', 'met', '  '));
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.body.field).toBe('evidence');
    const badPrecondition = await h.api('POST', `/api/initiatives/${id}/events`, assess('luck', 'met'));
    expect(badPrecondition.body.field).toBe('precondition');
    const badStatus = await h.api('POST', `/api/initiatives/${id}/events`, assess('champion', 'maybe'));
    expect(badStatus.body.field).toBe('status');
    const blankOverride = await h.api('POST', `/api/initiatives/${id}/events`, {
      type: 'readiness.confirm',
      override: { reason: '' },
    });
    expect(blankOverride.status).toBe(400);
    expect(blankOverride.body.field).toBe('override.reason');
    const workflow = await h.api('GET', `/api/initiatives/${id}/workflow`);
    expect(workflow.body.history).toEqual([]);
  });

  it('confirm is refused with 409 and the unmet preconditions in words, then accepted once all are met', async () => {
    const id = await h.createInitiative();
    const lead = await namedMember(id, 'lead', 'Dana Whitfield');
    const facilitator = await namedMember(id, 'facilitator', 'Sam Ortiz');
    const events = `/api/initiatives/${id}/events`;

    const refused = await h.api('POST', events, { type: 'readiness.confirm' }, lead);
    expect(refused.status).toBe(409);
    expect(refused.body.unmet.map((u: { message: string }) => u.message)).toEqual([
      'Influential champion has not been assessed yet.',
      'Adequate financial resources has not been assessed yet.',
      'Urgency for change has not been assessed yet.',
    ]);

    expect((await h.api('POST', events, assess('champion', 'met', 'The mayor convenes CEOs monthly'), lead)).status).toBe(200);
    expect((await h.api('POST', events, assess('resources', 'partial', 'One year funded'), facilitator)).status).toBe(200);
    const stillRefused = await h.api('POST', events, { type: 'readiness.confirm' }, lead);
    expect(stillRefused.status).toBe(409);
    expect(stillRefused.body.unmet).toHaveLength(2);
    expect(stillRefused.body.unmet[0].message).toMatch(/Adequate financial resources is assessed as partly met: "One year funded"/);
    expect(stillRefused.body.unmet[1].message).toMatch(/Urgency for change has not been assessed/);
    expect((await h.api('GET', '/api/initiatives')).body.find((i: { id: string }) => i.id === id).stage).toBe('readiness');

    await h.api('POST', events, assess('resources', 'met', 'Anchor funder pledged three years'), facilitator);
    await h.api('POST', events, assess('urgency', 'met', 'State report ranks the county last'), facilitator);
    const accepted = await h.api('POST', events, { type: 'readiness.confirm' }, lead);
    expect(accepted.status).toBe(200);
    expect(accepted.body.stage).toBe('initiate');
    expect(accepted.body.stageLabel).toBe('Phase I: Initiate Action');

    const workflow = (await h.api('GET', `/api/initiatives/${id}/workflow`, undefined, lead)).body;
    expect(workflow.readiness.champion).toMatchObject({
      status: 'met',
      evidence: 'The mayor convenes CEOs monthly',
      by: { name: 'Dana Whitfield', role: 'lead' },
    });
    expect(workflow.readiness.urgency.by).toMatchObject({ name: 'Sam Ortiz', role: 'facilitator' });
    expect(workflow.history.map((e: { type: string; by: { name: string } }) => [e.type, e.by.name])).toEqual([
      ['readiness.assess', 'Dana Whitfield'],
      ['readiness.assess', 'Sam Ortiz'],
      ['readiness.assess', 'Sam Ortiz'],
      ['readiness.assess', 'Sam Ortiz'],
      ['readiness.confirm', 'Dana Whitfield'],
    ]);
    for (const entry of workflow.history) expect(Date.parse(entry.at)).not.toBeNaN();
    expect((await h.api('GET', '/api/initiatives')).body.find((i: { id: string }) => i.id === id).stage).toBe('initiate');

    const late = await h.api('POST', events, assess('champion', 'unmet', 'The mayor left'), lead);
    expect(late.status).toBe(409);
    expect(late.body.unmet[0].message).toMatch(/Phase I: Initiate Action/);
  });

  it('an override with a reason launches anyway and is recorded with its reason', async () => {
    const id = await h.createInitiative();
    const lead = await namedMember(id, 'lead', 'Priya Raman');
    const res = await h.api(
      'POST',
      `/api/initiatives/${id}/events`,
      { type: 'readiness.confirm', override: { reason: 'The county board meets next week; we launch and assess in parallel.' } },
      lead,
    );
    expect(res.status).toBe(200);
    expect(res.body.stage).toBe('initiate');
    expect(res.body.history.at(-1)).toMatchObject({
      type: 'readiness.confirm',
      by: { name: 'Priya Raman', role: 'lead' },
      override: { reason: 'The county board meets next week; we launch and assess in parallel.' },
    });
  });

  it('a restart resumes the workflow exactly', async () => {
    const id = await h.createInitiative();
    const lead = await namedMember(id, 'lead', 'Jo');
    await h.api('POST', `/api/initiatives/${id}/events`, assess('champion', 'met'), lead);
    await h.api('POST', `/api/initiatives/${id}/events`, assess('resources', 'unmet'), lead);
    const before = (await h.api('GET', `/api/initiatives/${id}/workflow`)).body;
    await h.restart();
    const after = (await h.api('GET', `/api/initiatives/${id}/workflow`)).body;
    expect(after).toEqual(before);
    expect(after.stage).toBe('readiness');
    // And it carries on from there.
    await h.api('POST', `/api/initiatives/${id}/events`, assess('resources', 'met'), lead);
    await h.api('POST', `/api/initiatives/${id}/events`, assess('urgency', 'met'), lead);
    expect((await h.api('POST', `/api/initiatives/${id}/events`, { type: 'readiness.confirm' }, lead)).body.stage).toBe('initiate');
    await h.restart();
    const final = (await h.api('GET', `/api/initiatives/${id}/workflow`)).body;
    expect(final.stage).toBe('initiate');
    expect(final.history).toHaveLength(5);
  });

  it('an event the store fails to save is not taken: the workflow stays as stored, and the next event goes on from there', async () => {
    const id = await h.createInitiative();
    const lead = await namedMember(id, 'lead', 'Jo');
    expect((await h.api('POST', `/api/initiatives/${id}/events`, assess('champion', 'met'), lead)).status).toBe(200);
    // A real fault in the real file: a trigger refuses any change to this initiative's stored workflow.
    const db = new Database(join(h.dataDir, 'convene.db'));
    try {
      db.exec(`CREATE TRIGGER refuse_workflow BEFORE UPDATE ON workflows WHEN OLD.initiative_id = '${id}' BEGIN SELECT RAISE(ABORT, 'the disk refused the write'); END`);
      const failed = await h.api('POST', `/api/initiatives/${id}/events`, assess('urgency', 'met'), lead);
      expect(failed.status).toBeGreaterThanOrEqual(500);
      const after = (await h.api('GET', `/api/initiatives/${id}/workflow`, undefined, lead)).body;
      expect(after.history.map((e: { type: string }) => e.type)).toEqual(['readiness.assess']);
      expect(after.readiness.urgency?.status).not.toBe('met');
    } finally {
      db.exec('DROP TRIGGER IF EXISTS refuse_workflow');
      db.close();
    }
    // The next event is taken from the stored workflow, and only it joins the history.
    const next = await h.api('POST', `/api/initiatives/${id}/events`, assess('resources', 'met'), lead);
    expect(next.status).toBe(200);
    expect(next.body.history.map((e: { summary: string }) => e.summary).join(' | ')).not.toMatch(/urgency/i);
    expect(next.body.history).toHaveLength(2);
  });

  it('streams the workflow to members as server-sent events', async () => {
    const id = await h.createInitiative();
    const observer = await h.invite(id, 'observer');
    const controller = new AbortController();
    const res = await fetch(`${h.url}/api/initiatives/${id}/workflow/stream`, {
      headers: { authorization: `Bearer ${observer}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    // The next `workflow` event (the stream also carries `workshops` and `access` events).
    const nextEvent = async (): Promise<ReturnType<typeof JSON.parse>> => {
      while (!buffer.includes('\n\n')) buffer += decoder.decode((await reader.read()).value, { stream: true });
      const end = buffer.indexOf('\n\n');
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.startsWith('event: workflow\n')) return nextEvent();
      const data = block.split('\n').find((l) => l.startsWith('data: '))!;
      return JSON.parse(data.slice(6));
    };
    expect((await nextEvent()).history).toEqual([]);
    await h.api('POST', `/api/initiatives/${id}/events`, assess('urgency', 'met', 'A new state report'));
    const update = await nextEvent();
    expect(update.readiness.urgency.evidence).toBe('A new state report');
    controller.abort();
    const stranger = await fetch(`${h.url}/api/initiatives/${id}/workflow/stream`);
    expect(stranger.status).toBe(401);
  });
});
