// What the islands of this module need from the server: JSON calls with the CSRF
// token (the `gorod_csrf` cookie is readable by scripts; /api/me sets it when new).
export async function csrfToken(): Promise<string> {
  const fromCookie = () => document.cookie.split('; ').find((c) => c.startsWith('gorod_csrf='))?.slice('gorod_csrf='.length);
  let token = fromCookie();
  if (!token) {
    const res = await fetch('/api/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.ok) token = ((await res.json()) as { csrfToken?: string }).csrfToken ?? fromCookie();
  }
  return decodeURIComponent(token ?? '');
}

export interface ApiResult<T> {
  ok: boolean;
  status: number;
  data: T | null;
  error: string | null;
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = await csrfToken();
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(url, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
    return { ok: res.ok, status: res.status, data: res.ok ? json : null, error: res.ok ? null : (json?.error?.message ?? null) };
  } catch {
    return { ok: false, status: 0, data: null, error: null };
  }
}
