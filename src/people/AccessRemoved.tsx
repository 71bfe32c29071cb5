import { useEffect } from 'react';
import { Link } from '../kit/Link.tsx';
import { Notice } from '../kit/Notice.tsx';
import { forgetOfflineCopy } from '../sync/index.ts';
import { ACCESS_REMOVED } from './useAccess.ts';

interface Props {
  initiativeId: string;
  initiativeName: string;
  reason: string | null;
}

/**
 * What replaces an initiative's pages once this person's access to it ended
 * (removed, or signed out everywhere). The copy this browser kept of it for
 * offline work is deleted.
 */
export function AccessRemoved({ initiativeId, initiativeName, reason }: Props) {
  useEffect(() => {
    void forgetOfflineCopy(initiativeId).catch(() => {});
  }, [initiativeId]);
  return (
    <Notice title="Your access to this initiative was removed" tone="error">
      <p>
        You can no longer see {initiativeName}.{' '}
        {reason && reason !== ACCESS_REMOVED ? reason : 'What you added to the boards stays with the group.'}
      </p>
      <p>If you think this is a mistake, ask the backbone lead of the initiative for a new invite link.</p>
      <p>
        <Link to="/">Go to your initiatives</Link>
      </p>
    </Notice>
  );
}
