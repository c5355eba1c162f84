// The strings of the Register view (the register description with its live checks) and the
// System view's one-line summary of it. The description's own text comes from the service in
// the language asked for.
export const fi = {
  'nav.register': 'Rekisteriseloste',
  'register.help': 'Rekisteriseloste ja seloste käsittelytoimista järjestelmän voimassa olevista asetuksista. Jokaisen lupauksen vieressä on sen tarkistus järjestelmän nykytilasta.',
  'register.print': 'Tulosta',
  'register.html.fi': 'Tulostettava seloste (suomi)', 'register.html.en': 'Tulostettava seloste (englanti)',
  'register.pdf.fi': 'PDF (suomi)', 'register.pdf.en': 'PDF (englanti)',
  'register.measured': 'Mitattu', 'register.limit': 'Raja',
  'register.status.pass': 'Täyttyy', 'register.status.fail': 'Ei täyty', 'register.status.not-checkable': 'Ei tarkistettavissa',
  'register.summaryLine': 'Rekisteriseloste: {promises} lupausta, {passed} täyttyy, {failed} ei täyty',
  'register.open': 'Avaa rekisteriseloste',
  'alarm.REGISTER_NOT_NAMED': 'Asetuksissa ei ole nimetty rekisteriä eikä rekisterinpitäjää (register, config.json): rekisteriseloste näyttää puutteen.',
  'alarm.POLICY_SELF_CHECK_FAILED': 'Käyttöoikeustaulu ei vastaa rekisteriselosteen lupauksia (P6, P11–P13). Ota yhteys toimittajaan.',
  'action.register.print': 'rekisteriselosteen tulostus',
} as const;

export const en: Record<keyof typeof fi, string> = {
  'nav.register': 'Register',
  'register.help': 'The register description and the record of processing activities from the system’s running configuration. Beside each promise is its check against the system’s present state.',
  'register.print': 'Print',
  'register.html.fi': 'Printable description (Finnish)', 'register.html.en': 'Printable description (English)',
  'register.pdf.fi': 'PDF (Finnish)', 'register.pdf.en': 'PDF (English)',
  'register.measured': 'Measured', 'register.limit': 'Limit',
  'register.status.pass': 'Passed', 'register.status.fail': 'Failed', 'register.status.not-checkable': 'Not checkable',
  'register.summaryLine': 'Register: {promises} promises, {passed} passed, {failed} failed',
  'register.open': 'Open the register description',
  'alarm.REGISTER_NOT_NAMED': 'The configuration does not name the register and its controller (register in config.json): the printed register shows the gap.',
  'alarm.POLICY_SELF_CHECK_FAILED': 'The permission table does not match the register description’s promises (P6, P11–P13). Contact the supplier.',
  'action.register.print': 'register description printed',
};
