/**
 * The typed client of the Convene HTTP API (docs/api.md): every request the
 * browser makes to the server goes through here. Bodies and answers are the
 * contract's types (src/contract). Every helper throws an `ApiError` carrying the
 * server's own `error` sentence when the answer is not 2xx, so screens can show
 * it as is.
 */
import type { Unmet, WorkflowCommand } from '../../machines/index.ts';
import type {
  AuditEntry,
  CreatedInvite,
  ImportResult,
  InitiativeDetail,
  InitiativeSummary,
  Invite,
  Issue,
  MemberChange,
  ProfileChange,
  MemberEntry,
  NewInitiative,
  NewInvite,
  PendingInvite,
  Session,
  SessionStarted,
  SignInLink,
  WorkflowView,
} from '../contract/index.ts';
import type {
  CreatedWorkshop,
  NewWorkshop,
  WorkshopCommand,
  WorkshopSummary,
  WorkshopView,
} from '../contract/workshop.ts';
import type {
  BatchAccepted,
  IndicatorSettingsView,
  MeasurementRow,
  PublicReport,
  ReportCardAnswer,
  ReportLink,
} from '../contract/measureAccess.ts';
import type { IndicatorSettingsChange, MeasurementInput, ReviewBody } from '../contract/measures.ts';
import type { InitiativeChange } from '../contract/requests.ts';
import type {
  FrameworkDiff,
  FrameworkVersion,
  FrameworkVersionSummary,
  InitiativeLinks,
  PortfolioRow,
} from '../contract/portfolio.ts';

/** A refused request, with the server's sentence as `message`. */
export class ApiError extends Error {
  readonly status: number;
  readonly field?: string;
  readonly issues: Issue[];
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
  issues?: Issue[];
  unmet?: Unmet[];
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'The request was not valid.',
  401: 'You are not signed in. Open your invite link to sign in.',
  403: 'You do not have access to this.',
  404: 'This was not found.',
  409: 'This step is not possible yet.',
  410: 'This link no longer works. Ask the backbone lead of your initiative for a new one.',
  413: 'The file is too large.',
  429: 'Too many attempts from this address. Wait a minute, then try again.',
};

/** A body the client has already serialised (e.g. a file's text), sent as JSON as it is. */
class RawJson {
  constructor(readonly text: string) {}
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : body instanceof RawJson ? body.text : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'Convene could not be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    const data = parse(await response.text());
    const errorBody = (data && typeof data === 'object' ? data : {}) as Partial<ErrorBody>;
    const message =
      typeof errorBody.error === 'string' && errorBody.error
        ? errorBody.error
        : (FALLBACK_MESSAGES[response.status] ?? `The server answered ${response.status}.`);
    throw new ApiError(response.status, message, errorBody);
  }
  return response;
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  return parse(await response.text()) as T;
}

/** The file name the server suggests (`content-disposition`), or `fallback`. */
function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  return /filename="([^"]+)"/.exec(header)?.[1] ?? fallback;
}

const enc = encodeURIComponent;
const initiative = (id: string) => `/api/initiatives/${enc(id)}`;

export const api = {
  getSession: () => request<Session>('GET', '/api/session'),
  /** Redeems an invite, a sign-in link or an admin token; the browser keeps to the cookie and drops the answer's `token`. */
  startSession: (token: string, name?: string) =>
    request<SessionStarted>('POST', '/api/session', name === undefined ? { token } : { token, name }),
  /** Ends this session, or with `everywhere` every session of the people it holds (every device). */
  endSession: ({ everywhere = false }: { everywhere?: boolean } = {}) =>
    request<void>('DELETE', everywhere ? '/api/session?everywhere=1' : '/api/session'),
  listInitiatives: () => request<InitiativeSummary[]>('GET', '/api/initiatives'),
  createInitiative: (body: NewInitiative) => request<InitiativeSummary>('POST', '/api/initiatives', body),
  getInitiative: (id: string) => request<InitiativeDetail>('GET', initiative(id)),
  /** Renames an initiative or puts it under another (`parentId`, null for none). */
  changeInitiative: (id: string, body: InitiativeChange) => request<InitiativeSummary>('PATCH', initiative(id), body),
  /** Every initiative the caller may see in the portfolio, with its figures (docs/portfolio.md). */
  getPortfolio: () => request<PortfolioRow[]>('GET', '/api/portfolio'),
  /** Server-sent `portfolio` events (the contract's PortfolioEvent) as rows change. */
  portfolioStreamUrl: () => '/api/portfolio/stream',
  /** The initiative's parent and sub-initiatives, as its governance board and strategies link them. */
  getLinks: (id: string) => request<InitiativeLinks>('GET', `${initiative(id)}/links`),
  listFrameworkVersions: (id: string) => request<FrameworkVersionSummary[]>('GET', `${initiative(id)}/framework/versions`),
  getFrameworkVersion: (id: string, versionId: string) =>
    request<FrameworkVersion>('GET', `${initiative(id)}/framework/versions/${enc(versionId)}`),
  /** What changed from one version to another; `current` is the framework on the board now. */
  diffFramework: (id: string, from: string, to: string) =>
    request<FrameworkDiff>('GET', `${initiative(id)}/framework/diff?from=${enc(from)}&to=${enc(to)}`),
  createInvite: (id: string, body: NewInvite) => request<CreatedInvite>('POST', `${initiative(id)}/invites`, body),
  listInvites: (id: string) => request<PendingInvite[]>('GET', `${initiative(id)}/invites`),
  revokeInvite: (id: string, inviteId: string) => request<void>('DELETE', `${initiative(id)}/invites/${enc(inviteId)}`),
  getInvite: (token: string) => request<Invite>('GET', `/api/invites/${enc(token)}`),
  listMembers: (id: string) => request<MemberEntry[]>('GET', `${initiative(id)}/members`),
  changeMember: (id: string, memberId: string, body: MemberChange) =>
    request<unknown>('PATCH', `${initiative(id)}/members/${enc(memberId)}`, body),
  /** The caller's own sector and organisation in the initiative (never their role). */
  changeMyProfile: (id: string, body: ProfileChange) => request<MemberEntry>('PATCH', `${initiative(id)}/me`, body),
  removeMember: (id: string, memberId: string) => request<void>('DELETE', `${initiative(id)}/members/${enc(memberId)}`),
  /** A new single-use sign-in link for an existing member (a new laptop), shown once. */
  createSignInLink: (id: string, memberId: string) =>
    request<SignInLink>('POST', `${initiative(id)}/members/${enc(memberId)}/sign-in-link`),
  /** Ends every session of a member (a lost laptop): their open pages lose access at once. */
  endMemberSessions: (id: string, memberId: string) =>
    request<void>('DELETE', `${initiative(id)}/members/${enc(memberId)}/sessions`),
  listAudit: (id: string) => request<AuditEntry[]>('GET', `${initiative(id)}/audit`),
  getWorkflow: (id: string) => request<WorkflowView>('GET', `${initiative(id)}/workflow`),
  sendWorkflowEvent: (id: string, event: WorkflowCommand) =>
    request<WorkflowView>('POST', `${initiative(id)}/events`, event),
  workflowStreamUrl: (id: string) => `${initiative(id)}/workflow/stream`,
  listWorkshops: (id: string) => request<WorkshopSummary[]>('GET', `${initiative(id)}/workshops`),
  createWorkshop: (id: string, body: NewWorkshop) => request<CreatedWorkshop>('POST', `${initiative(id)}/workshops`, body),
  /** The workshop as the caller sees it (their own private cards and dots only), with the server's clock. */
  getWorkshop: (id: string, wid: string) => request<WorkshopView>('GET', `${initiative(id)}/workshops/${enc(wid)}`),
  /** A workshop command; answers the caller's new view, or throws the workshop's refusal sentence (409). */
  sendWorkshopCommand: (id: string, wid: string, command: WorkshopCommand) =>
    request<unknown>('POST', `${initiative(id)}/workshops/${enc(wid)}/commands`, command),
  /** The record of a workshop as JSON (its shape: src/contract/workshopRecord.ts; src/workshop/readRecord.ts checks it). */
  getWorkshopRecord: (id: string, wid: string) => request<unknown>('GET', `${initiative(id)}/workshops/${enc(wid)}/record`),
  workshopStreamUrl: (id: string, wid: string) => `${initiative(id)}/workshops/${enc(wid)}/stream`,
  /** The record of a workshop as Markdown, with the file name the server suggests. */
  workshopMarkdown: async (id: string, wid: string): Promise<{ fileName: string; blob: Blob }> => {
    const response = await send('GET', `${initiative(id)}/workshops/${enc(wid)}/record?format=markdown`);
    return { fileName: fileNameOf(response, 'workshop.md'), blob: await response.blob() };
  },
  /** Each indicator on the framework board with its access level, stewards, baseline and target, and what the caller may do (docs/measures.md). */
  listIndicatorSettings: (id: string) => request<IndicatorSettingsView[]>('GET', `${initiative(id)}/indicators`),
  changeIndicatorSettings: (id: string, indicatorId: string, body: IndicatorSettingsChange) =>
    request<IndicatorSettingsView>('PATCH', `${initiative(id)}/indicators/${enc(indicatorId)}`, body),
  /** The values the caller may see, of one indicator or all; with `history`, replaced values too. */
  listMeasurements: (id: string, { indicator, history = false }: { indicator?: string; history?: boolean } = {}) => {
    const query = new URLSearchParams();
    if (indicator) query.set('indicator', indicator);
    if (history) query.set('history', '1');
    const q = query.toString();
    return request<MeasurementRow[]>('GET', `${initiative(id)}/measurements${q ? `?${q}` : ''}`);
  },
  /**
   * Enters values in one transaction. Throws an ApiError whose body is a
   * BatchRefusal: 400 with every bad row, or 409 when values would replace
   * ones already entered (send again with `replace`).
   */
  addMeasurements: (id: string, rows: MeasurementInput[], { replace = false }: { replace?: boolean } = {}) =>
    request<BatchAccepted>('POST', `${initiative(id)}/measurements${replace ? '?replace=1' : ''}`, rows),
  /**
   * Imports a CSV file of values (header `indicator,date,value,subgroup,note`)
   * in one transaction, reporting the upload's progress (0 to 1) as it goes;
   * `uploaded` is called once the file is sent and the server is checking it.
   * Throws an ApiError like addMeasurements (400 every bad row, 409 replacements).
   * XMLHttpRequest, not fetch: only it reports an upload's progress.
   */
  importMeasurementsCsv: (
    id: string,
    file: Blob,
    { replace = false, progress, uploaded }: { replace?: boolean; progress?: (fraction: number) => void; uploaded?: () => void } = {},
  ) =>
    new Promise<BatchAccepted>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${initiative(id)}/measurements${replace ? '?replace=1' : ''}`);
      xhr.withCredentials = true;
      xhr.setRequestHeader('Content-Type', 'text/csv');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) progress?.(event.loaded / event.total);
      };
      xhr.upload.onload = () => uploaded?.();
      xhr.onerror = () => reject(new ApiError(0, 'Convene could not be reached. Check your connection and try again.'));
      xhr.onload = () => {
        const data = parse(xhr.responseText);
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(data as BatchAccepted);
          return;
        }
        const body = (data && typeof data === 'object' ? data : {}) as Partial<ErrorBody>;
        const message =
          typeof body.error === 'string' && body.error
            ? body.error
            : (FALLBACK_MESSAGES[xhr.status] ?? `The server answered ${xhr.status}.`);
        reject(new ApiError(xhr.status, message, body));
      };
      xhr.send(file);
    }),
  reviewMeasurement: (id: string, measurementId: string, body: ReviewBody) =>
    request<MeasurementRow>('POST', `${initiative(id)}/measurements/${enc(measurementId)}/review`, body),
  getReportCard: (id: string) => request<ReportCardAnswer>('GET', `${initiative(id)}/report-card`),
  listReportLinks: (id: string) => request<ReportLink[]>('GET', `${initiative(id)}/report-links`),
  createReportLink: (id: string) => request<ReportLink>('POST', `${initiative(id)}/report-links`),
  revokeReportLink: (id: string, linkId: string) => request<void>('DELETE', `${initiative(id)}/report-links/${enc(linkId)}`),
  /** The public report behind a published link: no sign-in. */
  getPublicReport: (token: string) => request<PublicReport>('GET', `/api/report/${enc(token)}`),
  /** The whole initiative as an export file, with the file name the server suggests. */
  exportInitiative: async (id: string): Promise<{ fileName: string; blob: Blob }> => {
    const response = await send('GET', `${initiative(id)}/export`);
    return { fileName: fileNameOf(response, 'initiative.convene.json'), blob: await response.blob() };
  },
  /** Loads an export file (its text, as read) into an empty initiative. */
  /** `fileName` names the file in the workflow history when the file restores a workflow record. */
  importInitiative: (id: string, fileText: string, fileName?: string) =>
    request<ImportResult>(
      'POST',
      `${initiative(id)}/import${fileName ? `?file=${enc(fileName)}` : ''}`,
      new RawJson(fileText),
    ),
};
