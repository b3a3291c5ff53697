// The reader's dating pages: the invitation (anonymous), the profile form (signed
// in, no profile), the card stream, search, «Вы понравились», matches, a profile,
// and «Моя анкета» (edit, photos, verification, visibility, blocks, deletion).
// Everything here is per reader and never page-cached.
import type { PageContext } from '../../../web/context.js';
import type { I18n } from '../../../platform/i18n/index.js';
import { INTENTIONS, INTERESTS, REPORT_REASONS, SEEKS, GENDERS, VISIBILITIES } from '../schema.js';
import { ABOUT_MAX, REPORT_MESSAGES_MAX, type Card, type OwnProfile, type SearchFilters } from '../service.js';
import type { ReceivedMessage } from '../../messages/index.js';
import { MAX_PHOTOS } from '../photos.js';
import type { ImageRef } from '../../media/index.js';
import { Picture } from '../../../web/components/picture.js';
import { ActionForm, DatingFrame, Face, Meta, Tiles, type Photos } from './parts.js';

export function Landing({ ctx }: { ctx: PageContext }) {
  const { i18n } = ctx;
  return (
    <DatingFrame ctx={ctx} title={i18n.t('dating.title')} nav={false}>
      <div class="dating-invite">
        <p class="dating-invite__lead">{i18n.t('dating.intro')}</p>
        <p class="dating-invite__points">{i18n.t('dating.intro.points')}</p>
        <p class="dating-invite__actions">
          <a class="button" href="/login?next=/dating/">
            {i18n.t('dating.signIn')}
          </a>{' '}
          <a href="/register">{i18n.t('dating.register')}</a>
        </p>
      </div>
    </DatingFrame>
  );
}

export interface FormValues {
  birthDate?: string;
  displayName?: string;
  gender?: string;
  seek?: string;
  ageMin?: number;
  ageMax?: number;
  intention?: string;
  district?: string;
  about?: string;
  interests?: string[];
  visibility?: string;
  teaser?: boolean;
}

function Choice({ name, values, value, label, i18n, prefix }: { name: string; values: readonly string[]; value?: string; label: string; i18n: I18n; prefix: string }) {
  return (
    <label>
      {label}
      <select name={name} required>
        {values.map((v) => (
          <option value={v} selected={v === value}>
            {i18n.t(`${prefix}.${v}` as never)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The profile's fields; `create` adds the birth date, the consent and the rules. */
function ProfileFields({ i18n, v, districts, create }: { i18n: I18n; v: FormValues; districts: string[]; create: boolean }) {
  return (
    <>
      {create && (
        <label>
          {i18n.t('dating.field.birthDate')}
          <input type="date" name="birthDate" required value={v.birthDate ?? ''} max="2100-01-01" />
          <small>{i18n.t('dating.field.birthDateHint')}</small>
        </label>
      )}
      <label>
        {i18n.t('dating.field.name')}
        <input name="displayName" required minLength={2} maxLength={40} value={v.displayName ?? ''} autoComplete="given-name" />
      </label>
      <div class="dating-form__row">
        <Choice name="gender" values={GENDERS} value={v.gender} label={i18n.t('dating.field.gender')} i18n={i18n} prefix="dating.gender" />
        <Choice name="seek" values={SEEKS} value={v.seek} label={i18n.t('dating.field.seek')} i18n={i18n} prefix="dating.seek" />
      </div>
      <fieldset class="dating-form__row">
        <legend>{i18n.t('dating.field.ageRange')}</legend>
        <label>
          {i18n.t('dating.field.ageMin')}
          <input type="number" name="ageMin" min={18} max={99} required value={String(v.ageMin ?? 18)} />
        </label>
        <label>
          {i18n.t('dating.field.ageMax')}
          <input type="number" name="ageMax" min={18} max={99} required value={String(v.ageMax ?? 99)} />
        </label>
      </fieldset>
      <div class="dating-form__row">
        <Choice name="intention" values={INTENTIONS} value={v.intention} label={i18n.t('dating.field.intention')} i18n={i18n} prefix="dating.intention" />
        <label>
          {i18n.t('dating.field.district')}
          <select name="district" required>
            {districts.map((d) => (
              <option value={d} selected={d === v.district}>
                {d}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        {i18n.t('dating.field.about', { max: ABOUT_MAX })}
        <textarea name="about" rows={5} maxLength={ABOUT_MAX}>
          {v.about ?? ''}
        </textarea>
      </label>
      <fieldset class="dating-form__interests">
        <legend>{i18n.t('dating.field.interests')}</legend>
        <div class="dating-chips">
          {INTERESTS.map((i) => (
            <label class="dating-chip">
              <input type="checkbox" name="interests" value={i} checked={v.interests?.includes(i)} /> {i18n.t(`dating.interest.${i}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {!create && (
        <>
          <Choice name="visibility" values={VISIBILITIES} value={v.visibility} label={i18n.t('dating.field.visibility')} i18n={i18n} prefix="dating.visibility" />
          <label class="dating-check">
            <input type="checkbox" name="teaser" value="1" checked={v.teaser} /> {i18n.t('dating.field.teaser')}
          </label>
        </>
      )}
    </>
  );
}

export function CreatePage({ ctx, csrf, values, districts, error }: { ctx: PageContext; csrf: string; values: FormValues; districts: string[]; error?: string }) {
  const { i18n } = ctx;
  return (
    <DatingFrame ctx={ctx} title={i18n.t('dating.create.title')} nav={false} error={error}>
      <p>{i18n.t('dating.create.lead')}</p>
      <form class="form dating-form" method="post" action="/dating/profile">
        <input type="hidden" name="_csrf" value={csrf} />
        <ProfileFields i18n={i18n} v={values} districts={districts} create />
        <p class="dating-consent">{i18n.t('dating.consent.text')}</p>
        <label class="dating-check">
          <input type="checkbox" name="consent" value="1" required /> {i18n.t('dating.consent.label')}
        </label>
        <label class="dating-check">
          <input type="checkbox" name="rules" value="1" required /> {i18n.t('dating.rules.label')}
        </label>
        <button class="button" type="submit">
          {i18n.t('dating.create.submit')}
        </button>
      </form>
    </DatingFrame>
  );
}

export function HeldPage({ ctx, held }: { ctx: PageContext; held: 'underage' | 'banned' }) {
  const { i18n } = ctx;
  return (
    <DatingFrame ctx={ctx} title={i18n.t('dating.title')} nav={false}>
      <p class="notice notice--error">{i18n.t(held === 'underage' ? 'dating.held.underage' : 'dating.held.banned')}</p>
      <p>
        <a href="/dating/me">{i18n.t('dating.privacy.title')}</a>
      </p>
    </DatingFrame>
  );
}

/** One card of the stream, with like / skip and undo. */
export function StreamPage({ ctx, csrf, card, photos, notice, canUndo }: { ctx: PageContext; csrf: string; card: Card | null; photos: Photos; notice?: string; canUndo: boolean }) {
  const { i18n } = ctx;
  return (
    <DatingFrame ctx={ctx} title={i18n.t('dating.title')} notice={notice}>
      {card ? (
        <article class="dating-stream" data-island="dating-swipe" data-id={String(card.id)} data-hint={i18n.t('dating.swipe.hint')}>
          <a href={`/dating/p/${card.id}`} class="dating-stream__face">
            <Face card={card} photos={photos} i18n={i18n} size="large" />
          </a>
          <div class="dating-stream__body">
            <h2>
              <a href={`/dating/p/${card.id}`}>{card.name}</a>
            </h2>
            <Meta card={card} i18n={i18n} />
            {card.about && <p class="dating-about">{card.about.length > 280 ? `${card.about.slice(0, 280)}…` : card.about}</p>}
            <div class="dating-stream__actions">
              <ActionForm action={`/dating/p/${card.id}/skip`} csrf={csrf} label={i18n.t('dating.skip')} kind="skip" hidden={{ back: 'stream' }} />
              <ActionForm action={`/dating/p/${card.id}/like`} csrf={csrf} label={i18n.t('dating.like')} kind="like" hidden={{ back: 'stream' }} />
            </div>
          </div>
        </article>
      ) : (
        <p class="dating__empty">{i18n.t('dating.stream.empty')}</p>
      )}
      {canUndo && <ActionForm action="/dating/undo" csrf={csrf} label={i18n.t('dating.undo')} />}
    </DatingFrame>
  );
}

export function SearchPage({ ctx, filters, cards, photos, districts }: { ctx: PageContext; filters: SearchFilters; cards: Card[]; photos: Photos; districts: string[] }) {
  const { i18n } = ctx;
  return (
    <DatingFrame ctx={ctx} title={i18n.t('dating.search.title')}>
      <form class="form dating-search" method="get" action="/dating/search">
        <label>
          {i18n.t('dating.field.seek')}
          <select name="gender">
            <option value="">{i18n.t('dating.field.any')}</option>
            {GENDERS.map((g) => (
              <option value={g} selected={filters.gender === g}>
                {i18n.t(`dating.seek.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('dating.field.ageMin')}
          <input type="number" name="ageMin" min={18} max={99} value={filters.ageMin === undefined ? '' : String(filters.ageMin)} />
        </label>
        <label>
          {i18n.t('dating.field.ageMax')}
          <input type="number" name="ageMax" min={18} max={99} value={filters.ageMax === undefined ? '' : String(filters.ageMax)} />
        </label>
        <label>
          {i18n.t('dating.field.intention')}
          <select name="intention">
            <option value="">{i18n.t('dating.field.any')}</option>
            {INTENTIONS.map((g) => (
              <option value={g} selected={filters.intention === g}>
                {i18n.t(`dating.intention.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('dating.field.district')}
          <select name="district">
            <option value="">{i18n.t('dating.field.any')}</option>
            {districts.map((d) => (
              <option value={d} selected={filters.district === d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label class="dating-check">
          <input type="checkbox" name="photo" value="1" checked={filters.withPhoto} /> {i18n.t('dating.field.photo')}
        </label>
        <label class="dating-check">
          <input type="checkbox" name="online" value="1" checked={filters.online} /> {i18n.t('dating.field.online')}
        </label>
        <button class="button" type="submit">
          {i18n.t('dating.search.submit')}
        </button>
      </form>
      <p class="dating__hint">{i18n.t('dating.search.hint')}</p>
      <Tiles cards={cards} photos={photos} i18n={i18n} empty={i18n.t('dating.search.empty')} />
    </DatingFrame>
  );
}

export function ListPage({ ctx, title, cards, photos, empty }: { ctx: PageContext; title: string; cards: Card[]; photos: Photos; empty: string }) {
  return (
    <DatingFrame ctx={ctx} title={title}>
      <Tiles cards={cards} photos={photos} i18n={ctx.i18n} empty={empty} />
    </DatingFrame>
  );
}

export function MatchesPage({ ctx, matches, photos, chats, notice, reportAfter }: { ctx: PageContext; matches: (Card & { matchedAt: Date })[]; photos: Photos; chats: Map<number, string | null>; notice?: string; reportAfter?: number }) {
  const { i18n } = ctx;
  return (
    <DatingFrame ctx={ctx} title={i18n.t('dating.matches.title')} notice={notice}>
      {reportAfter && (
        <p class="dating__hint">
          <a href={`/dating/p/${reportAfter}/report`}>{i18n.t('dating.report.after')}</a>
        </p>
      )}
      {matches.length ? (
        <ul class="dating-matches">
          {matches.map((m) => (
            <li class="dating-match">
              <a href={`/dating/p/${m.id}`}>
                <Face card={m} photos={photos} i18n={i18n} size="small" />
              </a>
              <div>
                <a href={`/dating/p/${m.id}`} class="dating-match__name">
                  {m.name}
                </a>
                <p class="dating-match__since">{i18n.t('dating.matches.since', { when: i18n.when(m.matchedAt, ctx.now) })}</p>
              </div>
              {chats.get(m.id) && (
                <a class="button" href={chats.get(m.id)!}>
                  {i18n.t('dating.write')}
                </a>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="dating__empty">{i18n.t('dating.matches.empty')}</p>
      )}
    </DatingFrame>
  );
}

export function ProfilePage({
  ctx,
  csrf,
  card,
  photos,
  chat,
  notice,
  evidence = [],
}: {
  ctx: PageContext;
  csrf: string;
  card: Card & { matchedAt: Date | null; likedByMe: boolean; likesMe: boolean };
  photos: ImageRef[];
  chat: string | null;
  notice?: string;
  /** Messages from this person to the viewer, newest first, that a report may carry. */
  evidence?: ReceivedMessage[];
}) {
  const { i18n } = ctx;
  return (
    <DatingFrame ctx={ctx} title={card.name} notice={notice}>
      <article class="dating-profile">
        <div class="dating-profile__photos">
          {photos.length ? (
            photos.map((p, i) => <Picture class="dating-face dating-face--large" image={p} alt={i18n.t('dating.photo.of', { name: card.name })} sizes="(max-width: 600px) 100vw, 480px" eager={i === 0} />)
          ) : (
            <Face card={card} photos={new Map()} i18n={i18n} size="large" />
          )}
        </div>
        <div class="dating-profile__body">
          <Meta card={card} i18n={i18n} />
          {card.visibility === 'paused' && <p class="dating-mark">{i18n.t('dating.paused')}</p>}
          <p>
            <strong>{i18n.t('dating.intention')}:</strong> {i18n.t(`dating.intention.${card.intention}`)}
          </p>
          {card.about && (
            <>
              <h2>{i18n.t('dating.about')}</h2>
              <p class="dating-about">{card.about}</p>
            </>
          )}
          {card.interests.length > 0 && (
            <>
              <h2>{i18n.t('dating.interests')}</h2>
              <ul class="dating-interests">
                {card.interests.map((i) => (
                  <li>{i18n.t(`dating.interest.${i}`)}</li>
                ))}
              </ul>
            </>
          )}
          {card.likesMe && !card.matchedAt && <p class="dating-mark">{i18n.t('dating.likesYou')}</p>}
          <div class="dating-profile__actions">
            {card.matchedAt ? (
              <>
                {chat ? (
                  <a class="button" href={chat}>
                    {i18n.t('dating.chat')}
                  </a>
                ) : (
                  <p class="dating__hint">{i18n.t('dating.chatUnavailable')}</p>
                )}
                <ActionForm action={`/dating/p/${card.id}/unmatch`} csrf={csrf} label={i18n.t('dating.unmatch')} />
              </>
            ) : card.likedByMe ? (
              <p class="dating-mark">{i18n.t('dating.youLiked')}</p>
            ) : (
              <>
                <ActionForm action={`/dating/p/${card.id}/like`} csrf={csrf} label={i18n.t('dating.like')} kind="like" />
                <ActionForm action={`/dating/p/${card.id}/skip`} csrf={csrf} label={i18n.t('dating.skip')} kind="skip" />
              </>
            )}
            <ActionForm action={`/dating/p/${card.id}/block`} csrf={csrf} label={i18n.t('dating.block')} kind="danger" />
          </div>
          <details class="dating-report">
            <summary>{i18n.t('dating.report')}</summary>
            <ReportForm ctx={ctx} csrf={csrf} targetId={card.id} evidence={evidence} />
          </details>
        </div>
      </article>
      <p>
        <a href="/dating/">{i18n.t('dating.back')}</a>
      </p>
    </DatingFrame>
  );
}

export interface OwnPhoto {
  id: number;
  status: 'pending' | 'approved' | 'rejected';
  image: ImageRef | undefined;
}

/** The report form: reasons, details, and the messages from the reported person the reporter may attach. */
export function ReportForm({ ctx, csrf, targetId, evidence }: { ctx: PageContext; csrf: string; targetId: number; evidence: ReceivedMessage[] }) {
  const { i18n } = ctx;
  return (
    <form class="form dating-report__form" method="post" action={`/dating/p/${targetId}/report`}>
      <input type="hidden" name="_csrf" value={csrf} />
      <fieldset>
        <legend>{i18n.t('dating.report.reason')}</legend>
        {REPORT_REASONS.map((r, i) => (
          <label class="dating-check">
            <input type="radio" name="reason" value={r} required checked={i === 0} /> {i18n.t(`dating.reason.${r}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {i18n.t('dating.report.text')}
        <textarea name="text" rows={3} maxLength={1000} />
      </label>
      <fieldset class="dating-report__messages">
        <legend>{i18n.t('dating.report.messages')}</legend>
        {evidence.length ? (
          <>
            <p class="dating__hint">{i18n.t('dating.report.messagesHint')}</p>
            <label class="dating-check">
              <input type="checkbox" name="attachLast" value="1" /> {i18n.plural('dating.report.attachLast', Math.min(evidence.length, REPORT_MESSAGES_MAX))}
            </label>
            <ul class="dating-report__list">
              {evidence.map((m) => (
                <li>
                  <label class="dating-check dating-report__message">
                    <input type="checkbox" name="messages" value={String(m.id)} />
                    <span>
                      <time class="muted" dateTime={m.at.toISOString()}>
                        {i18n.when(m.at, ctx.now)}
                      </time>
                      <span class="dating-report__text">{m.text}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p class="dating__hint">{i18n.t('dating.report.noMessages')}</p>
        )}
      </fieldset>
      <button class="button" type="submit">
        {i18n.t('dating.report')}
      </button>
    </form>
  );
}

/** The report on a page of its own: reachable after an unmatch too, when the profile page is not. */
export function ReportPage({ ctx, csrf, target, evidence }: { ctx: PageContext; csrf: string; target: { id: number; name: string | null }; evidence: ReceivedMessage[] }) {
  return (
    <DatingFrame ctx={ctx} title={target.name === null ? ctx.i18n.t('dating.report') : ctx.i18n.t('dating.report.title', { name: target.name })}>
      <div class="dating-report dating-report--page">
        <ReportForm ctx={ctx} csrf={csrf} targetId={target.id} evidence={evidence} />
      </div>
    </DatingFrame>
  );
}

export function MePage({
  ctx,
  csrf,
  profile,
  photos,
  districts,
  verification,
  pose,
  blocked,
  notice,
  error,
}: {
  ctx: PageContext;
  csrf: string;
  profile: OwnProfile;
  photos: OwnPhoto[];
  districts: string[];
  verification: string;
  pose: string | null;
  blocked: { id: number; name: string }[];
  notice?: string;
  error?: string;
}) {
  const { i18n } = ctx;
  const values: FormValues = { ...profile };
  return (
    <DatingFrame ctx={ctx} title={i18n.t('dating.nav.me')} notice={notice} error={error}>
      {profile.held && <p class="notice notice--error">{i18n.t(profile.held === 'underage' ? 'dating.held.underage' : 'dating.held.banned')}</p>}
      <p class="dating-card__meta">
        <span>{profile.displayName}</span>
        <span>{i18n.plural('dating.age', profile.age)}</span>
        {profile.verified && <span class="dating-mark dating-mark--verified">{i18n.t('dating.verified')}</span>}
      </p>
      <form class="form dating-form" method="post" action="/dating/me">
        <input type="hidden" name="_csrf" value={csrf} />
        <ProfileFields i18n={i18n} v={values} districts={districts} create={false} />
        <button class="button" type="submit">
          {i18n.t('dating.save')}
        </button>
      </form>

      <h2 id="photos">{i18n.t('dating.photos')}</h2>
      <p>{i18n.t('dating.photos.lead', { max: MAX_PHOTOS })}</p>
      <ul class="dating-own-photos">
        {photos.map((p) => (
          <li>
            {p.image && <Picture class="dating-face dating-face--small" image={p.image} alt="" sizes="120px" />}
            {p.status !== 'approved' && <span class="dating-mark">{i18n.t(p.status === 'pending' ? 'dating.photo.pending' : 'dating.photo.rejected')}</span>}
            <ActionForm action={`/dating/me/photos/${p.id}/delete`} csrf={csrf} label={i18n.t('dating.photos.remove')} />
          </li>
        ))}
      </ul>
      {photos.filter((p) => p.status !== 'rejected').length < MAX_PHOTOS && (
        <form class="form" method="post" action="/dating/me/photos" enctype="multipart/form-data">
          <input type="file" name="file" accept="image/*" required />
          <button class="button" type="submit">
            {i18n.t('dating.photos.add')}
          </button>
        </form>
      )}

      <h2 id="verify">{i18n.t('dating.verify.title')}</h2>
      <p>{i18n.t('dating.verify.lead')}</p>
      {verification === 'approved' || profile.verified ? (
        <p class="dating-mark dating-mark--verified">{i18n.t('dating.verify.done')}</p>
      ) : verification === 'pending' ? (
        <p>{i18n.t('dating.verify.pending')}</p>
      ) : pose ? (
        <form class="form" method="post" action="/dating/me/verification" enctype="multipart/form-data">
          <p>
            <strong>{i18n.t('dating.verify.pose', { pose: i18n.t(`dating.pose.${pose}` as never) })}</strong>
          </p>
          <input type="file" name="file" accept="image/*" capture="user" required />
          <button class="button" type="submit">
            {i18n.t('dating.verify.send')}
          </button>
        </form>
      ) : (
        <>
          {verification === 'rejected' && <p>{i18n.t('dating.verify.rejected')}</p>}
          <ActionForm action="/dating/me/verification/pose" csrf={csrf} label={i18n.t('dating.verify.ask')} />
        </>
      )}

      {blocked.length > 0 && (
        <>
          <h2>{i18n.t('dating.blockedList')}</h2>
          <ul class="dating-blocked">
            {blocked.map((b) => (
              <li>
                {b.name} <ActionForm action={`/dating/p/${b.id}/unblock`} csrf={csrf} label={i18n.t('dating.unblock')} />
              </li>
            ))}
          </ul>
        </>
      )}

      <h2 id="delete">{i18n.t('dating.privacy.title')}</h2>
      <p>{i18n.t('dating.delete.lead')}</p>
      <form class="form" method="post" action="/dating/me/delete">
        <input type="hidden" name="_csrf" value={csrf} />
        <label class="dating-check">
          <input type="checkbox" name="confirm" value="1" required /> {i18n.t('dating.delete.confirm')}
        </label>
        <button class="button button--danger" type="submit">
          {i18n.t('dating.delete')}
        </button>
      </form>
    </DatingFrame>
  );
}
