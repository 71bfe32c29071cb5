/**
 * The shapes the HTTP API answers with (docs/api.md): the server builds them,
 * the browser's API client (src/kit/api.ts) reads them.
 */
import type { Stage } from '../../machines/workflow.ts';
import type { MemberRole, ViewerRole } from './roles.ts';


export interface InitiativeSummary {
  id: string;
  name: string;
  issue: string;
  stage: Stage;
  role: ViewerRole;
}

export interface InitiativeDetail extends InitiativeSummary {
  me: { id: string; name: string | null; role: MemberRole } | null;
}

export interface Membership {
  initiativeId: string;
  initiativeName: string;
  memberId: string;
  name: string | null;
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

export interface CreatedInvite {
  token: string;
  url: string;
}

/** `POST /api/initiatives/:id/import`: how much was written. */
export interface ImportResult {
  imported: { entities: number; placements: number; workflow: boolean };
}

/** One failing field of a refused body. */
export interface Issue {
  path: string;
  message: string;
}
