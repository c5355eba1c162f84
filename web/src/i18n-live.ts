// The strings of the live view of the channels.
export const fi = {
  'nav.live': 'Kanavat nyt',
  'live.title': 'Kanavat nyt', 'live.help': 'Mitkä kanavat ovat puhelussa juuri nyt, kuinka kauan ja kenellä. Soittajien numeroita ei näytetä.',
  'live.busy': 'Puhelussa nyt: {n} kanavaa.', 'live.busyOf': 'Puhelussa nyt: {n} / {total} kanavaa.', 'live.idle': 'Yksikään kanava ei ole nyt puhelussa.',
  'live.channel': 'Kanava', 'live.agent': 'Asiakaspalvelija', 'live.started': 'Alkoi', 'live.duration': 'Kesto', 'live.recording': 'Tallennus',
  'live.refresh': 'Päivitä', 'live.updated': 'Päivitetty {time}. Näkymä päivittyy itsestään 10 sekunnin välein.',
  'action.calls.live': 'kanavat nyt -näkymä',
} as const;

export const en: Record<keyof typeof fi, string> = {
  'nav.live': 'Live channels',
  'live.title': 'Live channels', 'live.help': 'Which channels carry a call right now, for how long and with whom. Callers’ numbers are not shown.',
  'live.busy': 'In a call now: {n} channels.', 'live.busyOf': 'In a call now: {n} of {total} channels.', 'live.idle': 'No channel is in a call now.',
  'live.channel': 'Channel', 'live.agent': 'Agent', 'live.started': 'Started', 'live.duration': 'Duration', 'live.recording': 'Recording',
  'live.refresh': 'Refresh', 'live.updated': 'Updated {time}. The view refreshes itself every 10 seconds.',
  'action.calls.live': 'live channels viewed',
};
