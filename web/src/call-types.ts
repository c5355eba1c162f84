// A call and its recording as the API describes them (GET /calls, /calls/{id}, /calls/{id}/recording).
export interface Call {
  callId: string;
  startedAt: string;
  endedAt: string | null;
  callerNumber: string | null;
  serviceNumber: string | null;
  agentExtension: string;
  agentName: string | null;
  agentPhone: string | null;
  recordingId: string | null;
  recordingState: string;
  endReason: string | null;
  resumed: boolean;
}

export interface RecordingView {
  seal: 'verified';
  sealedAt: string;
  outcome: 'completed' | 'interrupted';
  durationMs: number;
  gaps: Array<{ fromMs: number; toMs: number; cause: string }>;
  peaks: number[];
}
