import type { Unmet } from '../../machines/index.ts';
import type { Issue } from '../contract/index.ts';
import { UnmetList } from './UnmetList.tsx';

export interface Refusal {
  /** The HTTP status (409: the workflow refused; 400: the request did not fit); 0 when unknown. */
  status?: number;
  message: string;
  unmet: Unmet[];
  issues?: Issue[];
}

/**
 * Why the server refused the last step. The live region is always rendered (empty
 * when there is nothing to say), so screen readers announce a refusal when it appears.
 */
export function WorkflowErrors({ refusal }: { refusal: Refusal | null }) {
  const issues = refusal?.issues ?? [];
  return (
    <div role="alert" className={refusal ? 'notice notice--error wf-refusal' : 'wf-refusal'}>
      {refusal &&
        (refusal.unmet.length > 0 ? (
          <>
            <p className="wf-refusal__title">Not possible yet. What is missing:</p>
            <UnmetList unmet={refusal.unmet} />
          </>
        ) : (
          <>
            <p>{refusal.message}</p>
            {issues.length > 1 && (
              <ul>
                {issues.map((issue, index) => (
                  <li key={`${issue.path}-${index}`}>
                    {issue.path}: {issue.message}
                  </li>
                ))}
              </ul>
            )}
          </>
        ))}
    </div>
  );
}
