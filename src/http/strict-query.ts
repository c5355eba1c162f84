/**
 * The query parser: express's "simple" one (node:querystring) made strict. node's parser turns
 * percent-encoding that is not UTF-8 into U+FFFD and goes on, so a search for a mangled number
 * would quietly search for something else; this one throws URIError instead, which the error
 * middleware answers with BAD_REQUEST_ENCODING (http-errors.ts).
 */
import { parse as parseQueryString, type ParsedUrlQuery } from 'node:querystring';

export function parseQueryStrictly(query: string | null | undefined): ParsedUrlQuery {
  // express passes null for an address without a query.
  if (typeof query !== 'string' || query === '') return parseQueryString('');
  for (const part of query.split(/[&=]/)) decodeURIComponent(part.replace(/\+/g, ' '));
  return parseQueryString(query);
}
