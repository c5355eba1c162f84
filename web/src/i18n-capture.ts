// The capture thread in the System view, and the gap cause of its restart (src/capture-thread/).
export const fi = {
  'gap.capture-restart': 'tallennussäie käynnistyi uudelleen',
  'capture.title': 'Tallennussäie',
  'capture.running': 'Tila',
  'capture.runningYes': 'käynnissä',
  'capture.runningNo': 'pysähtynyt',
  'capture.restarts': 'Uudelleenkäynnistyksiä',
  'capture.delay': 'Viive (p99 / suurin, viimeisin sekunti)',
  'capture.delayMax': 'Suurin viive käynnistyksen jälkeen',
  'capture.delayHint': 'Yli {n} ms viive nostaa hälytyksen: ääntä on voinut kadota.',
  'capture.gaps': 'Täytettyjä aukkoja tallenteissa',
};

export const en: Record<keyof typeof fi, string> = {
  'gap.capture-restart': 'capture thread restarted',
  'capture.title': 'Capture thread',
  'capture.running': 'State',
  'capture.runningYes': 'running',
  'capture.runningNo': 'stopped',
  'capture.restarts': 'Restarts',
  'capture.delay': 'Delay (p99 / max, last second)',
  'capture.delayMax': 'Largest delay since start',
  'capture.delayHint': 'A delay above {n} ms raises an alarm: audio may have been lost.',
  'capture.gaps': 'Gaps filled in recordings',
};
