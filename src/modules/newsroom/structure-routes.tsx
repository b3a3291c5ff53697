// Structure and people in the back office: sections, tags, stories, author
// profiles (editors) and users with their roles (admins). Plain forms: a refused
// one comes back as the same page with status 400 (409 for a refusal of the
// current state), the message beside its field and what was typed still there.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { Type } from '@sinclair/typebox';
import type { App } from '../../types.js';
import type { Role } from '../../db/schema.js';
import { HttpError } from '../../platform/errors.js';
import { IdParams } from '../../platform/openapi.js';
import type { MessageKey } from '../../platform/i18n/index.js';
import { slugify } from '../content/index.js';
import { ROLES } from '../../platform/roles.js';
import type { Newsroom } from './service.js';
import { constrained, Form, formFailure, optionalId, position, slugOf, text, type FormFailure, type FormT } from './forms.js';
import { EntityAdmin, type EntityRow, type Field } from './views/entities.js';

const EDITORS: Role[] = ['editor'];
const ADMINS: Role[] = ['admin'];
const Id = IdParams;
const PageQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 10 })) });
const hidden = { hide: true };
const writeLimit = { max: 120, timeWindow: '1 minute' };

export interface StructureDeps {
  newsroom: Newsroom;
  page: (req: FastifyRequest, reply: FastifyReply, title: string, body: ComponentChildren, opts?: { scripts?: string[]; status?: number }) => Promise<unknown>;
  sectionOptions: () => Promise<{ id: number; title: string; depth: number }[]>;
  /** The pickers' bundle (the author photo picker). */
  pickersUrl: string;
}

const L = (req: FastifyRequest, key: MessageKey) => req.i18n.t(key as never);

export function structureRoutes(app: App, { newsroom, page, sectionOptions, pickersUrl }: StructureDeps) {
  const { content } = app;

  /**
   * One kind of structure: its page, add, edit and (optionally) delete. Each write
   * is audited and purges every cached page (structure shows everywhere).
   */
  function entityRoutes(opts: {
    base: string;
    title: MessageKey;
    entity: string;
    fields: (req: FastifyRequest) => Promise<Field[]>;
    rows: () => Promise<EntityRow[]>;
    create: (form: FormT, req: FastifyRequest) => Promise<{ id: number; summary: string }>;
    update: (id: number, form: FormT, req: FastifyRequest) => Promise<string>;
    remove?: (id: number) => Promise<void>;
    scripts?: string[];
  }) {
    const show = async (req: FastifyRequest, reply: FastifyReply, failed?: FormFailure) =>
      page(
        req,
        reply,
        L(req, opts.title),
        <EntityAdmin
          i18n={req.i18n}
          csrf={req.csrfToken()}
          base={opts.base}
          fields={await opts.fields(req)}
          rows={await opts.rows()}
          canDelete={!!opts.remove}
          notice={(req.query as { saved?: string }).saved ? req.i18n.t('newsroom.saved') : undefined}
          failed={failed}
        />,
        { scripts: opts.scripts, status: failed?.status },
      );
    /** Runs a write; a refusal about the input re-renders the page with the form as it was sent. */
    const attempt = async (req: FastifyRequest, reply: FastifyReply, target: FormFailure['target'], work: () => Promise<void>) => {
      try {
        await work();
      } catch (err) {
        const failed = formFailure(err, target, req.body as FormT);
        if (!failed) throw err;
        return show(req, reply, failed);
      }
      return reply.redirect(`${opts.base}?saved=1`, 303);
    };

    app.get(opts.base, { config: { roles: EDITORS }, schema: { ...hidden, querystring: PageQuery } }, async (req, reply) => show(req, reply));
    app.post(opts.base, { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { ...hidden, body: Form } }, async (req, reply) =>
      attempt(req, reply, 'new', async () => {
        const { id, summary } = await opts.create(req.body, req);
        await newsroom.structureChanged(req.user!, 'created', opts.entity, id, summary);
      }),
    );
    app.post(`${opts.base}/:id`, { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { ...hidden, params: Id, body: Form } }, async (req, reply) =>
      attempt(req, reply, req.params.id, async () => {
        const summary = await opts.update(req.params.id, req.body, req);
        await newsroom.structureChanged(req.user!, 'updated', opts.entity, req.params.id, summary);
      }),
    );
    if (opts.remove) {
      const remove = opts.remove;
      app.post(`${opts.base}/:id/delete`, { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { ...hidden, params: Id, body: Form } }, async (req, reply) =>
        attempt(req, reply, req.params.id, async () => {
          await remove(req.params.id);
          await newsroom.structureChanged(req.user!, 'deleted', opts.entity, req.params.id, '');
        }),
      );
    }
  }

  // ---------- sections ----------

  const sectionInput = async (form: FormT, req: FastifyRequest) => {
    const title = text(form, 'title', L(req, 'newsroom.field.title'), { required: true, max: 100 });
    const parentId = optionalId(form, 'parentId', L(req, 'newsroom.field.parent'));
    if (parentId && !(await content.sections()).get(parentId)) throw new HttpError(400, 'invalid', 'Такой родительской рубрики нет', { field: 'parentId' });
    return {
      title,
      slug: slugOf(form, title),
      parentId,
      position: position(form, 'position', L(req, 'newsroom.field.position')),
      description: text(form, 'description', L(req, 'newsroom.field.description'), { max: 1000 }),
    };
  };
  const sectionSlugTaken = { slug: 'Такой адрес рубрики уже занят' };
  entityRoutes({
    base: '/admin/sections',
    title: 'newsroom.sections',
    entity: 'section',
    fields: async (req) => [
      { name: 'title', label: L(req, 'newsroom.field.title'), required: true },
      { name: 'slug', label: L(req, 'newsroom.field.slug'), hint: L(req, 'newsroom.slugHint') },
      { name: 'parentId', label: L(req, 'newsroom.field.parent'), kind: 'select', options: [{ value: '', label: L(req, 'newsroom.none') }, ...(await sectionOptions()).map((s) => ({ value: String(s.id), label: s.title }))] },
      { name: 'position', label: L(req, 'newsroom.field.position'), kind: 'number' },
      { name: 'description', label: L(req, 'newsroom.field.description'), kind: 'textarea' },
    ],
    rows: async () => {
      const tree = await content.sections();
      return (await sectionOptions()).map((o) => {
        const s = tree.get(o.id)!;
        return { id: s.id, label: o.title, depth: o.depth, values: { title: s.title, slug: s.slug, parentId: s.parentId ? String(s.parentId) : '', position: String(s.position), description: s.description } };
      });
    },
    create: async (form, req) => {
      const input = await sectionInput(form, req);
      return { id: await constrained(() => content.createSection(input), sectionSlugTaken), summary: input.title };
    },
    update: async (id, form, req) => {
      const input = await sectionInput(form, req);
      await constrained(() => content.updateSection(id, input), sectionSlugTaken);
      return input.title;
    },
    remove: (id) => content.deleteSection(id),
  });

  // ---------- tags ----------

  const tagTitle = (form: FormT, req: FastifyRequest) => {
    const title = text(form, 'title', L(req, 'newsroom.field.title'), { required: true, max: 60 }).toLowerCase();
    if (!slugify(title)) throw new HttpError(400, 'invalid', 'В названии тега нужны буквы или цифры', { field: 'title' });
    return title;
  };
  entityRoutes({
    base: '/admin/tags',
    title: 'newsroom.tags',
    entity: 'tag',
    // A new tag's address is made from its title (as tags typed in the editor are); it can be changed after.
    fields: async (req) => [
      { name: 'title', label: L(req, 'newsroom.field.title'), required: true },
      { name: 'slug', label: L(req, 'newsroom.field.slug'), hint: L(req, 'newsroom.slugHint'), editOnly: true },
    ],
    rows: async () => (await content.listTags()).map((x) => ({ id: x.id, label: x.title, values: { title: x.title, slug: x.slug } })),
    create: async (form, req) => {
      const title = tagTitle(form, req);
      // ensureTag would quietly return the existing tag: adding one twice is a mistake worth saying.
      const slug = slugify(title);
      if ((await content.listTags()).some((x) => x.slug === slug || x.title === title)) throw new HttpError(400, 'invalid', 'Такой тег уже есть', { field: 'title' });
      return { id: await content.ensureTag(title), summary: title };
    },
    update: async (id, form, req) => {
      const title = tagTitle(form, req);
      await constrained(() => content.renameTag(id, title, slugOf(form, title)), { slug: 'Такой адрес тега уже занят' });
      return title;
    },
    remove: (id) => content.deleteTag(id),
  });

  // ---------- stories ----------

  const storyInput = (form: FormT, req: FastifyRequest) => {
    const title = text(form, 'title', L(req, 'newsroom.field.title'), { required: true, max: 200 });
    return { title, slug: slugOf(form, title), description: text(form, 'description', L(req, 'newsroom.field.description'), { max: 2000 }) };
  };
  const storySlugTaken = { slug: 'Такой адрес сюжета уже занят' };
  entityRoutes({
    base: '/admin/stories',
    title: 'newsroom.stories',
    entity: 'story',
    fields: async (req) => [
      { name: 'title', label: L(req, 'newsroom.field.title'), required: true },
      { name: 'slug', label: L(req, 'newsroom.field.slug'), hint: L(req, 'newsroom.slugHint') },
      { name: 'description', label: L(req, 'newsroom.field.description'), kind: 'textarea' },
    ],
    rows: async () => (await content.listStories()).map((x) => ({ id: x.id, label: x.title, values: { title: x.title, slug: x.slug, description: x.description } })),
    create: async (form, req) => {
      const input = storyInput(form, req);
      return { id: await constrained(() => content.createStory(input), storySlugTaken), summary: input.title };
    },
    update: async (id, form, req) => {
      const input = storyInput(form, req);
      await constrained(() => content.updateStory(id, input), storySlugTaken);
      return input.title;
    },
    remove: (id) => content.deleteStory(id),
  });

  // ---------- author profiles ----------

  const authorInput = async (form: FormT, req: FastifyRequest) => {
    const name = text(form, 'name', L(req, 'newsroom.field.name'), { required: true, max: 100 });
    const photoId = optionalId(form, 'photoId', L(req, 'newsroom.field.photo'));
    if (photoId && !(await app.media.get([photoId])).has(photoId)) throw new HttpError(400, 'invalid', 'Такого изображения нет: загрузите фото снова', { field: 'photoId' });
    const userId = optionalId(form, 'userId', L(req, 'newsroom.field.user'));
    if (userId && !(await app.accounts.byId(userId))) throw new HttpError(400, 'invalid', 'Нет учётной записи с таким номером', { field: 'userId' });
    return {
      name,
      slug: slugOf(form, name),
      position: text(form, 'position', L(req, 'newsroom.field.jobTitle'), { max: 200 }),
      bio: text(form, 'bio', L(req, 'newsroom.field.bio'), { max: 2000 }),
      photoId,
      userId,
    };
  };
  const authorTaken = { slug: 'Такой адрес автора уже занят', user_id: 'Эта учётная запись уже связана с другим автором', photo_id: 'Такого изображения нет: загрузите фото снова' };
  /** The smallest JPEG of each photo, for the previews. */
  const photoUrls = async (ids: number[]) => {
    const images = await app.media.get(ids);
    return new Map(
      [...images].map(([id, image]) => {
        const jpeg = image.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width)[0];
        return [id, jpeg ? image.base + jpeg.file : ''] as const;
      }),
    );
  };
  entityRoutes({
    base: '/admin/authors',
    title: 'newsroom.authors',
    entity: 'author',
    scripts: [pickersUrl],
    fields: async (req) => [
      { name: 'name', label: L(req, 'newsroom.field.name'), required: true },
      { name: 'slug', label: L(req, 'newsroom.field.slug'), hint: L(req, 'newsroom.slugHint') },
      { name: 'position', label: L(req, 'newsroom.field.jobTitle') },
      { name: 'bio', label: L(req, 'newsroom.field.bio'), kind: 'textarea' },
      { name: 'photoId', label: L(req, 'newsroom.field.photo'), kind: 'image' },
      { name: 'userId', label: L(req, 'newsroom.field.user'), kind: 'number' },
    ],
    rows: async () => {
      const authors = await content.listAuthors();
      const photos = await photoUrls(authors.flatMap((x) => (x.photo_id ? [x.photo_id] : [])));
      return authors.map((x) => ({
        id: x.id,
        label: `${x.name}${x.position ? `, ${x.position}` : ''}`,
        values: { name: x.name, slug: x.slug, position: x.position, bio: x.bio, photoId: x.photo_id ? String(x.photo_id) : '', userId: x.user_id ? String(x.user_id) : '' },
        previews: (x.photo_id && photos.get(x.photo_id) ? { photoId: photos.get(x.photo_id)! } : {}) as Record<string, string>,
      }));
    },
    create: async (form, req) => {
      const input = await authorInput(form, req);
      return { id: await constrained(() => content.createAuthor(input), authorTaken), summary: input.name };
    },
    update: async (id, form, req) => {
      const input = await authorInput(form, req);
      await constrained(() => content.updateAuthor(id, input), authorTaken);
      return input.name;
    },
  });

  // ---------- users and roles (admin only) ----------

  const userFields = (req: FastifyRequest): Field[] => [
    { name: 'displayName', label: L(req, 'auth.displayName'), required: true, createOnly: true },
    { name: 'email', label: L(req, 'newsroom.field.email'), kind: 'email', required: true, createOnly: true },
    { name: 'password', label: L(req, 'newsroom.field.password'), kind: 'password', required: true, createOnly: true },
    { name: 'role', label: L(req, 'newsroom.field.role'), kind: 'select', options: ROLES.map((r) => ({ value: r, label: L(req, `role.${r}` as MessageKey) })) },
  ];
  const usersPage = async (req: FastifyRequest, reply: FastifyReply, failed?: FormFailure) => {
    const rows = (await app.accounts.staffList()).map((u) => ({ id: u.id, label: `${u.display_name} <${u.email}> — ${L(req, `role.${u.role}` as MessageKey)}`, values: { role: u.role } }));
    const notice = (req.query as { saved?: string }).saved ? req.i18n.t('newsroom.saved') : undefined;
    return page(req, reply, req.i18n.t('newsroom.users'), <EntityAdmin i18n={req.i18n} csrf={req.csrfToken()} base="/admin/users" fields={userFields(req)} rows={rows} canDelete={false} notice={notice} failed={failed} />, {
      status: failed?.status,
    });
  };
  const roleOf = (form: FormT): Role => {
    if (!ROLES.includes(form.role as Role)) throw new HttpError(400, 'invalid', 'Неизвестная роль', { field: 'role' });
    return form.role as Role;
  };
  // The accounts service names its problems by i18n key; each belongs to one field.
  const ACCOUNT_FIELDS: Record<string, string> = { 'auth.register.badEmail': 'email', 'auth.register.taken': 'email', 'error.password.short': 'password', 'error.password.email': 'password', 'error.password.common': 'password', 'auth.register.badName': 'displayName' };

  app.get('/admin/users', { config: { roles: ADMINS }, schema: { ...hidden, querystring: PageQuery } }, async (req, reply) => usersPage(req, reply));

  app.post('/admin/users', { config: { roles: ADMINS, rateLimit: writeLimit }, schema: { ...hidden, body: Form } }, async (req, reply) => {
    try {
      const role = roleOf(req.body);
      try {
        const user = await app.accounts.createUser({ email: (req.body.email ?? '').trim(), password: req.body.password ?? '', displayName: req.body.displayName ?? '', role });
        await newsroom.audit(req.user!.id, 'created', 'user', user.id, `${user.email}: ${role}`);
      } catch (err) {
        if (err instanceof HttpError && err.message in ACCOUNT_FIELDS) throw new HttpError(err.statusCode === 409 ? 400 : err.statusCode, err.code, req.i18n.t(err.message as never), { field: ACCOUNT_FIELDS[err.message] });
        throw err;
      }
    } catch (err) {
      const failed = formFailure(err, 'new', req.body);
      if (failed) return usersPage(req, reply, failed);
      throw err;
    }
    return reply.redirect('/admin/users?saved=1', 303);
  });

  app.post('/admin/users/:id', { config: { roles: ADMINS, rateLimit: writeLimit }, schema: { ...hidden, params: Id, body: Form } }, async (req, reply) => {
    try {
      const role = roleOf(req.body);
      await app.accounts.changeRole({ actorId: req.user!.id, userId: req.params.id, role, keepSessionId: req.session?.id }, (trx, change) =>
        newsroom.audit(req.user!.id, 'role_changed', 'user', req.params.id, `${change.before} → ${change.after}`, trx),
      );
    } catch (err) {
      const failed = formFailure(err, req.params.id, req.body);
      if (failed) return usersPage(req, reply, failed);
      throw err;
    }
    return reply.redirect('/admin/users?saved=1', 303);
  });
}
