// A case of the registrar's desk as the API describes it (GET /cases, /cases/{id}).
export interface DeskCase {
  id: string;
  kind: string;
  status: 'open' | 'closed';
  requester: { name: string; contact: string };
  subject: { type: 'caller'; number: string } | { type: 'agent'; extension: string } | null;
  legalBasis: { text: string; reference: string };
  receivedAt: string;
  openedAt: string;
  openedBy: string;
  deadline: string | null;
  extension: { reason: string; at: string; by: string } | null;
  calls: Array<{ callId: string; recordingId: string | null; startedAt: string }>;
  notes: Array<{ at: string; by: string; text: string }>;
  hold: { reason: string; until: string; placedAt: string; placedBy: string } | null;
  approval: { approvedAt: string; approvedBy: string } | null;
  disclosures: Array<{ id: string; type: 'copy' | 'police-bundle'; at: string; by: string; sha256: string; bytes: number; approvedBy: string | null }>;
  closedAt: string | null;
  closingNote: string | null;
}
