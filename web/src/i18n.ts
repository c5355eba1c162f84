// Every string of the UI comes from this catalogue: Finnish by default, English on request.
import { TIME_ZONE } from './time.js';
import { fi as adminFi, en as adminEn } from './i18n-admin.js';
import * as doors from './i18n-doors.js';
import * as alarms from './i18n-alarms.js';
import { fi as callsSearchFi, en as callsSearchEn } from './i18n-calls-search.js';
import { fi as liveFi, en as liveEn } from './i18n-live.js';
import { fi as callNotesFi, en as callNotesEn } from './i18n-call-notes.js';
import * as desk from './i18n-desk.js';
import { fi as captureFi, en as captureEn } from './i18n-capture.js';
import * as research from './i18n-research.js';
import * as register from './i18n-register.js';
import * as settingsSections from './i18n-settings.js';

export type Language = 'fi' | 'en';

// The core catalogue; a feature's strings live in their own file (i18n-<feature>.ts) and are
// spread in below, one line each, so views added side by side do not touch each other's lines.
const coreFi = {
  'app.language': 'Kieli', 'app.mainNav': 'Päävalikko', 'app.errorTitle': 'Virhe', 'app.unknownOutcome': 'tuntematon',
  'calls.order': 'Järjestys', 'calls.newest': 'Uusimmat ensin', 'calls.oldest': 'Vanhimmat ensin', 'calls.timeZone': 'Ajat Suomen aikaa.',
  'users.state': 'Tila',
  'audit.from': 'Alkaen', 'audit.to': 'Päättyen', 'audit.outcome': 'Tulos', 'audit.any': 'kaikki', 'audit.actor': 'Käyttäjän tunniste', 'audit.target': 'Kohteen tunniste', 'audit.total': 'Merkintöjä: {n}', 'audit.firstBad': 'Ensimmäinen virheellinen merkintä: {seq}.',
  'outcome.success': 'onnistui', 'outcome.denied': 'estetty', 'outcome.failed': 'epäonnistui',
  'action.auth.login': 'kirjautuminen', 'action.auth.logout': 'uloskirjautuminen', 'action.auth.reauthenticate': 'salasanan vahvistus', 'action.setup.admin': 'ensimmäisen ylläpitäjän luonti', 'action.user.create': 'käyttäjän luonti', 'action.user.update': 'käyttäjän muutos', 'action.user.password': 'salasanan vaihto', 'action.user.totp': 'toisen tunnistustekijän käyttöönotto', 'action.calls.search': 'puheluhaku', 'action.call.view': 'puhelun tiedot', 'action.recording.view': 'tallenteen tiedot', 'action.recording.play': 'tallenteen kuuntelu', 'action.recording.export': 'tallenteen vienti', 'action.config.view': 'asetusten katselu', 'action.config.change': 'asetusten muutos', 'action.audit.search': 'käyttölokin haku', 'action.audit.verify': 'käyttölokin eheystarkistus', 'action.retention.purge': 'säilytysajan ylittäneiden poisto', 'action.recording.leftovers': 'jäänteiden siivous käynnistyksessä',
  'error.PASSWORD_TOO_LONG': 'Salasana on liian pitkä.', 'error.USERNAME_INVALID': 'Käyttäjätunnus ei kelpaa: 3–64 merkkiä, pienet kirjaimet a–z, numerot, piste, viiva tai alaviiva.', 'error.ROLES_INVALID': 'Valitse vähintään yksi rooli.', 'error.SELF_LOCKOUT': 'Et voi poistaa omaa ylläpito-oikeuttasi tai omaa tiliäsi käytöstä.', 'error.USER_NOT_FOUND': 'Käyttäjää ei löydy.', 'error.NOT_FOUND': 'Ei löydy.', 'error.CSRF_REJECTED': 'Istunto on vanhentunut. Lataa sivu uudelleen.', 'error.SETUP_DONE': 'Ensimmäinen ylläpitäjä on jo luotu. Kirjaudu sisään.', 'error.AUTH_BUSY': 'Palvelu on kiireinen. Yritä hetken kuluttua uudelleen.', 'error.TOTP_ENROLLMENT_REQUIRED': 'Ota ensin käyttöön toinen tunnistustekijä.', 'error.RETENTION_INVALID': 'Säilytysaika on 1–3 kuukautta.', 'error.RECORDING_NOT_FOUND': 'Tallennetta ei löydy.', 'error.RECORDING_KEY_MISSING': 'Tallenne on hävitetty.', 'error.REAUTH_REQUIRED': 'Vahvista salasanasi ensin.', 'error.REAUTH_FAILED': 'Salasana ei täsmää.', 'error.PAYLOAD_TOO_LARGE': 'Tietoja on liikaa.', 'error.INTERNAL': 'Palvelussa tapahtui virhe.', 'error.network': 'Palveluun ei saada yhteyttä.',
  'nav.settings': 'Asetukset',
  'action.user.roles': 'roolimuutos', 'action.user.totp-reset': 'toisen tunnistustekijän nollaus',
  'notice.roles': 'Roolisi ovat muuttuneet ({when}): {before} → {after}.',
  'reauth.title': 'Vahvista henkilöllisyytesi', 'reauth.help': 'Ylläpitäjän ja rekisterinpitäjän roolien muutokset vaativat salasanasi ja todennussovelluksen koodin.', 'reauth.submit': 'Vahvista', 'reauth.cancel': 'Peruuta',
  'stepup.title': 'Vahvista toisella tunnistustekijällä', 'stepup.help': 'Roolisi vaativat todennussovelluksen koodin. Syötä salasana ja koodi.',
  'totp.replaceHelp': 'Toinen tunnistustekijä on käytössä. Uusi avain vaatii salasanan ja nykyisen koodin; nykyinen avain toimii, kunnes uusi on vahvistettu.', 'totp.currentCode': 'Nykyinen koodi', 'totp.replaceSubmit': 'Luo uusi avain',
  'account.totp': 'Toinen tunnistustekijä', 'account.totpOn': 'Käytössä.', 'account.totpOff': 'Ei käytössä.', 'account.totpReplace': 'Vaihda todennussovellus', 'account.totpSetUp': 'Ota toinen tunnistustekijä käyttöön',
  'users.resetTotp': 'Nollaa toinen tunnistustekijä', 'users.totpReset': 'Toinen tunnistustekijä nollattu: käyttäjä ottaa uuden käyttöön seuraavalla kirjautumisella.',
  'error.SELF_ROLE_CHANGE': 'Omia roolejasi ei voi muuttaa: toinen ylläpitäjä tekee sen.', 'error.LAST_MAINTAINER': 'Viimeistä teknistä ylläpitäjää ei voi poistaa eikä ottaa pois käytöstä.', 'error.SECOND_FACTOR_REQUIRED': 'Vahvista toisella tunnistustekijällä.', 'error.SELF_TOTP_RESET': 'Oman tunnistustekijäsi vaihdat Oma tili -sivulla.',
  'settings.title': 'Asetukset', 'settings.agents': 'Asiakaspalvelijahakemisto', 'settings.extension': 'Alanumero', 'settings.name': 'Nimi', 'settings.phone': 'Puhelinnumero', 'settings.remove': 'Poista', 'settings.addAgent': 'Lisää asiakaspalvelija', 'settings.numbers': 'Tallennettavat palvelunumerot', 'settings.numbersHelp': 'Näihin numeroihin tulevat puhelut tallennetaan; kaikista puheluista jää yhteystieto. Yksi numero riville.', 'settings.retention': 'Säilytysaika', 'settings.retentionHelp': 'Yhteyshistoria ja tallenteet poistetaan tämän jälkeen (enintään 3 kuukautta).', 'settings.months': '{n} kk', 'settings.save': 'Tallenna asetukset', 'settings.saved': 'Asetukset tallennettu.',
  'nav.calls': 'Puhelut', 'nav.users': 'Käyttäjät', 'nav.audit': 'Käyttöloki', 'nav.system': 'Järjestelmä', 'nav.account': 'Oma tili', 'nav.logout': 'Kirjaudu ulos',
  'login.title': 'Kirjaudu', 'login.username': 'Käyttäjätunnus', 'login.password': 'Salasana', 'login.totp': 'Todennussovelluksen koodi', 'login.submit': 'Kirjaudu',
  'setup.title': 'Ensimmäinen ylläpitäjä', 'setup.help': 'Syötä käyttöönottotunnus, jonka palvelu tulosti ensimmäisellä käynnistyksellä.', 'setup.token': 'Käyttöönottotunnus', 'setup.displayName': 'Nimi', 'setup.submit': 'Luo ylläpitäjä', 'setup.done': 'Ylläpitäjä luotu. Kirjaudu sisään.',
  'totp.title': 'Ota käyttöön toinen tunnistustekijä', 'totp.help': 'Ylläpitäjät tarvitsevat todennussovelluksen (TOTP). Lisää sovellukseen tämä avain ja syötä sen näyttämä koodi.', 'totp.key': 'Avain', 'totp.uri': 'Osoite sovellukselle', 'totp.code': 'Koodi', 'totp.submit': 'Vahvista', 'totp.done': 'Toinen tunnistustekijä on käytössä.',
  'calls.title': 'Puhelut', 'calls.from': 'Alkaen', 'calls.to': 'Päättyen', 'calls.caller': 'Soittajan numero', 'calls.service': 'Palvelunumero', 'calls.agent': 'Asiakaspalvelija', 'calls.recorded': 'Vain tallennetut', 'calls.search': 'Hae', 'calls.none': 'Ei puheluita.', 'calls.total': 'Puheluita: {n}', 'calls.prev': 'Edellinen', 'calls.next': 'Seuraava', 'calls.page': 'Sivu {page}',
  'col.start': 'Alkoi', 'col.duration': 'Kesto', 'col.caller': 'Soittaja', 'col.service': 'Palvelunumero', 'col.agent': 'Asiakaspalvelija', 'col.recording': 'Tallenne',
  'call.title': 'Puhelu', 'call.start': 'Alkoi', 'call.end': 'Päättyi', 'call.caller': 'Soittaja', 'call.withheld': 'salainen numero', 'call.service': 'Palvelunumero', 'call.agent': 'Asiakaspalvelija', 'call.agentPhone': 'Asiakaspalvelijan puhelin', 'call.endReason': 'Päättymisen syy', 'call.recording': 'Tallenne', 'call.speed': 'Nopeus', 'call.back': 'Takaisin hakuun', 'call.resumed': 'Jatkui yhteyskatkon jälkeen', 'call.sealOk': 'Sinetti tarkistettu: tallenne on muuttumaton', 'call.gaps': '{n} katkosta (hiljaisuudella täytetty)', 'call.waveform': 'Puhelun äänen aaltomuoto; keltaiset kohdat ovat katkoksia', 'call.inProgress': 'Tallennus on käynnissä: tallenteen voi kuunnella, kun puhelu on päättynyt.', 'error.RECORDING_IN_PROGRESS': 'Tallennus on vielä käynnissä: tallenteen voi kuunnella, kun puhelu on päättynyt.',
  'rec.not-recorded': 'ei tallennettu', 'rec.recording': 'tallennus käynnissä', 'rec.completed': 'valmis', 'rec.interrupted': 'keskeytynyt', 'rec.failed': 'epäonnistui', 'gap.frames-lost': 'kehyksiä katosi', 'gap.link-lost': 'yhteys siltaan katkesi', 'gap.service-restart': 'palvelu käynnistyi uudelleen', 'gap.bridge-restart': 'silta käynnistyi uudelleen', 'rec.no-audio': 'ei ääntä (puhelu päättyi ennen kuin ääntä tuli)',
  'end.completed': 'normaali lopetus', 'end.abnormal': 'linja- tai korttivika', 'end.link-lost': 'yhteys siltaan katkesi', 'end.bridge-restarted': 'silta käynnistyi uudelleen', 'end.end-signal-lost': 'lopetusmerkki puuttui', 'end.service-stopped': 'palvelu pysähtyi',
  'users.title': 'Käyttäjät', 'users.create': 'Uusi käyttäjä', 'users.username': 'Käyttäjätunnus', 'users.displayName': 'Nimi', 'users.roles': 'Roolit', 'users.extensions': 'Omat alanumerot pilkuilla erotettuina', 'users.password': 'Alkusalasana', 'users.submit': 'Luo käyttäjä', 'users.disable': 'Poista käytöstä', 'users.enable': 'Ota käyttöön', 'users.disabled': 'poissa käytöstä', 'users.created': 'Käyttäjä luotu.', 'users.rolesChanged': 'Rooli vaihdettu.',
  'role.agent': 'asiakaspalvelija', 'role.supervisor': 'esihenkilö', 'role.quality-expert': 'laatu- ja koulutusasiantuntija', 'role.technical-maintainer': 'tekninen ylläpitäjä', 'role.phone-admin': 'puhelinjärjestelmän pääkäyttäjä', 'role.registrar': 'rekisterinpitäjän yhteyshenkilö',
  'audit.title': 'Käyttöloki', 'audit.action': 'Toiminto', 'audit.verify': 'Tarkista eheys', 'audit.ok': 'Loki on eheä (merkintöjä: {n}).', 'audit.bad': 'Loki EI ole eheä: {problem}', 'col.time': 'Aika', 'col.action': 'Toiminto', 'col.outcome': 'Tulos', 'col.actor': 'Käyttäjä', 'col.target': 'Kohde', 'col.details': 'Lisätiedot',
  'system.title': 'Järjestelmä', 'system.link': 'Yhteys puhelinkorttiin', 'system.up': 'kunnossa: puhelut tallentuvat', 'system.down': 'Puheluita ei tallenneta: yhteys puhelinkorttiin on katki', 'system.active': 'Puheluita käynnissä', 'system.alarms': 'Hälytykset', 'system.disk': 'Levy', 'system.memory': 'Muisti', 'system.load': 'Kuorma', 'system.temperature': 'Lämpötila', 'system.noAlarms': 'Ei hälytyksiä.', 'system.channels': 'Kanavat', 'system.channel': 'Kanava', 'system.idle': 'Kaikki kanavat vapaina.',
  'system.linkErrors': 'Yhteysvirheet', 'system.linkErrorsHint': 'Palvelun käynnistyksestä lähtien. Hälytys, kun virheitä on yli {n} minuutissa.',
  'system.linkError.rxCrcErrors': 'Tarkistussummavirheet', 'system.linkError.garbageBytes': 'Roskatavut', 'system.linkError.lostFrames': 'Kadonneet kehykset', 'system.linkError.duplicateFrames': 'Toistuneet kehykset', 'system.linkError.oversizeFrames': 'Liian pitkät kehykset', 'system.linkError.malformedFrames': 'Virheelliset kehykset', 'system.linkError.resyncs': 'Tahdistuksen palautukset',
  'account.title': 'Oma tili', 'account.current': 'Nykyinen salasana', 'account.new': 'Uusi salasana (vähintään 15 merkkiä)', 'account.submit': 'Vaihda salasana', 'account.changed': 'Salasana vaihdettu. Kirjaudu uudelleen.',
  'error.INVALID_CREDENTIALS': 'Väärä käyttäjätunnus tai salasana.', 'error.THROTTLED': 'Liian monta yritystä. Odota hetki.', 'error.TOTP_REQUIRED': 'Syötä todennussovelluksen koodi.', 'error.TOTP_INVALID': 'Koodi ei täsmää.', 'error.NOT_AUTHENTICATED': 'Kirjaudu sisään.', 'error.FORBIDDEN': 'Ei oikeutta.', 'error.CALL_NOT_FOUND': 'Puhelua ei löydy.', 'error.PASSWORD_TOO_SHORT': 'Salasanassa on oltava vähintään 15 merkkiä.', 'error.PASSWORD_COMMON': 'Salasana on yleinen tai vuotanut. Valitse toinen.', 'error.PASSWORD_CONTEXT': 'Salasana ei saa sisältää käyttäjätunnusta.', 'error.USERNAME_TAKEN': 'Käyttäjätunnus on jo käytössä.', 'error.SETUP_TOKEN_INVALID': 'Käyttöönottotunnus on väärä tai vanhentunut.', 'error.AUDIT_UNAVAILABLE': 'Lokia ei voi kirjoittaa: pyyntö hylättiin.', 'error.VALIDATION_FAILED': 'Tiedoissa on virhe.', 'error.AGENT_DIRECTORY_INVALID': 'Hakemistossa on virhe (alanumero kahdesti tai puhelinnumero puuttuu).', 'error.RECORDING_RULES_INVALID': 'Palvelunumero ei ole kelvollinen.', 'error.other': 'Virhe: {code}',
  'error.DISPLAY_NAME_INVALID': 'Nimessä on merkki, jota nimissä ei käytetä (ohjausmerkki, tekstin suunnan vaihto, näkymätön merkki tai < >), tai se on tyhjä tai yli 200 merkkiä.',
} as const;

const fi = {
  ...coreFi,
  ...adminFi,
  ...doors.fi,
  ...alarms.fi,
  ...callsSearchFi,
  ...liveFi,
  ...callNotesFi,
  ...desk.fi,
  ...captureFi,
  ...research.fi,
  ...register.fi,
  ...settingsSections.fi,
};

export type MessageKey = keyof typeof fi;

const coreEn: Record<keyof typeof coreFi, string> = {
  'app.language': 'Language', 'app.mainNav': 'Main menu', 'app.errorTitle': 'Error', 'app.unknownOutcome': 'unknown',
  'calls.order': 'Order', 'calls.newest': 'Newest first', 'calls.oldest': 'Oldest first', 'calls.timeZone': 'Times are Finnish time.',
  'users.state': 'State',
  'audit.from': 'From', 'audit.to': 'To', 'audit.outcome': 'Outcome', 'audit.any': 'any', 'audit.actor': 'User id', 'audit.target': 'Target id', 'audit.total': 'Entries found: {n}', 'audit.firstBad': 'First bad entry: {seq}.',
  'outcome.success': 'success', 'outcome.denied': 'denied', 'outcome.failed': 'failed',
  'action.auth.login': 'sign-in', 'action.auth.logout': 'sign-out', 'action.auth.reauthenticate': 'password confirmation', 'action.setup.admin': 'first administrator', 'action.user.create': 'user created', 'action.user.update': 'user changed', 'action.user.password': 'password change', 'action.user.totp': 'second factor set-up', 'action.calls.search': 'call search', 'action.call.view': 'call details', 'action.recording.view': 'recording details', 'action.recording.play': 'recording played', 'action.recording.export': 'recording exported', 'action.config.view': 'settings viewed', 'action.config.change': 'settings changed', 'action.audit.search': 'audit search', 'action.audit.verify': 'audit integrity check', 'action.retention.purge': 'retention purge', 'action.recording.leftovers': 'start-up clean-up of leftovers',
  'error.PASSWORD_TOO_LONG': 'The password is too long.', 'error.USERNAME_INVALID': 'The user name is not valid: 3–64 characters, lower-case a–z, digits, dot, hyphen or underscore.', 'error.ROLES_INVALID': 'Choose at least one role.', 'error.SELF_LOCKOUT': 'You cannot remove your own administration rights or disable your own account.', 'error.USER_NOT_FOUND': 'No such user.', 'error.NOT_FOUND': 'Not found.', 'error.CSRF_REJECTED': 'The session has expired. Reload the page.', 'error.SETUP_DONE': 'The first administrator exists already. Sign in.', 'error.AUTH_BUSY': 'The service is busy. Try again in a moment.', 'error.TOTP_ENROLLMENT_REQUIRED': 'Set up the second factor first.', 'error.RETENTION_INVALID': 'Retention is 1–3 months.', 'error.RECORDING_NOT_FOUND': 'No such recording.', 'error.RECORDING_KEY_MISSING': 'The recording has been destroyed.', 'error.REAUTH_REQUIRED': 'Confirm your password first.', 'error.REAUTH_FAILED': 'The password does not match.', 'error.PAYLOAD_TOO_LARGE': 'Too much data.', 'error.INTERNAL': 'The service failed.', 'error.network': 'The service cannot be reached.',
  'nav.settings': 'Settings',
  'action.user.roles': 'role change', 'action.user.totp-reset': 'second factor reset',
  'notice.roles': 'Your roles have changed ({when}): {before} → {after}.',
  'reauth.title': 'Confirm it is you', 'reauth.help': 'Changes to administrator and registrar roles need your password and the authenticator app code.', 'reauth.submit': 'Confirm', 'reauth.cancel': 'Cancel',
  'stepup.title': 'Confirm with the second factor', 'stepup.help': 'Your roles need the authenticator app code. Enter your password and the code.',
  'totp.replaceHelp': 'A second factor is on. A new key needs your password and a current code; the current key keeps working until the new one is confirmed.', 'totp.currentCode': 'Current code', 'totp.replaceSubmit': 'Create a new key',
  'account.totp': 'Second factor', 'account.totpOn': 'On.', 'account.totpOff': 'Off.', 'account.totpReplace': 'Replace the authenticator', 'account.totpSetUp': 'Set up a second factor',
  'users.resetTotp': 'Reset second factor', 'users.totpReset': 'Second factor reset: the user sets up a new one at the next sign-in.',
  'error.SELF_ROLE_CHANGE': 'You cannot change your own roles: another administrator does it.', 'error.LAST_MAINTAINER': 'The last technical maintainer cannot be removed or disabled.', 'error.SECOND_FACTOR_REQUIRED': 'Confirm with the second factor.', 'error.SELF_TOTP_RESET': 'Replace your own second factor on the My account page.',
  'settings.title': 'Settings', 'settings.agents': 'Agent directory', 'settings.extension': 'Extension', 'settings.name': 'Name', 'settings.phone': 'Phone number', 'settings.remove': 'Remove', 'settings.addAgent': 'Add an agent', 'settings.numbers': 'Recorded service numbers', 'settings.numbersHelp': 'Calls to these numbers are recorded; every call gets a contact record. One number a line.', 'settings.retention': 'Retention', 'settings.retentionHelp': 'Contact history and recordings are destroyed after this (at most 3 months).', 'settings.months': '{n} months', 'settings.save': 'Save settings', 'settings.saved': 'Settings saved.',
  'nav.calls': 'Calls', 'nav.users': 'Users', 'nav.audit': 'Audit trail', 'nav.system': 'System', 'nav.account': 'My account', 'nav.logout': 'Sign out',
  'login.title': 'Sign in', 'login.username': 'User name', 'login.password': 'Password', 'login.totp': 'Authenticator app code', 'login.submit': 'Sign in',
  'setup.title': 'First administrator', 'setup.help': 'Enter the setup token the service printed at its first start.', 'setup.token': 'Setup token', 'setup.displayName': 'Name', 'setup.submit': 'Create administrator', 'setup.done': 'Administrator created. Sign in.',
  'totp.title': 'Set up a second factor', 'totp.help': 'Administrators need an authenticator app (TOTP). Add this key to the app and enter the code it shows.', 'totp.key': 'Key', 'totp.uri': 'Address for the app', 'totp.code': 'Code', 'totp.submit': 'Confirm', 'totp.done': 'The second factor is on.',
  'calls.title': 'Calls', 'calls.from': 'From', 'calls.to': 'To', 'calls.caller': 'Caller number', 'calls.service': 'Service number', 'calls.agent': 'Agent', 'calls.recorded': 'Recorded only', 'calls.search': 'Search', 'calls.none': 'No calls.', 'calls.total': 'Calls found: {n}', 'calls.prev': 'Previous', 'calls.next': 'Next', 'calls.page': 'Page {page}',
  'col.start': 'Started', 'col.duration': 'Duration', 'col.caller': 'Caller', 'col.service': 'Service number', 'col.agent': 'Agent', 'col.recording': 'Recording',
  'call.title': 'Call', 'call.start': 'Started', 'call.end': 'Ended', 'call.caller': 'Caller', 'call.withheld': 'withheld number', 'call.service': 'Service number', 'call.agent': 'Agent', 'call.agentPhone': 'Agent’s phone', 'call.endReason': 'How it ended', 'call.recording': 'Recording', 'call.speed': 'Speed', 'call.back': 'Back to search', 'call.resumed': 'Continued after a link break', 'call.sealOk': 'Seal checked: the recording is unaltered', 'call.gaps': '{n} gaps (filled with silence)', 'call.waveform': 'Waveform of the call’s audio; yellow stretches are gaps', 'call.inProgress': 'Recording in progress: the recording can be played once the call has ended.', 'error.RECORDING_IN_PROGRESS': 'The call is still being recorded: the recording can be played once the call has ended.',
  'rec.not-recorded': 'not recorded', 'rec.recording': 'recording', 'rec.completed': 'complete', 'rec.interrupted': 'interrupted', 'rec.failed': 'failed', 'gap.frames-lost': 'frames lost', 'gap.link-lost': 'link to the bridge lost', 'gap.service-restart': 'service restarted', 'gap.bridge-restart': 'bridge restarted', 'rec.no-audio': 'no audio (the call ended before any audio came)',
  'end.completed': 'normal clearing', 'end.abnormal': 'line or card failure', 'end.link-lost': 'link to the bridge lost', 'end.bridge-restarted': 'bridge restarted', 'end.end-signal-lost': 'end signal missing', 'end.service-stopped': 'service stopped',
  'users.title': 'Users', 'users.create': 'New user', 'users.username': 'User name', 'users.displayName': 'Name', 'users.roles': 'Roles', 'users.extensions': 'Own extensions (comma-separated)', 'users.password': 'Initial password', 'users.submit': 'Create user', 'users.disable': 'Disable', 'users.enable': 'Enable', 'users.disabled': 'disabled', 'users.created': 'User created.', 'users.rolesChanged': 'Role changed.',
  'role.agent': 'agent', 'role.supervisor': 'supervisor', 'role.quality-expert': 'quality/training expert', 'role.technical-maintainer': 'technical maintainer', 'role.phone-admin': 'phone-system administrator', 'role.registrar': 'registrar',
  'audit.title': 'Audit trail', 'audit.action': 'Action', 'audit.verify': 'Verify integrity', 'audit.ok': 'The trail is intact (entries: {n}).', 'audit.bad': 'The trail is NOT intact: {problem}', 'col.time': 'Time', 'col.action': 'Action', 'col.outcome': 'Outcome', 'col.actor': 'User', 'col.target': 'Target', 'col.details': 'Details',
  'system.title': 'System', 'system.link': 'Link to the telephony card', 'system.up': 'working: calls are recorded', 'system.down': 'Calls are not recorded: the link to the telephony card is down', 'system.active': 'Calls in progress', 'system.alarms': 'Alarms', 'system.disk': 'Disk', 'system.memory': 'Memory', 'system.load': 'Load', 'system.temperature': 'Temperature', 'system.noAlarms': 'No alarms.', 'system.channels': 'Channels', 'system.channel': 'Channel', 'system.idle': 'Every channel is idle.',
  'system.linkErrors': 'Link errors', 'system.linkErrorsHint': 'Since the service started. An alarm is raised above {n} errors a minute.',
  'system.linkError.rxCrcErrors': 'CRC errors', 'system.linkError.garbageBytes': 'Garbage bytes', 'system.linkError.lostFrames': 'Lost frames', 'system.linkError.duplicateFrames': 'Duplicate frames', 'system.linkError.oversizeFrames': 'Oversize frames', 'system.linkError.malformedFrames': 'Malformed frames', 'system.linkError.resyncs': 'Resynchronisations',
  'account.title': 'My account', 'account.current': 'Current password', 'account.new': 'New password (at least 15 characters)', 'account.submit': 'Change password', 'account.changed': 'Password changed. Sign in again.',
  'error.INVALID_CREDENTIALS': 'Wrong user name or password.', 'error.THROTTLED': 'Too many attempts. Wait a moment.', 'error.TOTP_REQUIRED': 'Enter the authenticator app code.', 'error.TOTP_INVALID': 'The code does not match.', 'error.NOT_AUTHENTICATED': 'Please sign in.', 'error.FORBIDDEN': 'Not allowed.', 'error.CALL_NOT_FOUND': 'No such call.', 'error.PASSWORD_TOO_SHORT': 'A password has at least 15 characters.', 'error.PASSWORD_COMMON': 'The password is common or breached. Choose another.', 'error.PASSWORD_CONTEXT': 'The password must not contain the user name.', 'error.USERNAME_TAKEN': 'That user name is taken.', 'error.SETUP_TOKEN_INVALID': 'The setup token is wrong or expired.', 'error.AUDIT_UNAVAILABLE': 'The audit trail cannot be written: request refused.', 'error.VALIDATION_FAILED': 'The data is not valid.', 'error.AGENT_DIRECTORY_INVALID': 'The directory is not valid (an extension twice, or a phone number missing).', 'error.RECORDING_RULES_INVALID': 'A service number is not valid.', 'error.other': 'Error: {code}',
  'error.DISPLAY_NAME_INVALID': 'The name holds a character names do not use (a control character, a text-direction control, an invisible character or < >), or it is empty or over 200 characters.',
};

const en: Record<MessageKey, string> = {
  ...coreEn,
  ...adminEn,
  ...doors.en,
  ...alarms.en,
  ...callsSearchEn,
  ...liveEn,
  ...callNotesEn,
  ...desk.en,
  ...captureEn,
  ...research.en,
  ...register.en,
  ...settingsSections.en,
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

/** A whole catalogue, for the check that every message exists in both languages. */
export function catalogue(lang: Language): Readonly<Record<MessageKey, string>> {
  return catalogues[lang];
}

export function tryT(key: string, vars: Record<string, string | number> = {}): string | undefined {
  return key in fi ? t(key as MessageKey, vars) : undefined;
}

/** Times are stored in UTC and shown in Helsinki time. */
export function formatTime(iso: string | null): string {
  if (iso === null) return '–';
  return new Intl.DateTimeFormat(current === 'fi' ? 'fi-FI' : 'en-GB', { timeZone: TIME_ZONE, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}
