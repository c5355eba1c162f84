// Every string of the UI comes from this catalogue: Finnish by default, English on request.
export type Language = 'fi' | 'en';

const fi = {
  'nav.settings': 'Asetukset',
  'settings.title': 'Asetukset', 'settings.agents': 'Asiakaspalvelijahakemisto', 'settings.extension': 'Alanumero', 'settings.name': 'Nimi', 'settings.phone': 'Puhelinnumero', 'settings.remove': 'Poista', 'settings.addAgent': 'Lisää asiakaspalvelija', 'settings.numbers': 'Tallennettavat palvelunumerot', 'settings.numbersHelp': 'Näihin numeroihin tulevat puhelut tallennetaan; kaikista puheluista jää yhteystieto. Yksi numero riville.', 'settings.retention': 'Säilytysaika', 'settings.retentionHelp': 'Yhteyshistoria ja tallenteet poistetaan tämän jälkeen (enintään 3 kuukautta).', 'settings.months': '{n} kk', 'settings.save': 'Tallenna asetukset', 'settings.saved': 'Asetukset tallennettu.',
  'nav.calls': 'Puhelut', 'nav.users': 'Käyttäjät', 'nav.audit': 'Lokitiedot', 'nav.system': 'Järjestelmä', 'nav.account': 'Oma tili', 'nav.logout': 'Kirjaudu ulos',
  'login.title': 'Kirjaudu', 'login.username': 'Käyttäjätunnus', 'login.password': 'Salasana', 'login.totp': 'Todennussovelluksen koodi', 'login.submit': 'Kirjaudu',
  'setup.title': 'Ensimmäinen ylläpitäjä', 'setup.help': 'Syötä käyttöönottotunnus, jonka palvelu tulosti ensimmäisellä käynnistyksellä.', 'setup.token': 'Käyttöönottotunnus', 'setup.displayName': 'Nimi', 'setup.submit': 'Luo ylläpitäjä', 'setup.done': 'Ylläpitäjä luotu. Kirjaudu sisään.',
  'totp.title': 'Ota käyttöön toinen tunnistustekijä', 'totp.help': 'Ylläpitäjät tarvitsevat todennussovelluksen (TOTP). Lisää sovellukseen tämä avain ja syötä sen näyttämä koodi.', 'totp.key': 'Avain', 'totp.uri': 'Osoite sovellukselle', 'totp.code': 'Koodi', 'totp.submit': 'Vahvista', 'totp.done': 'Toinen tunnistustekijä on käytössä.',
  'calls.title': 'Puhelut', 'calls.from': 'Alkaen', 'calls.to': 'Päättyen', 'calls.caller': 'Soittajan numero', 'calls.service': 'Palvelunumero', 'calls.agent': 'Asiakaspalvelija', 'calls.recorded': 'Vain tallennetut', 'calls.search': 'Hae', 'calls.none': 'Ei puheluita.', 'calls.total': '{n} puhelua', 'calls.prev': 'Edellinen', 'calls.next': 'Seuraava', 'calls.page': 'Sivu {page}',
  'col.start': 'Alkoi', 'col.duration': 'Kesto', 'col.caller': 'Soittaja', 'col.service': 'Palvelunumero', 'col.agent': 'Asiakaspalvelija', 'col.recording': 'Tallenne',
  'call.title': 'Puhelu', 'call.start': 'Alkoi', 'call.end': 'Päättyi', 'call.caller': 'Soittaja', 'call.withheld': 'salainen numero', 'call.service': 'Palvelunumero', 'call.agent': 'Asiakaspalvelija', 'call.agentPhone': 'Asiakaspalvelijan puhelin', 'call.endReason': 'Päättymisen syy', 'call.recording': 'Tallenne', 'call.speed': 'Nopeus', 'call.back': 'Takaisin hakuun', 'call.resumed': 'Jatkui yhteyskatkon jälkeen', 'call.sealOk': 'Sinetti tarkistettu: tallenne on muuttumaton', 'call.gaps': '{n} katkosta (hiljaisuudella täytetty)', 'call.waveform': 'Puhelun äänen aaltomuoto; keltaiset kohdat ovat katkoksia',
  'rec.not-recorded': 'ei tallennettu', 'rec.recording': 'tallennus käynnissä', 'rec.completed': 'valmis', 'rec.interrupted': 'keskeytynyt', 'rec.failed': 'epäonnistui',
  'end.completed': 'normaali lopetus', 'end.abnormal': 'linja- tai korttivika', 'end.link-lost': 'yhteys siltaan katkesi', 'end.bridge-restarted': 'silta käynnistyi uudelleen', 'end.end-signal-lost': 'lopetusmerkki puuttui', 'end.service-stopped': 'palvelu pysähtyi',
  'users.title': 'Käyttäjät', 'users.create': 'Uusi käyttäjä', 'users.username': 'Käyttäjätunnus', 'users.displayName': 'Nimi', 'users.roles': 'Roolit', 'users.extensions': 'Omat alanumerot (pilkuin)', 'users.password': 'Alkusalasana', 'users.submit': 'Luo käyttäjä', 'users.disable': 'Poista käytöstä', 'users.enable': 'Ota käyttöön', 'users.disabled': 'poissa käytöstä', 'users.created': 'Käyttäjä luotu.', 'users.rolesChanged': 'Rooli vaihdettu.',
  'role.agent': 'asiakaspalvelija', 'role.supervisor': 'esihenkilö', 'role.quality-expert': 'laatu- ja koulutusasiantuntija', 'role.technical-maintainer': 'tekninen ylläpitäjä', 'role.phone-admin': 'puhelinjärjestelmän pääkäyttäjä', 'role.registrar': 'rekisterinpitäjän yhteyshenkilö',
  'audit.title': 'Lokitiedot', 'audit.action': 'Toiminto', 'audit.verify': 'Tarkista eheys', 'audit.ok': 'Loki on eheä: {n} merkintää.', 'audit.bad': 'Loki EI ole eheä: {problem}', 'col.time': 'Aika', 'col.action': 'Toiminto', 'col.outcome': 'Tulos', 'col.actor': 'Käyttäjä', 'col.target': 'Kohde',
  'system.title': 'Järjestelmä', 'system.link': 'Yhteys siltaan', 'system.up': 'toiminnassa', 'system.down': 'poikki', 'system.active': 'Puheluita käynnissä', 'system.alarms': 'Hälytykset', 'system.disk': 'Levy', 'system.memory': 'Muisti', 'system.load': 'Kuorma', 'system.temperature': 'Lämpötila', 'system.noAlarms': 'Ei hälytyksiä.', 'system.channels': 'Kanavat', 'system.channel': 'Kanava', 'system.idle': 'Kaikki kanavat vapaina.',
  'account.title': 'Oma tili', 'account.current': 'Nykyinen salasana', 'account.new': 'Uusi salasana (vähintään 15 merkkiä)', 'account.submit': 'Vaihda salasana', 'account.changed': 'Salasana vaihdettu. Kirjaudu uudelleen.',
  'error.INVALID_CREDENTIALS': 'Väärä käyttäjätunnus tai salasana.', 'error.THROTTLED': 'Liian monta yritystä. Odota hetki.', 'error.TOTP_REQUIRED': 'Syötä todennussovelluksen koodi.', 'error.TOTP_INVALID': 'Koodi ei täsmää.', 'error.NOT_AUTHENTICATED': 'Kirjaudu sisään.', 'error.FORBIDDEN': 'Ei oikeutta.', 'error.CALL_NOT_FOUND': 'Puhelua ei löydy.', 'error.PASSWORD_TOO_SHORT': 'Salasanassa on oltava vähintään 15 merkkiä.', 'error.PASSWORD_COMMON': 'Salasana on yleinen tai vuotanut. Valitse toinen.', 'error.PASSWORD_CONTEXT': 'Salasana ei saa sisältää käyttäjätunnusta.', 'error.USERNAME_TAKEN': 'Käyttäjätunnus on jo käytössä.', 'error.SETUP_TOKEN_INVALID': 'Käyttöönottotunnus on väärä tai vanhentunut.', 'error.AUDIT_UNAVAILABLE': 'Lokia ei voi kirjoittaa: pyyntö hylättiin.', 'error.VALIDATION_FAILED': 'Tiedoissa on virhe.', 'error.AGENT_DIRECTORY_INVALID': 'Hakemistossa on virhe (alanumero kahdesti tai puhelinnumero puuttuu).', 'error.RECORDING_RULES_INVALID': 'Palvelunumero ei ole kelvollinen.', 'error.other': 'Virhe: {code}',
} as const;

export type MessageKey = keyof typeof fi;

const en: Record<MessageKey, string> = {
  'nav.settings': 'Settings',
  'settings.title': 'Settings', 'settings.agents': 'Agent directory', 'settings.extension': 'Extension', 'settings.name': 'Name', 'settings.phone': 'Phone number', 'settings.remove': 'Remove', 'settings.addAgent': 'Add an agent', 'settings.numbers': 'Recorded service numbers', 'settings.numbersHelp': 'Calls to these numbers are recorded; every call gets a contact record. One number a line.', 'settings.retention': 'Retention', 'settings.retentionHelp': 'Contact history and recordings are destroyed after this (at most 3 months).', 'settings.months': '{n} months', 'settings.save': 'Save settings', 'settings.saved': 'Settings saved.',
  'nav.calls': 'Calls', 'nav.users': 'Users', 'nav.audit': 'Audit trail', 'nav.system': 'System', 'nav.account': 'My account', 'nav.logout': 'Sign out',
  'login.title': 'Sign in', 'login.username': 'User name', 'login.password': 'Password', 'login.totp': 'Authenticator app code', 'login.submit': 'Sign in',
  'setup.title': 'First administrator', 'setup.help': 'Enter the setup token the service printed at its first start.', 'setup.token': 'Setup token', 'setup.displayName': 'Name', 'setup.submit': 'Create administrator', 'setup.done': 'Administrator created. Sign in.',
  'totp.title': 'Set up a second factor', 'totp.help': 'Administrators need an authenticator app (TOTP). Add this key to the app and enter the code it shows.', 'totp.key': 'Key', 'totp.uri': 'Address for the app', 'totp.code': 'Code', 'totp.submit': 'Confirm', 'totp.done': 'The second factor is on.',
  'calls.title': 'Calls', 'calls.from': 'From', 'calls.to': 'To', 'calls.caller': 'Caller number', 'calls.service': 'Service number', 'calls.agent': 'Agent', 'calls.recorded': 'Recorded only', 'calls.search': 'Search', 'calls.none': 'No calls.', 'calls.total': '{n} calls', 'calls.prev': 'Previous', 'calls.next': 'Next', 'calls.page': 'Page {page}',
  'col.start': 'Started', 'col.duration': 'Duration', 'col.caller': 'Caller', 'col.service': 'Service number', 'col.agent': 'Agent', 'col.recording': 'Recording',
  'call.title': 'Call', 'call.start': 'Started', 'call.end': 'Ended', 'call.caller': 'Caller', 'call.withheld': 'withheld number', 'call.service': 'Service number', 'call.agent': 'Agent', 'call.agentPhone': 'Agent’s phone', 'call.endReason': 'How it ended', 'call.recording': 'Recording', 'call.speed': 'Speed', 'call.back': 'Back to search', 'call.resumed': 'Continued after a link break', 'call.sealOk': 'Seal checked: the recording is unaltered', 'call.gaps': '{n} gaps (filled with silence)', 'call.waveform': 'Waveform of the call’s audio; yellow stretches are gaps',
  'rec.not-recorded': 'not recorded', 'rec.recording': 'recording', 'rec.completed': 'complete', 'rec.interrupted': 'interrupted', 'rec.failed': 'failed',
  'end.completed': 'normal clearing', 'end.abnormal': 'line or card failure', 'end.link-lost': 'link to the bridge lost', 'end.bridge-restarted': 'bridge restarted', 'end.end-signal-lost': 'end signal missing', 'end.service-stopped': 'service stopped',
  'users.title': 'Users', 'users.create': 'New user', 'users.username': 'User name', 'users.displayName': 'Name', 'users.roles': 'Roles', 'users.extensions': 'Own extensions (comma-separated)', 'users.password': 'Initial password', 'users.submit': 'Create user', 'users.disable': 'Disable', 'users.enable': 'Enable', 'users.disabled': 'disabled', 'users.created': 'User created.', 'users.rolesChanged': 'Role changed.',
  'role.agent': 'agent', 'role.supervisor': 'supervisor', 'role.quality-expert': 'quality/training expert', 'role.technical-maintainer': 'technical maintainer', 'role.phone-admin': 'phone-system administrator', 'role.registrar': 'registrar',
  'audit.title': 'Audit trail', 'audit.action': 'Action', 'audit.verify': 'Verify integrity', 'audit.ok': 'The trail is intact: {n} entries.', 'audit.bad': 'The trail is NOT intact: {problem}', 'col.time': 'Time', 'col.action': 'Action', 'col.outcome': 'Outcome', 'col.actor': 'User', 'col.target': 'Target',
  'system.title': 'System', 'system.link': 'Bridge link', 'system.up': 'up', 'system.down': 'down', 'system.active': 'Calls in progress', 'system.alarms': 'Alarms', 'system.disk': 'Disk', 'system.memory': 'Memory', 'system.load': 'Load', 'system.temperature': 'Temperature', 'system.noAlarms': 'No alarms.', 'system.channels': 'Channels', 'system.channel': 'Channel', 'system.idle': 'Every channel is idle.',
  'account.title': 'My account', 'account.current': 'Current password', 'account.new': 'New password (at least 15 characters)', 'account.submit': 'Change password', 'account.changed': 'Password changed. Sign in again.',
  'error.INVALID_CREDENTIALS': 'Wrong user name or password.', 'error.THROTTLED': 'Too many attempts. Wait a moment.', 'error.TOTP_REQUIRED': 'Enter the authenticator app code.', 'error.TOTP_INVALID': 'The code does not match.', 'error.NOT_AUTHENTICATED': 'Please sign in.', 'error.FORBIDDEN': 'Not allowed.', 'error.CALL_NOT_FOUND': 'No such call.', 'error.PASSWORD_TOO_SHORT': 'A password has at least 15 characters.', 'error.PASSWORD_COMMON': 'The password is common or breached. Choose another.', 'error.PASSWORD_CONTEXT': 'The password must not contain the user name.', 'error.USERNAME_TAKEN': 'That user name is taken.', 'error.SETUP_TOKEN_INVALID': 'The setup token is wrong or expired.', 'error.AUDIT_UNAVAILABLE': 'The audit trail cannot be written: request refused.', 'error.VALIDATION_FAILED': 'The data is not valid.', 'error.AGENT_DIRECTORY_INVALID': 'The directory is not valid (an extension twice, or a phone number missing).', 'error.RECORDING_RULES_INVALID': 'A service number is not valid.', 'error.other': 'Error: {code}',
};

const catalogues: Record<Language, Record<MessageKey, string>> = { fi, en };
let current: Language = localStorage.getItem('tallennin.language') === 'en' ? 'en' : 'fi';

export function language(): Language {
  return current;
}

export function setLanguage(next: Language): void {
  current = next;
  localStorage.setItem('tallennin.language', next);
  document.documentElement.lang = next;
}

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return catalogues[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

export function tryT(key: string): string | undefined {
  return key in fi ? t(key as MessageKey) : undefined;
}

/** Times are stored in UTC and shown in Helsinki time. */
export function formatTime(iso: string | null): string {
  if (iso === null) return '–';
  return new Intl.DateTimeFormat(current === 'fi' ? 'fi-FI' : 'en-GB', { timeZone: 'Europe/Helsinki', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}
