// The back office shell at /admin: a layout with the sections each module adds
// (articles, typo queue, moderation, …), shown to the roles that may use them, with
// badges such as the number of open typo reports. Modules register with
// `app.admin.add(…)`; the dashboard lists what this user may open.
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import fp from 'fastify-plugin';
import type { Role } from '../db/schema.js';
import type { App } from '../types.js';
import { STAFF_ROLES } from '../platform/roles.js';
import type { PageContext } from './context.js';

export interface AdminSection {
  href: string;
  /** Shown in the side menu and on the dashboard. */
  label: (req: FastifyRequest) => string;
  roles: Role[];
  order: number;
  /** A number to show beside the label (open reports, held comments…); 0 hides it. */
  badge?: (req: FastifyRequest) => Promise<number>;
}

/** A part of the overview page at /admin (the newsroom's figures, …); null shows nothing. */
export type AdminPanel = (req: FastifyRequest) => Promise<ComponentChildren | null>;

export class AdminRegistry {
  private sections: AdminSection[] = [];
  private panelList: { order: number; render: AdminPanel }[] = [];
  addPanel(order: number, render: AdminPanel): void {
    this.panelList.push({ order, render });
    this.panelList.sort((a, b) => a.order - b.order);
  }
  panels(req: FastifyRequest): Promise<(ComponentChildren | null)[]> {
    return Promise.all(this.panelList.map((p) => p.render(req)));
  }
  add(section: AdminSection): void {
    this.sections.push(section);
    this.sections.sort((a, b) => a.order - b.order);
  }
  visibleTo(req: FastifyRequest): AdminSection[] {
    const role = req.user?.role;
    return role ? this.sections.filter((s) => role === 'admin' || s.roles.includes(role)) : [];
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    admin: AdminRegistry;
  }
}

export interface AdminNavItem {
  href: string;
  label: string;
  badge: number;
  current: boolean;
}

export async function adminNav(req: FastifyRequest, registry: AdminRegistry): Promise<AdminNavItem[]> {
  const path = req.url.split('?')[0]!;
  return Promise.all(
    registry.visibleTo(req).map(async (s) => ({ href: s.href, label: s.label(req), badge: s.badge ? await s.badge(req) : 0, current: path === s.href || path.startsWith(s.href + '/') })),
  );
}

export function AdminLayout({ ctx, title, nav, children, scripts }: { ctx: PageContext; title: string; nav: AdminNavItem[]; children: ComponentChildren; scripts?: string[] }) {
  const { i18n } = ctx;
  return (
    <html lang={i18n.locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} — ${i18n.t('admin.title')} — ${ctx.siteName}`}</title>
        <link rel="stylesheet" href={ctx.assets.css} />
        <link rel="stylesheet" href={ctx.assets.adminCss} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <script type="module" src={ctx.assets.adminJs} />
        {(scripts ?? []).map((src) => (
          <script type="module" src={src} />
        ))}
      </head>
      <body class="admin">
        <a class="skip-link" href="#main">{i18n.t('nav.skip')}</a>
        <header class="admin-header">
          <a class="site-logo" href="/admin">
            <span class="site-logo__mark" aria-hidden="true">Г</span>
            <span class="site-logo__name">{i18n.t('admin.title')}</span>
          </a>
          <a href="/">{i18n.t('admin.toSite')}</a>
        </header>
        <div class="admin-body">
          <nav class="admin-nav" aria-label={i18n.t('admin.title')}>
            <ul>
              {nav.map((item) => (
                <li>
                  <a href={item.href} aria-current={item.current ? 'page' : undefined}>
                    {item.label}
                    {item.badge > 0 && (
                      <span class="badge" aria-label={`(${item.badge})`}>
                        {item.badge}
                      </span>
                    )}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main id="main" class="admin-main" tabIndex={-1}>
            <h1>{title}</h1>
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}

async function adminShell(app: App) {
  app.decorate('admin', new AdminRegistry());
  app.get('/admin', { config: { roles: STAFF_ROLES }, schema: { hide: true } }, async (req, reply) => {
    const [nav, panels] = await Promise.all([adminNav(req, app.admin), app.admin.panels(req)]);
    const ctx = app.pages.context(req);
    return app.pages.send(
      req,
      reply,
      <AdminLayout ctx={ctx} title={req.i18n.t('admin.dashboard')} nav={nav}>
        <p>{req.i18n.t('auth.signedInAs', { name: req.user!.displayName })}</p>
        {panels}
        <ul class="admin-tiles">
          {nav.map((item) => (
            <li>
              <a href={item.href}>
                {item.label}
                {item.badge > 0 && <span class="badge">{item.badge}</span>}
              </a>
            </li>
          ))}
        </ul>
      </AdminLayout>,
    );
  });
}

export default fp(adminShell, { name: 'admin-shell' });
