/**
 * The golden wire vectors shared with the firmware's C tests (firmware-bridge/PROTOCOL.md,
 * "Golden vectors"): one frame a line, `<name> <type hex> <seq> <payload hex or -> <frame hex>`,
 * `#` starts a comment. Both sides encode each payload and compare with the frame, and decode
 * each frame and compare with the payload. A missing file is a failure, not a skip.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DecodedMessage, decodePayload, encodeFrame, encodePayload, FrameType } from '../../../src/capture/frame-codec.js';
import { FrameDecoder } from '../../../src/capture/frame-decoder.js';

/** GOLDEN_VECTORS_FILE points elsewhere only to try a candidate file; the suite reads the shared one. */
const VECTORS_PATH = process.env.GOLDEN_VECTORS_FILE ?? fileURLToPath(new URL('../../../firmware-bridge/test/vectors/golden-frames.txt', import.meta.url));

interface Vector {
  line: number;
  name: string;
  type: number;
  seq: number;
  payload: Buffer;
  frame: Buffer;
}

function parseHex(text: string, what: string, line: number): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new Error(`line ${line}: ${what} is not hex`);
  return Buffer.from(text, 'hex');
}

function parseVectors(text: string): Vector[] {
  const vectors: Vector[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/#.*$/, '').trim();
    if (content === '') return;
    const fields = content.split(/\s+/);
    if (fields.length !== 5) throw new Error(`line ${line}: expected 5 fields, found ${fields.length}`);
    const [name, typeHex, seqText, payloadHex, frameHex] = fields as [string, string, string, string, string];
    if (!/^[0-9a-fA-F]{2}$/.test(typeHex)) throw new Error(`line ${line}: type is not 2 hex digits`);
    if (!/^\d+$/.test(seqText) || Number(seqText) > 0xffff) throw new Error(`line ${line}: seq is not a u16`);
    vectors.push({
      line,
      name,
      type: parseInt(typeHex, 16),
      seq: Number(seqText),
      payload: payloadHex === '-' ? Buffer.alloc(0) : parseHex(payloadHex, 'payload', line),
      frame: parseHex(frameHex, 'frame', line),
    });
  });
  return vectors;
}

void t.test('when the golden vectors are read, then every line encodes to its frame and its frame decodes to its payload', async (t) => {
  let text: string;
  try {
    text = readFileSync(VECTORS_PATH, 'utf8');
  } catch (err) {
    t.fail(`the golden vectors are missing at ${VECTORS_PATH}: ${String(err)}`);
    return;
  }
  const vectors = parseVectors(text);
  t.ok(vectors.length > 0, 'the file holds vectors');
  const typesSeen = new Set<number>();
  for (const v of vectors) {
    const label = `${v.name} (line ${v.line})`;
    typesSeen.add(v.type);
    t.equal(encodeFrame(v.type, v.seq, v.payload).toString('hex'), v.frame.toString('hex'), `${label}: encodes to the frame`);

    const frames = new FrameDecoder().push(v.frame);
    t.equal(frames.length, 1, `${label}: the frame decodes`);
    t.equal(frames[0]?.type, v.type, `${label}: type`);
    t.equal(frames[0]?.seq, v.seq, `${label}: seq`);
    t.equal(frames[0]?.payload.toString('hex'), v.payload.toString('hex'), `${label}: payload`);

    let message: DecodedMessage | null = null;
    try {
      message = decodePayload(v.type, v.payload);
    } catch (err) {
      t.fail(`${label}: the payload does not parse: ${String(err)}`);
      continue;
    }
    if (message === null) {
      t.fail(`${label}: type 0x${v.type.toString(16)} is not a type of PROTOCOL.md`);
      continue;
    }
    t.equal(encodePayload(message).toString('hex'), v.payload.toString('hex'), `${label}: the typed payload re-encodes to the same bytes`);
  }
  const missing = Object.values(FrameType)
    .filter((v): v is FrameType => typeof v === 'number' && !typesSeen.has(v))
    .map((v) => FrameType[v]);
  t.same(missing, [], 'every frame type of PROTOCOL.md has a vector');
});
