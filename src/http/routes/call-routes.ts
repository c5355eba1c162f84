/**
 * Contact history and recordings. Search and detail go through CallAccess (policy + audit);
 * audio is served as `audio/wav` with HTTP Range, decrypting only the chunks a range covers,
 * each part audited before it is sent.
 */
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors.js';
import type { CallAccess } from '../../access/call-access.js';
import { planWavByteRange, readWavRange, wavByteLength, wavRangeParts, WAV_HEADER_BYTES, WAV_BYTES_PER_SAMPLE } from '../../recording/wav-export.js';
import type { RecordingReader } from '../../recording/recording-reader.js';
import { callSearchQuery, exportQuery, idParam } from '../api-schemas.js';
import { callPage, oneCall, recordingView } from '../api-responses.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

/** A single response never carries more than this; players ask again for the rest. */
const MAX_RANGE_BYTES = 4 * 1024 * 1024;

/** Asked before any audio is played (the on-site listening policy, access/door-access.ts); throws to refuse. */
export type PlaybackCheck = (req: Request, res: Response, callId: string) => Promise<void>;

export function callRoutes(calls: CallAccess, isRecentlyReauthenticated: (res: Response) => boolean, beforePlayback?: PlaybackCheck): Router {
  const router = Router();
  router.use(requireSession());

  router.get('/', async (req, res) => {
    const query = validate(callSearchQuery, req.query);
    const page = await calls.search(
      actorOf(res),
      {
        ...(query.from === undefined ? {} : { fromMs: Date.parse(query.from) }),
        ...(query.to === undefined ? {} : { toMs: Date.parse(query.to) }),
        ...(query.caller === undefined ? {} : { caller: query.caller }),
        ...(query.service === undefined ? {} : { service: query.service }),
        ...(query.agent === undefined ? {} : { agent: query.agent }),
        ...(query.recorded === undefined ? {} : { recordedOnly: query.recorded }),
        ...(query.minDuration === undefined ? {} : { minDurationMs: query.minDuration * 1000 }),
        ...(query.maxDuration === undefined ? {} : { maxDurationMs: query.maxDuration * 1000 }),
        ...(query.tag === undefined ? {} : { tag: query.tag }),
        order: query.order,
        page: query.page,
        pageSize: query.pageSize,
      },
      clientAddress(req),
    );
    reply(res, 200, callPage, page);
  });

  router.get('/:id', async (req, res) => {
    const id = validate(idParam, req.params.id);
    reply(res, 200, oneCall, { call: await calls.view(actorOf(res), id, clientAddress(req)) });
  });

  router.get('/:id/recording', async (req, res) => {
    const id = validate(idParam, req.params.id);
    reply(res, 200, recordingView, { recording: await calls.recordingView(actorOf(res), id, clientAddress(req)) });
  });

  router.get('/:id/audio', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const viewer = actorOf(res);
    await beforePlayback?.(req, res, id);
    const { record, reader } = await calls.openRecording(viewer, id, clientAddress(req));
    await sendWav(req, res, reader, async (part) => calls.auditPlayback(viewer, record, part, clientAddress(req)));
  });

  router.get('/:id/export.wav', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { purpose } = validate(exportQuery, req.query);
    const { record, reader } = await calls.openExport(actorOf(res), id, clientAddress(req), purpose, isRecentlyReauthenticated(res));
    res.setHeader('Content-Disposition', `attachment; filename="tallennin-${record.callId}.wav"`);
    await sendWav(req, res, reader, async () => undefined, false);
  });

  return router;
}

/** A recording as audio/wav, with HTTP Range for a player; each part audited before it is sent (also the desk's listening). */
export async function sendWav(req: Request, res: Response, reader: RecordingReader, audit: (part: { startMs: number; endMs: number; bytes: string }) => Promise<void>, ranges = true): Promise<void> {
  const total = wavByteLength(reader.sampleCount);
  let start = 0;
  let end = total - 1;
  let partial = false;
  const rangeHeader = ranges ? req.headers.range : undefined;
  if (rangeHeader !== undefined) {
    const range = parseRange(rangeHeader, total);
    if (range === null) {
      res.setHeader('Content-Range', `bytes */${total}`);
      throw new AppError('RANGE_INVALID', 'the requested range is not satisfiable');
    }
    ({ start, end } = range);
    partial = true;
  }
  if (partial && end - start + 1 > MAX_RANGE_BYTES) end = start + MAX_RANGE_BYTES - 1;
  planWavByteRange(start, end, reader.sampleCount);
  const toMs = (byte: number): number => Math.max(0, Math.floor((byte - WAV_HEADER_BYTES) / WAV_BYTES_PER_SAMPLE / 8));
  await audit({ startMs: toMs(start), endMs: toMs(end + 1), bytes: `${start}-${end}/${total}` });
  res.setHeader('Content-Type', 'audio/wav');
  res.setHeader('Accept-Ranges', ranges ? 'bytes' : 'none');
  if (partial) {
    res.status(206);
    res.setHeader('Content-Range', `bytes ${start}-${end}/${total}`);
  }
  if (partial || total <= MAX_RANGE_BYTES) {
    const parts = (await wavRangeParts(reader, start, end))[Symbol.iterator]();
    res.setHeader('Content-Length', String(end - start + 1));
    // The first audio leaves on its own: node corks a response's writes until the tick ends, so
    // without the pause the player's first second of audio would wait for the whole range to be
    // decrypted, decoded and encrypted for TLS. A range from 0 starts with the 44-byte WAV
    // header, which goes with the first audio rather than alone.
    let part = parts.next();
    if (!part.done && start < WAV_HEADER_BYTES) {
      res.write(part.value);
      part = parts.next();
    }
    if (!part.done) {
      res.write(part.value);
      await new Promise((resolve) => setImmediate(resolve));
      // A player that seeks again drops the connection: nothing more is decrypted for it.
      if (res.destroyed) return;
      part = parts.next();
    }
    for (; !part.done; part = parts.next()) res.write(part.value);
    res.end();
    return;
  }
  // A whole long recording is streamed a block at a time, never held in memory at once.
  res.setHeader('Content-Length', String(total));
  for (let offset = 0; offset < total; offset += MAX_RANGE_BYTES) {
    const block = await readWavRange(reader, offset, Math.min(total, offset + MAX_RANGE_BYTES) - 1);
    if (!res.write(block)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/** One `bytes=` range (RFC 9110): start-end, start-, or -suffix. Multiple ranges are not served. */
export function parseRange(header: string, total: number): { start: number; end: number } | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null || total === 0) return null;
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return null;
    return { start: Math.max(0, total - suffix), end: total - 1 };
  }
  const start = Number(first);
  const end = last === '' ? total - 1 : Math.min(Number(last), total - 1);
  if (start >= total || end < start) return null;
  return { start, end };
}

