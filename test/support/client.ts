// A small browser stand-in for HTTP tests: keeps cookies, sends the CSRF token the
// way our pages do, and never follows redirects unless asked (tests check them).
export interface Response {
  status: number;
  headers: Headers;
  text: string;
  json<T = any>(): T;
  location: string | null;
}

export class Client {
  readonly cookies = new Map<string, string>();
  /** `defaults` go with every request, e.g. an X-Forwarded-For to act as another IP. */
  constructor(
    readonly base: string,
    readonly defaults: Record<string, string> = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: string, path: string, opts: { body?: unknown; form?: Record<string, string>; headers?: Record<string, string>; raw?: string | Buffer } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...this.defaults, cookie: this.cookieHeader(), ...opts.headers };
    let body: string | Buffer | undefined;
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    } else if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.body);
    } else if (opts.raw !== undefined) {
      body = opts.raw;
    }
    const res = await fetch(this.base + path, { method, headers, body: body as BodyInit | undefined, redirect: "manual" });
    this.remember(res.headers);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text), location: res.headers.get('location') };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  /** The CSRF token, fetched like the page islands do. */
  async csrf(): Promise<string> {
    const existing = this.cookies.get('gorod_csrf');
    if (existing) return decodeURIComponent(existing);
    await this.get('/api/me');
    return decodeURIComponent(this.cookies.get('gorod_csrf')!);
  }

  /** Submits a form the way a browser does: with the page's hidden CSRF field. */
  async submit(path: string, form: Record<string, string>) {
    return this.request('POST', path, { form: { _csrf: await this.csrf(), ...form } });
  }

  /** A JSON API write with the CSRF header. */
  async api(method: string, path: string, body?: unknown) {
    return this.request(method, path, { body, headers: { 'x-csrf-token': await this.csrf(), accept: 'application/json' } });
  }

  async signIn(email: string, password: string): Promise<Response> {
    const res = await this.submit('/login', { email, password });
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
    return res;
  }
}
