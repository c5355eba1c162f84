/** The one mapping from errors to HTTP: every error a request can end in has a stable code and a 4xx unless it is ours. */
import t from 'tap';
import { AppError } from '../../../src/errors.js';
import { clientErrorResponse, statusOf, toAppError } from '../../../src/http/http-errors.js';

t.test('when express or its body parser fails a request, then the error is a code with a 4xx', async (t) => {
  const parserError = (type: string, status: number): Error => Object.assign(new Error(type), { type, status, expose: true });
  const cases: Array<[err: unknown, code: string, status: number]> = [
    [new AppError('CALL_NOT_FOUND', 'x'), 'CALL_NOT_FOUND', 404],
    [new URIError('URI malformed'), 'BAD_REQUEST_ENCODING', 400],
    [parserError('entity.too.large', 413), 'PAYLOAD_TOO_LARGE', 413],
    [parserError('entity.parse.failed', 400), 'VALIDATION_FAILED', 400],
    [parserError('charset.unsupported', 415), 'UNSUPPORTED_MEDIA_TYPE', 415],
    [parserError('encoding.unsupported', 415), 'UNSUPPORTED_CONTENT_ENCODING', 415],
    [parserError('request.aborted', 400), 'BAD_REQUEST_SYNTAX', 400],
    [parserError('request.size.invalid', 400), 'BAD_REQUEST_SYNTAX', 400],
    [parserError('some.future.type', 400), 'BAD_REQUEST', 400],
    [Object.assign(new Error('gone'), { status: 410, expose: true }), 'BAD_REQUEST', 400],
    [Object.assign(new Error('ours'), { status: 500, expose: false }), 'INTERNAL', 500],
    [new TypeError('a bug'), 'INTERNAL', 500],
    ['a string thrown', 'INTERNAL', 500],
  ];
  for (const [err, code, status] of cases) {
    const mapped = toAppError(err);
    t.equal(mapped.code, code, String((err as Error).message ?? err));
    t.equal(statusOf(mapped.code), status, code);
  }
});

t.test('when HTTP itself cannot be parsed, then the raw answer is a whole response with a code that closes the connection', async (t) => {
  const cases: Array<[nodeCode: string | undefined, status: number, code: string]> = [
    ['HPE_HEADER_OVERFLOW', 431, 'HEADERS_TOO_LARGE'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 413, 'PAYLOAD_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
    ['HPE_INVALID_METHOD', 400, 'BAD_REQUEST_SYNTAX'],
    [undefined, 400, 'BAD_REQUEST_SYNTAX'],
  ];
  for (const [nodeCode, status, code] of cases) {
    const raw = clientErrorResponse({ code: nodeCode });
    const [head, body] = raw.split('\r\n\r\n') as [string, string];
    t.match(head, new RegExp(`^HTTP/1\\.1 ${status} `), `${code}: status line`);
    t.match(head, /\r\nConnection: close(\r\n|$)/, `${code}: closes`);
    t.match(head, new RegExp(`\r\nContent-Length: ${Buffer.byteLength(body)}(\r\n|$)`), `${code}: length`);
    t.equal((JSON.parse(body) as { error: { code: string } }).error.code, code);
  }
});
