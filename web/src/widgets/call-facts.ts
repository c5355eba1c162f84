// What the calls list and the call page both show of a call: its recording's state and its length.
import type { Call } from '../call-types.js';
import { h } from '../dom.js';
import { tryT } from '../i18n.js';

export function describeRecording(call: Call): HTMLElement {
  const label = tryT(`rec.${call.recordingState}`) ?? call.recordingState;
  return h('span', { class: call.recordingState === 'interrupted' || call.recordingState === 'failed' ? 'badge warn' : 'badge' }, label);
}

export function duration(call: Call): string {
  if (call.endedAt === null) return '–';
  const seconds = Math.round((Date.parse(call.endedAt) - Date.parse(call.startedAt)) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
