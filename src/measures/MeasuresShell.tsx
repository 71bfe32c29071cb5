/**
 * What every signed-in measures screen shares: the initiative, its live role
 * (useAccess), its framework board's indicators (the shared document, read
 * only: no presence, no offline copy) and its measures (useMeasures), and a
 * header with the way back.
 */
import './measures.css';
import type { ReactNode } from 'react';
import type { InitiativeDetail } from '../contract/answers.ts';
import type { ViewerRole } from '../contract/roles.ts';
import { api } from '../kit/api.ts';
import { Link } from '../kit/Link.tsx';
import { InitiativeUnavailable, Loading } from '../kit/Notice.tsx';
import { useAsync } from '../kit/useAsync.ts';
import { AccessRemoved } from '../people/AccessRemoved.tsx';
import { useAccess } from '../people/useAccess.ts';
import { useInitiativeSync } from '../sync/useInitiativeSync.ts';
import { useModel } from '../sync/useModel.ts';
import { indicatorsOf, type IndicatorInfo } from './indicators.ts';
import { useMeasures, type Measures } from './useMeasures.ts';

export interface MeasuresContext {
  initiative: InitiativeDetail;
  role: ViewerRole;
  indicators: IndicatorInfo[];
  /** False until the shared document has arrived (the indicators may be missing until then). */
  boardLoaded: boolean;
  measures: Measures;
}

/** Loads the initiative, then renders `children` with everything a measures screen reads. */
export function WithMeasures({
  id,
  what,
  children,
}: {
  id: string;
  what: string;
  children: (context: MeasuresContext) => ReactNode;
}) {
  const result = useAsync(() => api.getInitiative(id), id);
  if (result.state === 'loading') return <Loading what={what} />;
  if (result.state === 'failed') return <InitiativeUnavailable error={result.error} />;
  return <Loaded initiative={result.value}>{children}</Loaded>;
}

function Loaded({
  initiative,
  children,
}: {
  initiative: InitiativeDetail;
  children: (context: MeasuresContext) => ReactNode;
}) {
  const access = useAccess(initiative.id, initiative.role);
  const sync = useInitiativeSync(initiative.id, null);
  const model = useModel(sync.doc);
  const measures = useMeasures(initiative.id);
  if (access.removed !== null) {
    return <AccessRemoved initiativeId={initiative.id} initiativeName={initiative.name} reason={access.removed} />;
  }
  const boardLoaded = sync.status === 'live' || sync.status === 'syncing' || model.entities.indicator.length > 0;
  return (
    <>
      {access.changed && (
        <p className="notice measures__notice" role="status">
          {access.changed}
        </p>
      )}
      {children({ initiative, role: access.role, indicators: indicatorsOf(model), boardLoaded, measures })}
    </>
  );
}

/** The header of a measures screen: the way back, what it is, and the initiative's name. */
export function MeasuresHeader({
  back,
  backTo,
  eyebrow,
  title,
  children,
}: {
  back: string;
  backTo: string;
  eyebrow: string;
  title: string;
  children?: ReactNode;
}) {
  return (
    <header className="measures__header">
      <Link to={backTo} className="measures__back">
        ← {back}
      </Link>
      <p className="eyebrow">{eyebrow}</p>
      <h1>{title}</h1>
      {children}
    </header>
  );
}
