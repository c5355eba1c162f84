// The API client: JSON over the same origin, the CSRF token on every state change.
let csrfToken: string | undefined;

/** What a refusal may add to its code: why (a password rule, the end of a session) and the idle limit. */
export interface ErrorDetails {
  readonly reason?: string;
  readonly idleMinutes?: number;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: ErrorDetails = {}) {
    super(message);
  }
}

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    // The box is unreachable (network down, service stopped): a catalogue message, not a TypeError.
    throw new ApiError(0, 'network', 'the service cannot be reached');
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; reason?: string; idleMinutes?: number } };
  if (!res.ok) {
    const { reason, idleMinutes } = data.error ?? {};
    throw new ApiError(res.status, data.error?.code ?? 'HTTP_' + res.status, data.error?.message ?? res.statusText, { ...(reason === undefined ? {} : { reason }), ...(idleMinutes === undefined ? {} : { idleMinutes }) });
  }
  return data as T;
}

/** A change whose answer is a file (a disclosure package): its bytes and headers, or the error as api() throws it. */
export async function apiFile(method: string, path: string): Promise<{ blob: Blob; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/octet-stream, application/json' };
  if (method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'the service cannot be reached');
  }
  if (!res.ok) {
    const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    throw new ApiError(res.status, data.error?.code ?? 'HTTP_' + res.status, data.error?.message ?? res.statusText);
  }
  return { blob: await res.blob(), headers: res.headers };
}
