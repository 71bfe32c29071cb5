/**
 * Typed helpers for the Convene HTTP API (docs/api.md). Every helper throws an
 * `ApiError` carrying the server's own `error` sentence when the answer is not 2xx,
 * so screens can show it as is.
 */
import type { Person, ReadinessRecord, Stage, Unmet, WorkflowCommand, HistoryEntry } from '../../machines/index.ts';

export interface ApiIssue {
  path: string;
  message: string;
}

/** A refused request, with the server's sentence as `message`. */
export class ApiError extends Error {
  readonly status: number;
  readonly field?: string;
  readonly issues: ApiIssue[];
  readonly unmet: Unmet[];

  constructor(status: number, message: string, body: Partial<ErrorBody> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.field = body.field;
    this.issues = Array.isArray(body.issues) ? body.issues : [];
    this.unmet = Array.isArray(body.unmet) ? body.unmet : [];
  }
}

interface ErrorBody {
  error: string;
  field?: string;
  issues?: ApiIssue[];
  unmet?: Unmet[];
}

/** A role in one initiative, as the server names it; `admin` for the instance admin. */
export type MemberRole = 'lead' | 'facilitator' | 'participant' | 'observer';
export type ViewerRole = MemberRole | 'admin';

export interface InitiativeSummary {
  id: string;
  name: string;
  issue: string;
  stage: Stage;
  role: ViewerRole;
}

export interface InitiativeDetail extends InitiativeSummary {
  me: { id: string; name: string; role: MemberRole } | null;
}

export interface Membership {
  initiativeId: string;
  initiativeName: string;
  memberId: string;
  name: string;
  role: MemberRole;
}

export interface Session {
  admin: boolean;
  memberships: Membership[];
}

export interface Invite {
  initiativeId: string;
  initiativeName: string;
  role: MemberRole;
  name: string | null;
}

export interface Workflow {
  stage: Stage;
  stageLabel: string;
  readiness: ReadinessRecord;
  unmet: Unmet[];
  history: HistoryEntry[];
}

export type { Person };

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'The request was not valid.',
  401: 'You are not signed in. Open your invite link to sign in.',
  403: 'You do not have access to this.',
  404: 'This was not found.',
  409: 'This step is not possible yet.',
};

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'Convene could not be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    const errorBody = (data && typeof data === 'object' ? data : {}) as Partial<ErrorBody>;
    const message =
      typeof errorBody.error === 'string' && errorBody.error
        ? errorBody.error
        : (FALLBACK_MESSAGES[response.status] ?? `The server answered ${response.status}.`);
    throw new ApiError(response.status, message, errorBody);
  }
  return data as T;
}

const enc = encodeURIComponent;

export const api = {
  getSession: () => request<Session>('GET', '/api/session'),
  startSession: (token: string, name?: string) =>
    request<{ initiativeId: string }>('POST', '/api/session', name === undefined ? { token } : { token, name }),
  endSession: () => request<void>('DELETE', '/api/session'),
  listInitiatives: () => request<InitiativeSummary[]>('GET', '/api/initiatives'),
  getInitiative: (id: string) => request<InitiativeDetail>('GET', `/api/initiatives/${enc(id)}`),
  getInvite: (token: string) => request<Invite>('GET', `/api/invites/${enc(token)}`),
  getWorkflow: (id: string) => request<Workflow>('GET', `/api/initiatives/${enc(id)}/workflow`),
  sendWorkflowEvent: (id: string, event: WorkflowCommand) =>
    request<Workflow>('POST', `/api/initiatives/${enc(id)}/events`, event),
  workflowStreamUrl: (id: string) => `/api/initiatives/${enc(id)}/workflow/stream`,
};

/** Whether a role may change the stakeholder map. */
export function canEditCanvas(role: ViewerRole | undefined): boolean {
  return role === 'lead' || role === 'facilitator' || role === 'participant' || role === 'admin';
}

/** Whether a role may advance the workflow (assess, confirm). */
export function canRunWorkflow(role: ViewerRole | undefined): boolean {
  return role === 'lead' || role === 'facilitator' || role === 'admin';
}

export const ROLE_LABELS: Record<ViewerRole, string> = {
  lead: 'Backbone lead',
  facilitator: 'Facilitator',
  participant: 'Participant',
  observer: 'Observer',
  admin: 'Administrator',
};
