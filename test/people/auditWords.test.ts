import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditEntry } from '../../src/contract/answers.ts';
import { auditSentence } from '../../src/people/auditWords.ts';
import { readAccessEvent, ACCESS_REMOVED } from '../../src/people/useAccess.ts';
import { formatMoment } from '../../src/kit/when.ts';

const dana = { id: 'm-dana', name: 'Dana Whitfield' };
const sam = { kind: 'member' as const, id: 'm-sam', name: 'Sam Rivera' };
const invite = { kind: 'invite' as const, id: 'i-1', name: null };

function entry(action: AuditEntry['action'], patch: Partial<AuditEntry> = {}): AuditEntry {
  return { id: 1, at: '2026-12-02T10:14:00Z', action, actor: dana, subject: sam, detail: {}, ...patch };
}

describe('the membership record in sentences', () => {
  it('says who invited whom, with the label', () => {
    expect(
      auditSentence(
        entry('invite.created', { subject: invite, detail: { role: 'participant', label: 'Health department' } }),
      ),
    ).toBe('Dana Whitfield invited a participant (Health department)');
    expect(auditSentence(entry('invite.created', { subject: invite, detail: { role: 'observer' } }))).toBe(
      'Dana Whitfield invited an observer',
    );
  });

  it('says who joined in which role', () => {
    const alex = { kind: 'member' as const, id: 'm-alex', name: 'Alex' };
    expect(
      auditSentence(
        entry('invite.redeemed', {
          actor: { id: 'm-alex', name: 'Alex' },
          subject: alex,
          detail: { role: 'participant' },
        }),
      ),
    ).toBe('Alex joined as participant');
  });

  it('says role changes, removals, sign-in links and sign-outs', () => {
    expect(auditSentence(entry('member.roleChanged', { detail: { from: 'participant', to: 'observer' } }))).toBe(
      'Dana Whitfield made Sam Rivera an observer',
    );
    expect(auditSentence(entry('member.removed'))).toBe('Dana Whitfield removed Sam Rivera');
    expect(auditSentence(entry('member.signInLink'))).toBe('Dana Whitfield made a new sign-in link for Sam Rivera');
    expect(auditSentence(entry('member.signedOut'))).toBe('Dana Whitfield signed Sam Rivera out of all devices');
    expect(auditSentence(entry('member.signedOut', { actor: { id: 'm-sam', name: 'Sam Rivera' } }))).toBe(
      'Sam Rivera signed out of all devices',
    );
  });

  it('says when an invite was revoked or expired, without naming the system', () => {
    expect(auditSentence(entry('invite.revoked', { subject: invite, detail: { role: 'facilitator' } }))).toBe(
      'Dana Whitfield revoked the invite for a facilitator',
    );
    expect(
      auditSentence(
        entry('invite.expired', { actor: { id: null, name: '' }, subject: invite, detail: { role: 'facilitator' } }),
      ),
    ).toBe('The invite for a facilitator expired');
  });

  it('has a sentence for every action the record keeps', () => {
    for (const action of AUDIT_ACTIONS) {
      const sentence = auditSentence(entry(action, { detail: { role: 'lead', to: 'lead' } }));
      expect(sentence).not.toContain(action);
      expect(sentence).not.toContain('undefined');
    }
  });

  it('writes a moment as day, month and time, with the year only for another year', () => {
    const now = new Date('2026-12-05T12:00:00');
    expect(formatMoment(new Date('2026-12-02T10:14:00').toISOString(), now)).toBe('2 Dec 10:14');
    expect(formatMoment(new Date('2025-03-09T08:05:00').toISOString(), now)).toBe('9 Mar 2025 08:05');
  });
});

describe('the access events of the stream', () => {
  it('reads a role change and a removal, and ignores anything else', () => {
    expect(readAccessEvent('{"role":"observer"}')).toEqual({ role: 'observer' });
    expect(readAccessEvent('{"removed":true,"reason":"Dana Whitfield removed you."}')).toEqual({
      removed: true,
      reason: 'Dana Whitfield removed you.',
    });
    expect(readAccessEvent('{"removed":true}')).toEqual({ removed: true, reason: ACCESS_REMOVED });
    expect(readAccessEvent('{"role":"superuser"}')).toBeNull();
    expect(readAccessEvent('not json')).toBeNull();
    expect(readAccessEvent('null')).toBeNull();
  });
});
