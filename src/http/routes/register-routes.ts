/** The register description (register:read): RegisterPrints decides and audits, this renders. */
import { Router } from 'express';
import type { RegisterPrints } from '../../register/register-prints.js';
import { REGISTER_HTML_CSP, registerHtml } from '../../register/register-html.js';
import { registerPdf } from '../../register/register-pdf.js';
import { registerDocumentAnswer, registerQuery } from '../operations/register.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function registerRoutes(prints: RegisterPrints): Router {
  const router = Router();
  router.use(requireSession());

  router.get('/', async (req, res) => {
    const { lang } = validate(registerQuery, req.query);
    reply(res, 200, registerDocumentAnswer, await prints.document(actorOf(res), lang));
  });

  router.get('/print.html', async (req, res) => {
    const { lang } = validate(registerQuery, req.query);
    const doc = await prints.print(actorOf(res), lang, 'html', clientAddress(req));
    // The page's own print style, and nothing else: no script, no other source.
    res.status(200).type('text/html; charset=utf-8').setHeader('Content-Security-Policy', REGISTER_HTML_CSP);
    res.send(registerHtml(doc));
  });

  router.get('/print.pdf', async (req, res) => {
    const { lang } = validate(registerQuery, req.query);
    const doc = await prints.print(actorOf(res), lang, 'pdf', clientAddress(req));
    const pdf = await registerPdf(doc);
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `attachment; filename="register-${lang}.pdf"`);
    res.send(pdf);
  });

  return router;
}
