/**
 * The register description and the record of processing activities (GDPR Art. 30) in Finnish and
 * English, filled from the live facts: each promise P1-P14 with its text (Finnish after the
 * original's wording, English after its rendering; the controller, the recorded numbers and the
 * retention as configured), its check's status and the measured value with its limit. Every
 * rendering (text, HTML, PDF, the API's JSON and so the web view) shows this one document.
 */
import { reportTime } from '../disclosure/subject-report-text.js';
import { checkRegister, type CheckStatus, type PromiseCheck, type PromiseId } from './register-checks.js';
import type { RegisterFacts } from './register-facts.js';

export const REGISTER_LANGUAGES = ['fi', 'en'] as const;
export type RegisterLanguage = (typeof REGISTER_LANGUAGES)[number];

export interface RegisterPromiseLine {
  readonly promise: PromiseId;
  readonly text: string;
  readonly status: CheckStatus;
  /** The status in words: never told by colour alone. */
  readonly statusText: string;
  readonly measured: string;
  readonly limit: string | null;
}

export interface RegisterSection {
  readonly id: string;
  readonly heading: string;
  readonly paragraphs: readonly string[];
  readonly promises: readonly RegisterPromiseLine[];
}

export interface RegisterDocument {
  readonly language: RegisterLanguage;
  readonly title: string;
  readonly intro: string;
  readonly generatedAt: string;
  readonly generated: string;
  readonly identity: readonly { readonly label: string; readonly value: string }[];
  readonly summary: { readonly promises: number; readonly passed: number; readonly failed: number; readonly notCheckable: number; readonly text: string };
  readonly sections: readonly RegisterSection[];
  readonly record: { readonly heading: string; readonly intro: string; readonly rows: readonly { readonly label: string; readonly value: string }[] };
  /** The checks as measured, for machines (a monitoring system): the same in both languages. */
  readonly checks: readonly PromiseCheck[];
}

type Measured = PromiseCheck['measured'];
type Finding = (m: Measured, limit: number | null) => string;

interface Words {
  readonly title: string;
  readonly intro: string;
  readonly generated: string;
  readonly registerLabel: string;
  readonly controllerLabel: string;
  readonly status: Readonly<Record<CheckStatus, string>>;
  readonly summary: (passed: number, failed: number, notCheckable: number) => string;
  readonly headings: Readonly<Record<'purpose' | 'general' | 'content' | 'storage' | 'disclosure' | 'access' | 'inspection', string>>;
  readonly general: (controller: string) => string[];
  readonly subjects: string;
  readonly promises: (facts: RegisterFacts) => Readonly<Record<PromiseId, string>>;
  readonly findings: Readonly<Record<string, Finding>>;
  readonly limit: (promise: PromiseId, limit: number) => string;
  readonly when: (when: unknown, at: unknown) => string;
  readonly record: (facts: RegisterFacts) => { heading: string; intro: string; rows: Array<{ label: string; value: string }> };
}

const n = (value: unknown): string => (value === null || value === undefined ? '–' : String(value));

const FI: Words = {
  title: 'Rekisteriseloste ja seloste käsittelytoimista',
  intro: 'Henkilötietolain 10 §:n mukainen rekisteriseloste ja EU:n tietosuoja-asetuksen 30 artiklan mukainen seloste käsittelytoimista, tulostettu järjestelmän voimassa olevista asetuksista. Jokaisen lupauksen (P1–P14) vieressä on sen tarkistus järjestelmän nykytilasta ja mitattu arvo.',
  generated: 'Tulostettu',
  registerLabel: 'Rekisteri',
  controllerLabel: 'Rekisterinpitäjä',
  status: { pass: 'täyttyy', fail: 'EI TÄYTY', 'not-checkable': 'ei tarkistettavissa' },
  summary: (passed, failed, notCheckable) => `14 lupausta: ${passed} täyttyy, ${failed} ei täyty, ${notCheckable} ei tarkistettavissa`,
  headings: {
    purpose: 'Tietojen käsittelyn tarkoitus',
    general: 'Yleistä',
    content: 'Rekisteröityjen ryhmät ja rekisterin tietosisältö',
    storage: 'Kontaktihistorian ja tallenteiden säilytys ja suojaaminen',
    disclosure: 'Tallenteiden ja tunnistetietojen luovutus',
    access: 'Käyttöoikeudet',
    inspection: 'Soittavan asiakkaan ja virkailijan tarkastusoikeus',
  },
  general: (controller) => [
    `Rekisterinpitäjällä (${controller}) on puhelinlinjoja sekä jäsenistölle että yhteistyötahoille. Puheluihin vastaa rekisterinpitäjän asiakaspalvelutehtäviä hoitava henkilöstö. Puhelujen tunnistetiedot tallentuvat puhelujen ohjaus- ja seurantajärjestelmän kontaktihistoriaan. Tallennamme asiakaspuhelumme asiakaspalvelun laadun varmistamiseksi.`,
  ],
  subjects: 'Rekisteröidyt: palvelunumeroihin ja puhelunvälitykseen soittavat asiakkaat ja niihin vastaavat virkailijat.',
  promises: (facts) => ({
    P1: 'Puhelinpalvelun kontaktihistoriaa ja puhelutallenteita käytetään ensi sijassa asiakaspalvelun kehittämiseen. Asiakaspalvelun kehittämiseksi tallenteita voidaan käyttää asiakaspalveluhenkilöstön koulutuksessa ja palvelutason laadun varmistamisessa.',
    P2: 'Kontaktihistoriaa ja tallenteita voidaan käyttää myös rikoksen tai väärinkäytön estämiseksi tai selvittämiseksi siten kuin jäljempänä kohdassa tallenteiden ja tunnistetietojen luovutus kerrotaan.',
    P3: 'Puheluista rekisteröityvät seuraavat tunnistetiedot: puhelun aloitus- ja lopetusaika, soittajan numero, palvelunumero, johon on soitettu, sekä virkailijan nimi ja puhelinnumero.',
    P4: `Palvelunumeroihin (${facts.recordedServiceNumbers.length === 0 ? 'ei asetettu' : facts.recordedServiceNumbers.join(', ')}) soitetut puhelut tallennetaan. Tallentaminen tapahtuu ennalta määritellyllä tavalla. Tallentaminen alkaa puhelun aloitusmerkistä ja päättyy lopettamismerkkiin.`,
    P5: 'Kontaktihistoria ja tallenteet säilytetään palvelimella, johon on pääsy ainoastaan käyttäjätunnuksen ja salasanan kautta. Palvelin sijaitsee tilassa, jossa on käytössä elektroninen kulunvalvontajärjestelmä.',
    P6: 'Kontaktihistoriaan ja tallennejärjestelmään pääsyä valvotaan henkilökohtaisen käyttäjätunnuksen ja salasanan avulla.',
    P7: `Kontaktihistorian tunnistetietoja säilytetään enintään ${facts.retentionMonths} kuukautta.`,
    P8: 'Tallenteet ovat rekisterinpitäjän omaisuutta, eikä niitä luovuteta rekisterinpitäjän ulkopuolelle eikä käytetä muihin käyttötarkoituksiin.',
    P9: 'Poikkeuksena tästä rekisterinpitäjä voi tilapäisesti luovuttaa valitsemiaan tallenteita tutkimuslaitokselle asiakaspalvelun laatutason arvioimiseksi. Tällöin tutkimuslaitoksen tulee sitoutua siihen, että tutkimuksessa käytetyt tallenteet joko palautetaan tai tuhotaan välittömästi tutkimuksen päätyttyä. Laatutason arviointia varten tarkoitetut tallenteet on anonymisoitu siten, etteivät puhelun osapuolet (henkilöt) ole niistä tunnistettavissa.',
    P10: 'Rikoksen tai väärinkäytöksen estämiseksi tai selvittämiseksi rekisterinpitäjä voi luovuttaa tallenteita ja tunnistetietoja poliisille tai muulle toimivaltaiselle viranomaiselle laissa mainituissa tilanteissa.',
    P11: 'Oikeudet puhelujen ohjaus- ja seurantajärjestelmän käyttöön myönnetään rekisterinpitäjän käyttövaltuusmenettelyn mukaisella tavalla asiakaspalvelijoiden esihenkilöille ja niille asiantuntijoille, joiden työtehtäviin kuuluu asiakaspalvelun laadun arviointi ja kehittäminen tai asiakaspalvelijoiden perehdyttäminen ja koulutus.',
    P12: 'Asiakaspalvelijoiden käyttöoikeudet on rajattu koskemaan vain heidän omia puheluitaan.',
    P13: 'Järjestelmän teknisestä ylläpidosta vastaavat henkilöt sekä puhelinjärjestelmän pääkäyttäjät voivat myös kuunnella tallenteita ja lukea kontaktihistoriaa.',
    P14: 'Soittavalla asiakkaalla on oikeus tietää, onko hänen soittamansa puhelu tallennettu, ja kuunnella tallennettu puhelu. Jos asiakas haluaa tarkastaa oman puhelunsa tallenteen tai kontaktihistorian, hän ottaa yhteyttä rekisterinpitäjään. Kuuntelu tapahtuu erikseen sovitussa toimipisteessä. Vastaava oikeus on myös puheluun vastanneella virkailijalla.',
  }),
  findings: {
    purpose: () => 'Käyttötarkoitus on sitoumus: järjestelmä ei voi mitata sitä.',
    'purpose-police': (m) => `Käyttötarkoitus on sitoumus: järjestelmä ei voi mitata sitä. Poliisin pyyntöjä rekisterinpitäjän asioina ${n(m.policeCases)} (P10 tarkistaa ne).`,
    'records-kept': (m) => `${n(m.records)} yhteystietoa tallessa; virkailijaluettelossa ${n(m.agents)} virkailijaa`,
    'no-agent-directory': (m) => `Virkailijaluettelo on tyhjä: puheluista ei tallennu vastanneen virkailijan nimeä eikä numeroa (${n(m.records)} yhteystietoa)`,
    'numbers-recorded': (m) => `tallennettavia palvelunumeroita ${n(m.count)}: ${n(m.numbers)}`,
    'no-numbers-recorded': () => 'Yhtään palvelunumeroa ei ole asetettu tallennettavaksi: puheluita ei tallenneta.',
    'room-watched': (m) => `palvelinhuoneen kulunvalvonnan lähteitä ${n(m.sources)}; ${n(m.source)} kuultu viimeksi ${n(m.minutes)} min sitten${m.heardFrom === 'log' ? ' (kulunvalvonnan tapahtumalokin mukaan)' : ''}`,
    'no-door-source': () => 'Palvelinhuoneelle ei ole asetettu kulunvalvonnan lähdettä: huoneen kulunvalvonta ei näy järjestelmään.',
    'door-source-never-heard': (m) => `Kulunvalvonnan lähteestä ${n(m.source)} ei ole kuultu koskaan${m.heardFrom === 'log' ? ' (kulunvalvonnan tapahtumalokin mukaan)' : ''}.`,
    'door-source-silent': (m) => `Kulunvalvonnan lähteestä ${n(m.source)} ei ole kuultu ${n(m.minutes)} minuuttiin.`,
    'personal-accounts': (m) => `jokainen tili henkilökohtainen, yhteisiä ei ole; käytössä ${n(m.accounts)} tiliä, joista ${n(m.withSecondFactor)} toisella tunnistustekijällä`,
    'shared-account': (m) => `${n(m.sharedNames)} tilin nimi on yhteisen tilin nimi (kuten admin): tili ei ole henkilökohtainen`,
    'admin-without-second-factor': (m) => `${n(m.pendingEnrolment)} tililtä puuttuu toinen tunnistustekijä, jota sen tehtävä vaatii (käytössä ${n(m.accounts)} tiliä, joista ${n(m.withSecondFactor)} toisella tunnistustekijällä)`,
    'policy-failed': (m) => `käyttöoikeustaulun tarkistus epäonnistui ${FI.when(m.when, m.at)}: ${n(m.problems)} poikkeamaa`,
    'policy-passed': (m) =>
      `käyttöoikeustaulun tarkistus onnistui ${FI.when(m.when, m.at)}; ` +
      ('supervisors' in m ? `esihenkilöitä ${n(m.supervisors)}, laatu- ja koulutusasiantuntijoita ${n(m.experts)}` : 'agents' in m ? `asiakaspalvelijoita ${n(m.agents)}` : `teknisiä ylläpitäjiä ${n(m.maintainers)}, pääkäyttäjiä ${n(m.phoneAdmins)}`),
    'no-records': () => 'ei yhteystietoja',
    'within-retention': (m) => `vanhin yhteystieto ${n(m.days)} päivää${Number(m.held) > 0 ? `; oikeudellisen pidon vuoksi säilytetään ${n(m.held)}` : ''}`,
    'older-than-retention': (m, limit) => `vanhin yhteystieto ${n(m.days)} päivää, yli rajan ${n(limit)} päivää: poistoajoa ei ole ajettu`,
    'disclosures-through-desk': (m) => `luovutukset vain rekisterinpitäjän asioina: kopioita rekisteröidyille ${n(m.copies)}, poliisille ${n(m.policeBundles)}, tutkimuslaitokselle ${n(m.researchPackages)} pakettia`,
    'copy-outside-request': (m) => `${n(m.copiesOutsideRequests)} kopiota luovutettu muussa kuin rekisteröidyn pyynnössä`,
    'unapproved-bundle': (m) => `${n(m.unapprovedBundles ?? m.unapproved)} poliisille luovutettua pakettia ilman toisen rekisterinpitäjän hyväksyntää`,
    'research-in-order': (m) => `tutkimusluovutuksia avoinna ${n(m.open)}, myöhässä ${n(m.overdue)}, hävitetty ${n(m.destroyed)}; paketteja ${n(m.packages)}, kaikki anonymisoituja`,
    'research-overdue': (m) => `tutkimusluovutuksia myöhässä ${n(m.overdue)}: palautusta tai hävittämistä ei ole vahvistettu (avoinna ${n(m.open)}, hävitetty ${n(m.destroyed)})`,
    'research-unchecked': (m) => `${n(m.unchecked)} tutkimuspakettia luovutettu ilman sisällön tarkistusta`,
    'police-approved': (m) => `poliisin pyyntöjä ${n(m.cases)}, luovutuksia ${n(m.bundles)}, jokainen toisen rekisterinpitäjän hyväksymä`,
    'requests-in-time': (m) => `tarkastuspyyntöjä vastattu ${n(m.answered)}, avoinna ${n(m.open)}, määräajan ylittäneitä ${n(m.pastDeadline)}`,
    'requests-past-deadline': (m) => `${n(m.pastDeadline)} tarkastuspyyntöä on yli määräajan (vastattu ${n(m.answered)}, avoinna ${n(m.open)})`,
  },
  limit: (promise, limit) => (promise === 'P5' ? `enintään ${limit} min` : promise === 'P7' ? `${limit} päivää` : String(limit)),
  when: (when, at) => (when === 'service-start' ? `käynnistyksessä ${typeof at === 'string' ? reportTime(at, 'fi') : ''}` : 'nyt (tämä tulostus; palvelun käynnistyksen tulos näkyy palvelun omassa tulosteessa)'),
  record: (facts) => ({
    heading: 'Seloste käsittelytoimista (EU:n tietosuoja-asetus, 30 artikla)',
    intro: 'Järjestelmän voimassa olevista asetuksista.',
    rows: [
      { label: 'Rekisterinpitäjä', value: `${facts.identity.controller.name}, ${facts.identity.controller.address}` },
      { label: 'Käsittelyn tarkoitukset', value: 'Asiakaspalvelun kehittäminen: henkilöstön koulutus ja palvelun laadun varmistaminen (P1); rikoksen tai väärinkäytön estäminen ja selvittäminen (P2).' },
      { label: 'Rekisteröityjen ryhmät', value: 'Palvelunumeroihin ja puhelunvälitykseen soittavat asiakkaat; puheluihin vastaavat virkailijat.' },
      { label: 'Henkilötietoryhmät', value: `Puhelun aloitus- ja lopetusaika, soittajan numero, soitettu palvelunumero, vastanneen virkailijan nimi ja puhelinnumero (P3); palvelunumeroihin (${facts.recordedServiceNumbers.length}) soitettujen puhelujen äänitteet (P4).` },
      { label: 'Vastaanottajat', value: 'Tutkimuslaitos (anonymisoidut tallenteet, palautetaan tai hävitetään, P9); poliisi tai muu toimivaltainen viranomainen laissa mainituissa tilanteissa (P10); rekisteröity itse (kopio omista tiedoistaan, P14).' },
      { label: 'Siirrot EU:n tai ETA:n ulkopuolelle', value: 'Ei siirtoja: tiedot ovat vain tässä laitteessa.' },
      { label: 'Säilytysajat', value: `Kontaktihistoria ja tallenteet ${facts.retentionMonths} kuukautta (P7; oikeudellisen pidon alaiset pidempään); käyttöloki ${facts.otherRetention.auditDays} päivää; rekisterinpitäjän asiat ${facts.otherRetention.caseYears} vuotta sulkemisesta; kulunvalvonnan tapahtumat ${facts.otherRetention.doorMonths} kuukautta.` },
      {
        label: 'Turvatoimet',
        value:
          `TLS 1.2+ (${facts.tls === 'installed' ? 'asennettu varmenne' : 'itse allekirjoitettu varmenne'}); salasanat argon2id-tiivisteinä; toinen tunnistustekijä ylläpidon ja luovutusten tehtävissä (${facts.accounts.withSecondFactor}/${facts.accounts.enabled} tilillä); ` +
          `tallenteet salattu AES-256-GCM:llä, jokaisella oma avain, pääavain ${facts.masterKeySource === 'credential' ? 'sinetöity systemd-creds-tunnisteeksi' : 'demon avaintiedostossa (ei tuotantokäyttöön)'}; muuttumaton, allekirjoitettu käyttöloki jokaisesta henkilötietojen käytöstä; ` +
          `palvelinhuone kulunvalvottu (${facts.doors.sources.length === 0 ? 'ei lähteitä asetettu' : facts.doors.sources.map((source) => `${source.name} (${source.kind})`).join(', ')}).`,
      },
    ],
  }),
};

const EN: Words = {
  title: 'Register description and record of processing activities',
  intro: 'The register description (Personal Data Act, section 10) and the record of processing activities (GDPR Art. 30), printed from the system’s running configuration. Beside each promise (P1–P14) is its check against the system’s present state and the measured value.',
  generated: 'Printed',
  registerLabel: 'Register',
  controllerLabel: 'Controller',
  status: { pass: 'passed', fail: 'FAILED', 'not-checkable': 'not checkable' },
  summary: (passed, failed, notCheckable) => `14 promises: ${passed} passed, ${failed} failed, ${notCheckable} not checkable`,
  headings: {
    purpose: 'Purpose of processing',
    general: 'General',
    content: 'Data subjects and content of the register',
    storage: 'Storage and protection of the contact history and recordings',
    disclosure: 'Disclosure of recordings and identification data',
    access: 'Access rights',
    inspection: 'Right of inspection of the caller and the agent',
  },
  general: (controller) => [
    `The controller (${controller}) has telephone lines both for members and for partner organisations. Calls are answered by the controller’s customer-service staff. The identification data of calls are stored in the contact history of the call routing and monitoring system. Customer calls are recorded to assure service quality.`,
  ],
  subjects: 'Data subjects: customers who call the service numbers or the switchboard, and the clerks (agents) who answer them.',
  promises: (facts) => ({
    P1: 'Contact history and recordings are used first of all to develop customer service: to train customer-service staff and to assure the quality of service.',
    P2: 'They may also be used to prevent or investigate a crime or misuse, as described under disclosure below.',
    P3: 'For each call these identification data are registered: start and end time of the call; the caller’s number; the service number that was called; the answering agent’s name and telephone number.',
    P4: `Calls to the service numbers (${facts.recordedServiceNumbers.length === 0 ? 'none set' : facts.recordedServiceNumbers.join(', ')}) are recorded. Recording happens in a predefined way: it starts at the call’s start signal and ends at its end signal.`,
    P5: 'Contact history and recordings are kept on a server reachable only with a user name and password. The server stands in a room with an electronic access-control system.',
    P6: 'Access to the contact history and the recordings is controlled with a personal user name and password.',
    P7: `Identification data of the contact history are kept for at most ${facts.retentionMonths} months.`,
    P8: 'Recordings are the controller’s property; they are not disclosed outside the controller nor used for any other purpose, with these exceptions:',
    P9: 'The controller may temporarily disclose recordings it selects to a research institute, to assess the quality of customer service. The institute must commit to return or destroy the recordings immediately when the research ends. Recordings for quality assessment are anonymised so that the parties (persons) of the call cannot be identified from them.',
    P10: 'To prevent or investigate a crime or misuse, the controller may disclose recordings and identification data to the police or another competent authority, in the situations that the law names.',
    P11: 'Rights to the call routing and monitoring system are granted through the controller’s authorisation procedure to the supervisors of customer-service agents and to the experts whose work includes assessing and developing service quality, or onboarding and training agents.',
    P12: 'Agents’ rights are limited to their own calls only.',
    P13: 'The people responsible for technical maintenance of the system and the main users (administrators) of the telephone system may also listen to recordings and read the contact history.',
    P14: 'A caller has the right to know whether their call was recorded and to listen to the recorded call. A caller who wants to inspect the recording or contact history of their call contacts the controller; listening takes place at an office agreed separately. The answering agent has the same right.',
  }),
  findings: {
    purpose: () => 'A purpose is a commitment: the system cannot measure it.',
    'purpose-police': (m) => `A purpose is a commitment: the system cannot measure it. Police requests as cases of the desk: ${n(m.policeCases)} (P10 checks them).`,
    'records-kept': (m) => `${n(m.records)} contact records kept; ${n(m.agents)} agents in the agent directory`,
    'no-agent-directory': (m) => `The agent directory is empty: no call keeps the answering agent’s name and number (${n(m.records)} contact records)`,
    'numbers-recorded': (m) => `service numbers recorded: ${n(m.numbers)}`,
    'no-numbers-recorded': () => 'No service number is set to be recorded: no call is recorded.',
    'room-watched': (m) => `server-room door sources: ${n(m.sources)}; ${n(m.source)} last heard ${n(m.minutes)} min ago${m.heardFrom === 'log' ? ' (by the door event log)' : ''}`,
    'no-door-source': () => 'No door source is set for the server room: the room’s access control is not visible to the system.',
    'door-source-never-heard': (m) => `Door source ${n(m.source)} has never been heard${m.heardFrom === 'log' ? ' (by the door event log)' : ''}.`,
    'door-source-silent': (m) => `Door source ${n(m.source)} not heard for ${n(m.minutes)} min.`,
    'personal-accounts': (m) => `every account personal, none shared; ${n(m.accounts)} accounts in use, ${n(m.withSecondFactor)} with a second factor`,
    'shared-account': (m) => `accounts named as a shared account (such as admin), not personal: ${n(m.sharedNames)}`,
    'admin-without-second-factor': (m) => `accounts without the second factor their roles require: ${n(m.pendingEnrolment)} (${n(m.accounts)} accounts in use, ${n(m.withSecondFactor)} with a second factor)`,
    'policy-failed': (m) => `policy test failed ${EN.when(m.when, m.at)}: ${n(m.problems)} problems`,
    'policy-passed': (m) =>
      `policy test passed ${EN.when(m.when, m.at)}; ` +
      ('supervisors' in m ? `supervisors ${n(m.supervisors)}, quality/training experts ${n(m.experts)}` : 'agents' in m ? `agents ${n(m.agents)}` : `technical maintainers ${n(m.maintainers)}, phone-system administrators ${n(m.phoneAdmins)}`),
    'no-records': () => 'no contact records',
    'within-retention': (m) => `oldest contact record ${n(m.days)} days${Number(m.held) > 0 ? `; ${n(m.held)} kept under a legal hold` : ''}`,
    'older-than-retention': (m, limit) => `oldest contact record ${n(m.days)} days, past the limit of ${n(limit)} days: the purge has not run`,
    'disclosures-through-desk': (m) => `disclosures only as cases of the desk: copies to data subjects ${n(m.copies)}, to the police ${n(m.policeBundles)}, research packages ${n(m.researchPackages)}`,
    'copy-outside-request': (m) => `copies disclosed outside a data subject’s request: ${n(m.copiesOutsideRequests)}`,
    'unapproved-bundle': (m) => `bundles to the police without a second registrar’s approval: ${n(m.unapprovedBundles ?? m.unapproved)}`,
    'research-in-order': (m) => `research disclosures open ${n(m.open)}, overdue ${n(m.overdue)}, destroyed ${n(m.destroyed)}; ${n(m.packages)} packages, all anonymised`,
    'research-overdue': (m) => `research disclosures overdue, no return or destruction confirmed: ${n(m.overdue)} (open ${n(m.open)}, destroyed ${n(m.destroyed)})`,
    'research-unchecked': (m) => `research packages disclosed without a check of their content: ${n(m.unchecked)}`,
    'police-approved': (m) => `police requests ${n(m.cases)}, bundles ${n(m.bundles)}, each approved by a second registrar`,
    'requests-in-time': (m) => `inspection requests answered ${n(m.answered)}, open ${n(m.open)}, past their deadline ${n(m.pastDeadline)}`,
    'requests-past-deadline': (m) => `inspection requests past their deadline: ${n(m.pastDeadline)} (answered ${n(m.answered)}, open ${n(m.open)})`,
  },
  limit: (promise, limit) => (promise === 'P5' ? `at most ${limit} min` : promise === 'P7' ? `${limit} days` : String(limit)),
  when: (when, at) => (when === 'service-start' ? `at start ${typeof at === 'string' ? reportTime(at, 'en') : ''}` : 'now (by this print; the service’s own print shows the result of its start)'),
  record: (facts) => ({
    heading: 'Record of processing activities (GDPR Art. 30)',
    intro: 'From the system’s running configuration.',
    rows: [
      { label: 'Controller', value: `${facts.identity.controller.name}, ${facts.identity.controller.address}` },
      { label: 'Purposes of processing', value: 'Developing customer service: training staff and assuring the quality of service (P1); preventing and investigating a crime or misuse (P2).' },
      { label: 'Categories of data subjects', value: 'Customers who call the service numbers or the switchboard; the agents who answer.' },
      { label: 'Categories of personal data', value: `Start and end time of the call, the caller’s number, the service number called, the answering agent’s name and telephone number (P3); recordings of calls to the service numbers (${facts.recordedServiceNumbers.length}) (P4).` },
      { label: 'Recipients', value: 'A research institute (anonymised recordings, returned or destroyed, P9); the police or another competent authority in the situations the law names (P10); the data subject (a copy of their own data, P14).' },
      { label: 'Transfers outside the EU/EEA', value: 'None: the data are on this appliance only.' },
      { label: 'Retention', value: `Contact history and recordings ${facts.retentionMonths} months (P7; longer only under a legal hold); audit trail ${facts.otherRetention.auditDays} days; the registrar’s cases ${facts.otherRetention.caseYears} years after closing; door events ${facts.otherRetention.doorMonths} months.` },
      {
        label: 'Security measures',
        value:
          `TLS 1.2+ (${facts.tls === 'installed' ? 'installed certificate' : 'self-signed certificate'}); passwords as argon2id hashes; a second factor for the roles that run the box or disclose (${facts.accounts.withSecondFactor}/${facts.accounts.enabled} accounts); ` +
          `recordings encrypted with AES-256-GCM, a key of their own each, the master key ${facts.masterKeySource === 'credential' ? 'sealed as a systemd-creds credential' : 'in the demo’s key file (not for production)'}; a tamper-evident, signed audit trail of every use of personal data; ` +
          `the server room under access control (${facts.doors.sources.length === 0 ? 'no door source set' : facts.doors.sources.map((source) => `${source.name} (${source.kind})`).join(', ')}).`,
      },
    ],
  }),
};

const WORDS: Readonly<Record<RegisterLanguage, Words>> = { fi: FI, en: EN };

const SECTIONS: ReadonlyArray<{ id: keyof Words['headings']; promises: readonly PromiseId[] }> = [
  { id: 'purpose', promises: ['P1', 'P2'] },
  { id: 'general', promises: [] },
  { id: 'content', promises: ['P3', 'P4'] },
  { id: 'storage', promises: ['P5', 'P6', 'P7'] },
  { id: 'disclosure', promises: ['P8', 'P9', 'P10'] },
  { id: 'access', promises: ['P11', 'P12', 'P13'] },
  { id: 'inspection', promises: ['P14'] },
];

/** The whole document in one language, its checks made now from the facts. */
export function registerDocument(facts: RegisterFacts, language: RegisterLanguage): RegisterDocument {
  const w = WORDS[language];
  const checks = new Map(checkRegister(facts).map((result) => [result.promise, result]));
  const texts = w.promises(facts);
  const line = (promise: PromiseId): RegisterPromiseLine => {
    const result = checks.get(promise)!;
    const finding = w.findings[result.finding];
    return {
      promise,
      text: texts[promise],
      status: result.status,
      statusText: w.status[result.status],
      measured: finding === undefined ? result.finding : finding(result.measured, result.limit),
      limit: result.limit === null ? null : w.limit(promise, result.limit),
    };
  };
  const all = [...checks.values()];
  const passed = all.filter((result) => result.status === 'pass').length;
  const failed = all.filter((result) => result.status === 'fail').length;
  const notCheckable = all.length - passed - failed;
  return {
    language,
    title: w.title,
    intro: w.intro,
    generatedAt: facts.generatedAt,
    generated: `${w.generated}: ${reportTime(facts.generatedAt, language)}`,
    identity: [
      { label: w.registerLabel, value: facts.identity.name },
      { label: w.controllerLabel, value: `${facts.identity.controller.name}, ${facts.identity.controller.address}` },
    ],
    summary: { promises: all.length, passed, failed, notCheckable, text: w.summary(passed, failed, notCheckable) },
    sections: SECTIONS.map((section) => ({
      id: section.id,
      heading: w.headings[section.id],
      paragraphs: section.id === 'general' ? w.general(facts.identity.controller.name) : section.id === 'content' ? [w.subjects] : [],
      promises: section.promises.map(line),
    })),
    record: w.record(facts),
    checks: all,
  };
}

/** The word before a limit, "(limit 92 days)", in every rendering. */
export const LIMIT_WORD: Readonly<Record<RegisterLanguage, string>> = { fi: 'raja', en: 'limit' };

/** The document as plain text: what `tallennin register` prints by default. */
export function registerText(doc: RegisterDocument): string {
  const out: string[] = [doc.title.toUpperCase(), '', doc.intro, ''];
  for (const row of doc.identity) out.push(`${row.label}: ${row.value}`);
  out.push(doc.generated, doc.summary.text, '');
  for (const section of doc.sections) {
    out.push(section.heading.toUpperCase());
    for (const paragraph of section.paragraphs) out.push(paragraph);
    for (const promise of section.promises) {
      out.push(`${promise.promise}. ${promise.text}`);
      out.push(`    [${promise.statusText}] ${promise.measured}${promise.limit === null ? '' : ` (${LIMIT_WORD[doc.language]} ${promise.limit})`}`);
    }
    out.push('');
  }
  out.push(doc.record.heading.toUpperCase(), doc.record.intro);
  for (const row of doc.record.rows) out.push(`${row.label}: ${row.value}`);
  return out.join('\n') + '\n';
}
