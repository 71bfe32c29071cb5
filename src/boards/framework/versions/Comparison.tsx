/**
 * Two readings of the strategic action framework side by side: the earlier on
 * the left, the later (or now) on the right. An added card stands on the right
 * only, in green with the word "Added"; a removed one on the left only, struck
 * through with "Removed"; a changed one field by field, the old value struck on
 * the left and the new one beside it. Everything typed is shown as text.
 */
import { useEffect, useMemo, useState } from 'react';
import type { FrameworkDiff, FrameworkVersion, FrameworkVersionSummary } from '../../../contract/portfolio.ts';
import { CURRENT_FRAMEWORK } from '../../../contract/portfolio.ts';
import { api } from '../../../kit/api.ts';
import { observeInitiative, readModel, type InitiativeDoc } from '../../../schema/index.ts';
import {
  cardChanges,
  cardFields,
  changeCount,
  fieldWord,
  kindWord,
  namesOf,
  sideName,
  valueWords,
  type CardChange,
  type Names,
} from './words.ts';

interface Props {
  initiativeId: string;
  doc: InitiativeDoc;
  versions: readonly FrameworkVersionSummary[];
  from: string;
  to: string;
}

interface Loaded {
  diff: FrameworkDiff;
  names: Names;
  outside: Names;
}

/** How long the board must be still before a comparison with now is asked again. */
const SETTLE_MS = 700;

export function Comparison({ initiativeId, doc, versions, from, to }: Props) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  const versionsKey = versions.map((v) => v.id).join();

  useEffect(() => {
    let live = true;
    const content = (side: string): Promise<FrameworkVersion | null> =>
      side === CURRENT_FRAMEWORK ? Promise.resolve(null) : api.getFrameworkVersion(initiativeId, side);
    const outside = api.getLinks(initiativeId).then(
      (links) =>
        new Map(
          (links.parent?.strategies ?? []).map(
            (s) => [s.id, `${s.name} (${links.parent?.name ?? 'the initiative above'})`] as const,
          ),
        ),
      () => new Map<string, string>(),
    );
    Promise.all([api.diffFramework(initiativeId, from, to), content(from), content(to), outside]).then(
      ([diff, a, b, outsideNames]) => {
        if (!live) return;
        const names = namesOf(
          [readModel(doc), a?.content ?? null, b?.content ?? null],
          [...diff.added, ...diff.removed],
        );
        setLoaded({ diff, names, outside: outsideNames });
        setError(null);
      },
      (problem: unknown) => live && setError(problem instanceof Error ? problem.message : String(problem)),
    );
    return () => {
      live = false;
    };
  }, [initiativeId, doc, from, to, asked, versionsKey]);

  // Compared with now, the comparison follows the board: asked again once edits settle.
  useEffect(() => {
    if (from !== CURRENT_FRAMEWORK && to !== CURRENT_FRAMEWORK) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = observeInitiative(doc, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => setAsked((n) => n + 1), SETTLE_MS);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [doc, from, to]);

  const groups = useMemo(() => (loaded ? cardChanges(loaded.diff) : []), [loaded]);
  const left = sideName(from, versions);
  const right = sideName(to, versions);

  if (error)
    return (
      <p className="field-error" role="alert">
        The comparison could not be loaded: {error}
      </p>
    );
  if (!loaded)
    return (
      <p className="muted" role="status">
        Comparing…
      </p>
    );
  return (
    <div className="fv-compare" aria-label={`${left} compared with ${right}`} role="region">
      <p className="fv-compare__summary" role="status">
        {changeCount(loaded.diff)}
      </p>
      {groups.length > 0 && (
        <div className="fv-compare__heads" aria-hidden="true">
          <span>{left}</span>
          <span>{right}</span>
        </div>
      )}
      {groups.map((group) => (
        <section key={group.kind} className="fv-kind" aria-label={kindWord(group.kind)}>
          <h4 className="fv-kind__title">{kindWord(group.kind)}</h4>
          {group.cards.map((card) => (
            <ChangedCard key={card.id} card={card} loaded={loaded} left={left} right={right} />
          ))}
        </section>
      ))}
    </div>
  );
}

function ChangedCard({ card, loaded, left, right }: { card: CardChange; loaded: Loaded; left: string; right: string }) {
  const title = card.label || '(unnamed)';
  if (card.change !== 'changed') {
    const fields = cardFields(card.item, loaded.names, loaded.outside);
    const body = (
      <div className={`fv-card fv-card--${card.change}`}>
        <p className="fv-card__tag">{card.change === 'added' ? 'Added' : 'Removed'}</p>
        <p className="fv-card__title">{card.change === 'added' ? title : <del>{title}</del>}</p>
        {fields.length > 0 && (
          <dl className="fv-card__fields">
            {fields.map(({ field, words }) => (
              <div key={field}>
                <dt>{fieldWord(card.kind, field)}</dt>
                <dd>{card.change === 'added' ? words : <del>{words}</del>}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
    );
    const absent = <div className="fv-card fv-card--absent">Not in {card.change === 'added' ? left : right}</div>;
    return (
      <article className="fv-row" aria-label={`${kindWord(card.kind)} ${title}: ${card.change}`}>
        <div className={`fv-cell${card.change === 'removed' ? '' : ' fv-cell--absent'}`} data-side={left}>
          {card.change === 'removed' ? body : absent}
        </div>
        <div className={`fv-cell${card.change === 'added' ? '' : ' fv-cell--absent'}`} data-side={right}>
          {card.change === 'added' ? body : absent}
        </div>
      </article>
    );
  }
  return (
    <article className="fv-row fv-row--changed" aria-label={`${kindWord(card.kind)} ${title}: changed`}>
      <p className="fv-row__title">
        <span className="fv-card__tag">Changed</span> {title}
      </p>
      {card.fields.map((change) => (
        <div key={change.field} className="fv-field">
          <p className="fv-field__name">{fieldWord(card.kind, change.field)}</p>
          <div className="fv-cell" data-side={left}>
            <del>{valueWords(card.kind, change.field, change.before, loaded.names, loaded.outside)}</del>
          </div>
          <div className="fv-cell" data-side={right}>
            <ins>{valueWords(card.kind, change.field, change.after, loaded.names, loaded.outside)}</ins>
          </div>
        </div>
      ))}
    </article>
  );
}
