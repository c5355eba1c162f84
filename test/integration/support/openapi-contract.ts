/**
 * The contract check of the API tests: every answer the test client receives is held against
 * /api/v1/openapi.json (the same document the server serves). Its status must be documented for
 * the operation, its documented required headers present and well formed, and its body of the
 * documented media type and valid against the documented schema (JSON Schema 2020-12 by ajv).
 * An answer the document does not describe fails the test that received it.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { openApiDocument } from '../../../src/http/openapi.js';

const API_PREFIX = '/api/v1';

interface HeaderObject {
  required?: boolean;
  schema: Record<string, unknown>;
}
interface ResponseObject {
  headers?: Record<string, HeaderObject>;
  content?: Record<string, { schema?: Record<string, unknown> }>;
}
type Document = { paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>; components: { schemas?: Record<string, unknown> } };

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ?? addFormatsPlugin) as unknown as (ajv: Ajv2020) => void;
// Strict, but `type: [a, b]` is plain JSON Schema (zod writes it for unions of primitives).
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);

let document: Document | undefined;
const templates: Array<{ path: string; pattern: RegExp }> = [];
const validators = new Map<string, ValidateFunction>();

function load(): Document {
  if (document === undefined) {
    document = openApiDocument() as unknown as Document;
    for (const path of Object.keys(document.paths)) {
      const pattern = new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      templates.push({ path, pattern });
    }
  }
  return document;
}

/** A schema of the document as a standalone JSON Schema: its references to components.schemas become $defs. */
function standalone(schema: Record<string, unknown>): Record<string, unknown> {
  const local = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/'));
  return { ...(local(schema) as Record<string, unknown>), $defs: local(load().components.schemas ?? {}) };
}

function validator(key: string, schema: Record<string, unknown>): ValidateFunction {
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = ajv.compile(standalone(schema));
    validators.set(key, validate);
  }
  return validate;
}

/** The problems of one answer with the document; empty when it is as documented. Paths outside the API are not checked. */
export function contractProblems(method: string, url: string, answer: { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }): string[] {
  const pathname = url.split('?')[0]!;
  if (!pathname.startsWith(`${API_PREFIX}/`)) return [];
  const doc = load();
  const where = `${method} ${pathname} ${answer.status}`;
  const template = templates.find((candidate) => candidate.pattern.test(pathname.slice(API_PREFIX.length)));
  if (template === undefined) return [`${where}: the path is not in the document`];
  const operation = doc.paths[template.path]![method.toLowerCase()];
  if (operation === undefined) return [`${where}: the method is not in the document`];
  const response = operation.responses[String(answer.status)];
  if (response === undefined) return [`${where}: the status is not documented`];

  const problems: string[] = [];
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const raw = answer.headers[name.toLowerCase()];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) {
      if (header.required === true) problems.push(`${where}: the documented header ${name} is missing`);
      continue;
    }
    const validate = validator(`${template.path} ${method} ${answer.status} header ${name}`, header.schema);
    if (!validate(value)) problems.push(`${where}: header ${name} ${ajv.errorsText(validate.errors, { dataVar: 'value' })}`);
  }

  if (response.content === undefined) {
    if (answer.body.length > 0) problems.push(`${where}: a body where the document says none`);
    return problems;
  }
  const mediaType = String(answer.headers['content-type'] ?? '').split(';')[0]!.trim();
  const content = response.content[mediaType];
  if (content === undefined) return [...problems, `${where}: media type "${mediaType}" is not documented (${Object.keys(response.content).join(', ')})`];
  if (mediaType !== 'application/json' || content.schema === undefined) return problems;
  let body: unknown;
  try {
    body = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return [...problems, `${where}: the body is not JSON`];
  }
  const validate = validator(`${template.path} ${method} ${answer.status} body`, content.schema);
  if (!validate(body)) problems.push(`${where}: body ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`);
  return problems;
}
