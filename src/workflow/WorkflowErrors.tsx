import type { Unmet } from '../../machines/readiness.ts';

export interface Refusal {
  message: string;
  unmet: Unmet[];
}

/**
 * Why the server refused the last step. The live region is always rendered (empty
 * when there is nothing to say), so screen readers announce a refusal when it appears.
 */
export function WorkflowErrors({ refusal }: { refusal: Refusal | null }) {
  return (
    <div role="alert" className={refusal ? 'notice notice--error' : undefined}>
      {refusal && (
        <>
          <p>{refusal.message}</p>
          {refusal.unmet.length > 0 && (
            <ul>
              {refusal.unmet.map((item, index) => (
                <li key={`${item.precondition ?? 'step'}-${index}`}>{item.message}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
