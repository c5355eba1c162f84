/**
 * The words of the data subject's report (subject-report.ts) in Finnish and English, and the
 * formatting both renderings share: times in Europe/Helsinki, role names, parts of a recording.
 */
import type { Role } from '../access/policy.js';
import type { AccessKind, ReportAccess, ReportCall, ReportLanguage, RoleAccess, SubjectReport } from './subject-report.js';

interface ReportWords {
  readonly title: string;
  readonly intro: string;
  readonly reference: string;
  readonly generated: string;
  readonly subjectCaller: string;
  readonly subjectAgent: string;
  readonly callsHeading: string;
  readonly callsIntro: string;
  readonly noCalls: string;
  readonly callColumns: readonly [string, string, string, string, string];
  readonly yes: string;
  readonly no: string;
  readonly ongoing: string;
  readonly rolesHeading: string;
  readonly rolesIntro: string;
  readonly roleColumns: readonly [string, string, string];
  readonly allCalls: string;
  readonly ownCalls: string;
  readonly accessesHeading: string;
  readonly accessesIntro: string;
  readonly noAccesses: string;
  readonly accessColumns: readonly [string, string, string, string, string];
  readonly removedAccount: string;
  readonly timesNote: string;
  readonly kinds: Readonly<Record<AccessKind, string>>;
  readonly roles: Readonly<Record<Role, string>>;
}

const WORDS: Readonly<Record<ReportLanguage, ReportWords>> = {
  fi: {
    title: 'Selvitys puhelutallennerekisterin tiedoista',
    intro: 'Tämä selvitys kertoo, mitä tietoja puhelutallennerekisterissä on puheluistasi, keillä on rekisteriselosteen mukaan pääsy niihin ja milloin puheluitasi on katseltu tai kuunneltu (EU:n tietosuoja-asetuksen 15 artikla).',
    reference: 'Asian viite',
    generated: 'Laadittu',
    subjectCaller: 'Puhelinnumero',
    subjectAgent: 'Alanumero',
    callsHeading: '1. Puhelusi',
    callsIntro: 'Jokaisesta puhelusta tallennetaan yhteystiedot; palvelunumeroihin tulleet puhelut myös äänitetään.',
    noCalls: 'Rekisterissä ei ole puheluitasi.',
    callColumns: ['Nro', 'Alkoi', 'Päättyi', 'Palvelunumero', 'Äänitetty'],
    yes: 'kyllä',
    no: 'ei',
    ongoing: 'kesken',
    rolesHeading: '2. Kenellä on pääsy tietoihin',
    rolesIntro: 'Rekisteriselosteen mukaan puheluiden tietoja käsittelevät seuraavat tehtävät (henkilöitä ei nimetä).',
    roleColumns: ['Tehtävä', 'Mihin puheluihin', 'Saa kuunnella'],
    allCalls: 'kaikkiin',
    ownCalls: 'vain itse vastaamiinsa',
    accessesHeading: '3. Milloin puheluitasi on katseltu tai kuunneltu',
    accessesIntro: 'Kaikki tiedot on poimittu järjestelmän muuttumattomasta lokista. Kuuntelu kirjataan osina: jokainen rivi on yksi kuunneltu osa.',
    noAccesses: 'Puheluitasi ei ole katseltu eikä kuunneltu.',
    accessColumns: ['Aika', 'Mitä tehtiin', 'Puhelu', 'Tekijän tehtävä', 'Kuunneltu osa'],
    removedAccount: 'poistettu käyttäjätili',
    timesNote: 'Ajat ovat Suomen aikaa.',
    kinds: { viewed: 'puhelun tiedot katsottu', 'recording-viewed': 'tallenne avattu', played: 'kuunneltu', 'played-with-subject': 'kuunneltu kanssasi paikan päällä', exported: 'tallenne viety tiedostoksi' },
    roles: { agent: 'asiakaspalvelija', supervisor: 'esihenkilö', 'quality-expert': 'laatu- ja koulutusasiantuntija', 'technical-maintainer': 'tekninen ylläpitäjä', 'phone-admin': 'puhelinjärjestelmän pääkäyttäjä', registrar: 'rekisterinpitäjän yhteyshenkilö' },
  },
  en: {
    title: 'Report on your data in the call-recording register',
    intro: 'This report tells what the call-recording register holds about your calls, who has access to it under the register description, and when your calls were viewed or listened to (Article 15 of the EU General Data Protection Regulation).',
    reference: 'Reference',
    generated: 'Made',
    subjectCaller: 'Phone number',
    subjectAgent: 'Extension',
    callsHeading: '1. Your calls',
    callsIntro: 'Contact details are kept of every call; calls to the service numbers are also recorded.',
    noCalls: 'The register holds no calls of yours.',
    callColumns: ['No.', 'Started', 'Ended', 'Service number', 'Recorded'],
    yes: 'yes',
    no: 'no',
    ongoing: 'in progress',
    rolesHeading: '2. Who has access',
    rolesIntro: 'Under the register description, these roles handle the calls’ data (people are not named).',
    roleColumns: ['Role', 'Which calls', 'May listen'],
    allCalls: 'all calls',
    ownCalls: 'only the calls they answered',
    accessesHeading: '3. When your calls were viewed or listened to',
    accessesIntro: 'Everything is taken from the system’s tamper-evident log. Listening is logged in parts: each line is one part listened to.',
    noAccesses: 'Your calls have not been viewed or listened to.',
    accessColumns: ['Time', 'What was done', 'Call', 'Role of who did it', 'Part listened to'],
    removedAccount: 'removed account',
    timesNote: 'Times are Finnish time.',
    kinds: { viewed: 'call details viewed', 'recording-viewed': 'recording opened', played: 'listened to', 'played-with-subject': 'listened to with you on site', exported: 'recording exported to a file' },
    roles: { agent: 'agent', supervisor: 'supervisor', 'quality-expert': 'quality/training expert', 'technical-maintainer': 'technical maintainer', 'phone-admin': 'phone-system administrator', registrar: 'registrar' },
  },
};

export function reportWords(language: ReportLanguage): ReportWords {
  return WORDS[language];
}

/** A UTC time as the report shows it: Europe/Helsinki, to the second. */
export function reportTime(iso: string, language: ReportLanguage): string {
  return new Intl.DateTimeFormat(language === 'fi' ? 'fi-FI' : 'en-GB', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));
}

/** m:ss of a position in a recording. */
export function reportPosition(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The rows of the three tables, as text: the same cells in HTML and PDF. */
export function reportRows(report: SubjectReport, language: ReportLanguage): { calls: string[][]; roles: string[][]; accesses: string[][] } {
  const w = reportWords(language);
  const call = (c: ReportCall): string[] => [String(c.number), reportTime(c.startedAt, language), c.endedAt === null ? w.ongoing : reportTime(c.endedAt, language), c.serviceNumber ?? '–', c.recorded ? w.yes : w.no];
  const role = (r: RoleAccess): string[] => [w.roles[r.role], r.calls === 'all' ? w.allCalls : w.ownCalls, r.listen ? w.yes : w.no];
  const access = (a: ReportAccess): string[] => [
    reportTime(a.at, language),
    w.kinds[a.kind],
    String(a.call),
    a.roles.length === 0 ? w.removedAccount : a.roles.map((name) => w.roles[name]).join(', '),
    a.fromMs === null || a.toMs === null ? '' : `${reportPosition(a.fromMs)}–${reportPosition(a.toMs)}`,
  ];
  return { calls: report.calls.map(call), roles: report.roles.map(role), accesses: report.accesses.map(access) };
}
