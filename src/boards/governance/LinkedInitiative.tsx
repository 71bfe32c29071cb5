/**
 * A sub-initiative group linked to the real sub-initiative (issue #13, point 1):
 * its card shows that initiative's phase and report card share, live, and opens
 * it for those who may; its panel chooses the linked sub-initiative among this
 * initiative's children, or creates it ("Create as an initiative", for the
 * backbone lead and the admin), who then leads the new one.
 */
import { useId, useState, type FormEvent } from 'react';
import { STAGE_LABELS } from '../../../machines/stages.ts';
import { can } from '../../contract/permissions.ts';
import { LIMITS } from '../../contract/limits.ts';
import type { PanelExtraProps } from '../../canvas/types.ts';
import { api } from '../../kit/api.ts';
import { Link } from '../../kit/Link.tsx';
import { initiativePath } from '../../kit/router.ts';
import { findEntity, updateEntity } from '../../schema/index.ts';
import { linkedChild, shareWords, useLinks } from '../links.tsx';

/** The lines a linked sub-initiative adds to its group's card. */
export function LinkedInitiativeLines({ initiativeId }: { initiativeId: string }) {
  const { links } = useLinks();
  if (!initiativeId) return <div className="card__line card__line--muted">Not linked to an initiative yet</div>;
  if (!links) return null;
  const child = linkedChild(links, initiativeId);
  if (!child) return <div className="card__line card__line--muted">Linked initiative is no longer below this one</div>;
  return (
    <div className="card__linked" aria-label={`Linked initiative ${child.name}`}>
      <div className="card__line">
        <span className="card__chips-label">Phase:</span> <span data-linked-stage>{STAGE_LABELS[child.stage]}</span>
      </div>
      <div className="card__line" data-linked-share>
        {shareWords(child)}
      </div>
      {child.canOpen && (
        <Link to={initiativePath(child.id)} className="card__open nodrag nopan">
          Open<span className="visually-hidden"> {child.name}</span>
        </Link>
      )}
    </div>
  );
}

/** The group's panel section: which sub-initiative it stands for. */
export function LinkedInitiativePanel({ doc, model, entityId, editable }: PanelExtraProps) {
  const { links, role } = useLinks();
  const selectId = useId();
  const group = findEntity(model, entityId);
  if (group?.kind !== 'group' || group.groupKind !== 'sub-initiative') return null;
  const children = links?.children ?? [];
  const child = linkedChild(links, group.initiativeId);
  return (
    <section className="linked-initiative" aria-label="Linked sub-initiative">
      <h4>Linked sub-initiative</h4>
      {editable ? (
        <div className="field">
          <label htmlFor={selectId}>The sub-initiative this group stands for</label>
          <select
            id={selectId}
            value={group.initiativeId}
            onChange={(e) => updateEntity(doc, group.id, { initiativeId: e.target.value })}
          >
            <option value="">Not linked</option>
            {children.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
            {group.initiativeId && !child && (
              <option value={group.initiativeId}>An initiative no longer below this one</option>
            )}
          </select>
        </div>
      ) : (
        <p>{child ? child.name : group.initiativeId ? 'An initiative no longer below this one' : 'Not linked yet.'}</p>
      )}
      {child && <p className="linked-initiative__figures">{`${STAGE_LABELS[child.stage]} · ${shareWords(child)}`}</p>}
      {child?.canOpen && (
        <Link to={initiativePath(child.id)} className="button button--small">
          Open {child.name}
        </Link>
      )}
      {editable && links && children.length === 0 && !group.initiativeId && (
        <p className="muted">No initiative sits below this one yet.</p>
      )}
      {editable && !group.initiativeId && can(role, 'linkInitiatives') && (
        <CreateAsInitiative doc={doc} groupId={group.id} name={group.name} />
      )}
    </section>
  );
}

/** Creates the sub-initiative under this one and links the group to it; its creator leads it. */
function CreateAsInitiative({ doc, groupId, name }: { doc: PanelExtraProps['doc']; groupId: string; name: string }) {
  const { initiativeId, reload } = useLinks();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState({ name, issue: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();
  const issueId = useId();

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api.createInitiative({
        name: draft.name.trim(),
        issue: draft.issue.trim(),
        parentId: initiativeId,
      });
      updateEntity(doc, groupId, { initiativeId: created.id });
      setOpen(false);
      reload();
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    } finally {
      setBusy(false);
    }
  }

  if (!open)
    return (
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          setDraft({ name, issue: '' });
          setOpen(true);
        }}
      >
        Create as an initiative
      </button>
    );
  return (
    <form className="linked-initiative__create" onSubmit={create} aria-label="Create as an initiative">
      <p className="muted">A sub-initiative has its own members, boards, workflow and measures. You will lead it.</p>
      <div className="field">
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          value={draft.name}
          maxLength={LIMITS.initiativeName}
          required
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={issueId}>The issue it takes on</label>
        <textarea
          id={issueId}
          value={draft.issue}
          maxLength={LIMITS.issue}
          required
          rows={3}
          onChange={(e) => setDraft({ ...draft, issue: e.target.value })}
        />
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="linked-initiative__actions">
        <button type="submit" className="button button--small button--primary" disabled={busy}>
          Create and link
        </button>
        <button type="button" className="button button--small button--ghost" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
