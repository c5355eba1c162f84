/** The data subject's report under a case (P14): SubjectReports reads and audits, this renders. */
import { Router } from 'express';
import type { SubjectReports } from '../../disclosure/subject-report.js';
import { subjectReportHtml } from '../../disclosure/subject-report-html.js';
import { subjectReportPdf } from '../../disclosure/subject-report-pdf.js';
import { idParam } from '../api-schemas.js';
import { subjectReportQuery } from '../operations/subject-report.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function subjectReportRoutes(reports: SubjectReports): Router {
  const router = Router();
  router.use(requireSession());

  router.get('/:id/report.html', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { lang } = validate(subjectReportQuery, req.query);
    const report = await reports.report(actorOf(res), id, 'html', lang, clientAddress(req));
    res.status(200).type('text/html; charset=utf-8').send(subjectReportHtml(report, lang));
  });

  router.get('/:id/report.pdf', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { lang } = validate(subjectReportQuery, req.query);
    const report = await reports.report(actorOf(res), id, 'pdf', lang, clientAddress(req));
    const pdf = await subjectReportPdf(report, lang);
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `attachment; filename="report-${id}-${lang}.pdf"`);
    res.send(pdf);
  });

  return router;
}
