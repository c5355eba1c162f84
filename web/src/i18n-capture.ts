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
  'alarm.CAPTURE_DELAY': 'Tallennuksen säie joutui odottamaan yli 100 ms: ääntä voi kadota. Tarkista laitteen kuorma.', 'alarm.CAPTURE_THREAD_RESTARTED': 'Tallennuksen säie pysähtyi ja käynnistettiin uudelleen: käynnissä olevat puhelut jatkuvat katkon jälkeen.', 'alarm.CAPTURE_THREAD_FAILED': 'Tallennuksen säiettä ei saatu käyntiin: puheluita ei tallenneta. Käynnistä palvelu uudelleen ja katso loki.',
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
  'alarm.CAPTURE_DELAY': 'The capture thread had to wait over 100 ms: audio may be lost. Check the load of the box.', 'alarm.CAPTURE_THREAD_RESTARTED': 'The capture thread stopped and was started again: calls in progress go on after a gap.', 'alarm.CAPTURE_THREAD_FAILED': 'The capture thread could not be started: calls are not recorded. Restart the service and read the journal.',
};
