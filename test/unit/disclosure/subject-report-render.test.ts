/**
 * The renderings of the data subject's report: text from the case and the trail is escaped in the
 * HTML, empty sections say so, a long trail flows over PDF pages, and both languages are complete.
 */
import t from 'tap';
import { registerRoles, type SubjectReport } from '../../../src/disclosure/subject-report.js';
import { subjectReportHtml } from '../../../src/disclosure/subject-report-html.js';
import { subjectReportPdf } from '../../../src/disclosure/subject-report-pdf.js';
import { reportPosition, reportRows, reportTime } from '../../../src/disclosure/subject-report-text.js';

const EMPTY: SubjectReport = { reference: 'DS-<1>&"2"', subject: { type: 'agent', extension: '2001' }, generatedAt: '2026-11-28T10:00:00.000Z', calls: [], roles: registerRoles(), accesses: [] };

void t.test('when the report has nothing to list, then it says so, and what came from outside is escaped', async (t) => {
  for (const language of ['fi', 'en'] as const) {
    const html = subjectReportHtml(EMPTY, language);
    t.match(html, /DS-&lt;1&gt;&amp;&quot;2&quot;/);
    t.notMatch(html, /<1>/);
    t.notMatch(html, /<table id="calls">|<table id="accesses">/);
    t.match(html, /<p id="calls">/);
    t.match(html, /<p id="accesses">/);
    t.notMatch(html, /<script|<style|style=/, 'nothing the strict CSP would refuse');
  }
});

void t.test('when the roles are listed, then they follow the permission matrix', async (t) => {
  const roles = registerRoles();
  t.same(roles.find((role) => role.role === 'agent'), { role: 'agent', calls: 'own', listen: true });
  t.same(roles.find((role) => role.role === 'supervisor'), { role: 'supervisor', calls: 'all', listen: true });
  t.equal(roles.length, 6, 'every role of the register reads calls in some way');
});

void t.test('when a call is in progress or an account is gone, then the rows say so', async (t) => {
  const report: SubjectReport = {
    ...EMPTY,
    calls: [{ number: 1, startedAt: '2026-11-28T08:00:00.000Z', endedAt: null, serviceNumber: null, recorded: false }],
    accesses: [{ at: '2026-11-28T09:00:00.000Z', kind: 'viewed', call: 1, roles: [], fromMs: null, toMs: null }],
  };
  const en = reportRows(report, 'en');
  t.same(en.calls[0], ['1', reportTime('2026-11-28T08:00:00.000Z', 'en'), 'in progress', '–', 'no']);
  t.same(en.accesses[0], [reportTime('2026-11-28T09:00:00.000Z', 'en'), 'call details viewed', '1', 'removed account', '']);
  t.equal(reportTime('2026-11-28T08:00:00.000Z', 'fi'), '28.11.2026 klo 10.00.00', 'Helsinki time');
  t.equal(reportPosition(61_999), '1:01');
});

void t.test('when the trail is long, then the PDF flows over pages and keeps every line', async (t) => {
  const accesses = Array.from({ length: 150 }, (_, i) => ({ at: new Date(Date.UTC(2026, 10, 28, 9, 0, i)).toISOString(), kind: 'played' as const, call: 1, roles: ['supervisor' as const, 'quality-expert' as const], fromMs: i * 1000, toMs: i * 1000 + 999 }));
  const report: SubjectReport = { ...EMPTY, subject: { type: 'caller', number: '+358401234567' }, calls: [{ number: 1, startedAt: '2026-11-28T08:00:00.000Z', endedAt: '2026-11-28T08:10:00.000Z', serviceNumber: '+358201234567', recorded: true }], accesses };
  const pdf = await subjectReportPdf(report, 'en', { compress: false });
  const source = pdf.toString('latin1');
  t.ok((source.match(/\/Type \/Page\b/g) ?? []).length >= 3, 'several pages');
  const texts = [...source.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((op) => [...(op[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1] ?? '', 'hex').toString('latin1')).join(''));
  t.equal(texts.filter((text) => text === 'listened to').length, 150);
  t.ok(texts.some((text) => text.includes('+358401234567')), 'the data subject’s own number');
  const compressed = await subjectReportPdf(EMPTY, 'fi');
  t.equal(compressed.subarray(0, 5).toString('latin1'), '%PDF-');
  t.ok(compressed.length < pdf.length);
});
