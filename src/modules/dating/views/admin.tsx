// The back office's dating pages: what waits (photos, reports, verification
// requests) with the decisions beside each, the figures per day, and one profile
// as staff see it (every photo, open reports, ban / unban / delete).
import type { PageContext } from '../../../web/context.js';
import { AdminLayout, type AdminNavItem } from '../../../web/admin.js';
import { Picture } from '../../../web/components/picture.js';
import type { ImageRef } from '../../media/index.js';
import type { DayFigures, ReportedProfile } from '../admin.js';
import type { ReportedMessage } from '../schema.js';
import type { I18n } from '../../../platform/i18n/index.js';
import type { OwnProfile } from '../service.js';

function Decide({ action, csrf, label, value, danger }: { action: string; csrf: string; label: string; value?: string; danger?: boolean }) {
  return (
    <form class="dating-admin__form" method="post" action={action}>
      <input type="hidden" name="_csrf" value={csrf} />
      {value && <input type="hidden" name="decision" value={value} />}
      <button class={danger ? 'button button--danger' : 'button'} type="submit">
        {label}
      </button>
    </form>
  );
}

/** The messages a report carries (copied when it was made): text as text, time, sender. */
function Evidence({ i18n, messages, sender }: { i18n: I18n; messages: ReportedMessage[]; sender: string }) {
  if (!messages.length) return null;
  return (
    <details class="dating-admin__evidence" open>
      <summary>
        {i18n.t('dating.admin.messages')} ({messages.length})
      </summary>
      <ol class="dating-admin__messages">
        {messages.map((m) => (
          <li>
            <p class="dating-admin__meta">
              <b>{sender}</b> · <time dateTime={m.at}>{i18n.dateTime(new Date(m.at))}</time>
              <span class="muted"> · #{m.id}</span>
            </p>
            <p class="dating-admin__text">{m.text}</p>
          </li>
        ))}
      </ol>
    </details>
  );
}

const Thumb = ({ image }: { image: ImageRef | undefined }) => (image ? <Picture class="dating-admin__photo" image={image} alt="" sizes="160px" /> : <span class="dating-admin__photo">—</span>);

export interface DatingAdminModel {
  photos: { id: number; userId: number; name: string; image: ImageRef | undefined; createdAt: Date }[];
  reports: ReportedProfile[];
  verifications: { id: number; userId: number; name: string; pose: string; image: ImageRef | undefined; profilePhotos: ImageRef[] }[];
  stats: DayFigures[];
  totals: { profiles: number; matches: number; openReports: number };
}

export function DatingAdminPage({ ctx, nav, csrf, model, notice }: { ctx: PageContext; nav: AdminNavItem[]; csrf: string; model: DatingAdminModel; notice?: string }) {
  const { i18n } = ctx;
  const none = <p class="muted">{i18n.t('dating.admin.none')}</p>;
  return (
    <AdminLayout ctx={ctx} title={i18n.t('dating.admin')} nav={nav}>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>{i18n.t('dating.admin.totals', { profiles: model.totals.profiles, matches: model.totals.matches, reports: model.totals.openReports })}</p>
      <h2 id="photos">{i18n.t('dating.admin.photos')}</h2>
      {model.photos.length ? (
        <ul class="dating-admin__grid">
          {model.photos.map((p) => (
            <li>
              <Thumb image={p.image} />
              <a href={`/admin/dating/profiles/${p.userId}`}>{p.name}</a>
              <div class="dating-admin__buttons">
                <Decide action={`/admin/dating/photos/${p.id}`} csrf={csrf} label={i18n.t('dating.admin.approve')} value="approve" />
                <Decide action={`/admin/dating/photos/${p.id}`} csrf={csrf} label={i18n.t('dating.admin.reject')} value="reject" danger />
              </div>
            </li>
          ))}
        </ul>
      ) : (
        none
      )}
      <h2 id="reports">{i18n.t('dating.admin.reports')}</h2>
      {model.reports.length ? (
        <ul class="dating-admin__list">
          {model.reports.map((r) => (
            <li>
              <a href={`/admin/dating/profiles/${r.userId}`}>{r.name}</a>
              {r.held === 'underage' && <span class="dating-mark"> {i18n.t('dating.admin.hidden')}</span>}
              <ul>
                {r.reports.map((x) => (
                  <li>
                    {i18n.t(`dating.reason.${x.reason}`)}
                    {x.text && <> <q>{x.text}</q></>} <span class="muted">{i18n.when(x.at, ctx.now)}</span>
                    <Evidence i18n={i18n} messages={x.messages} sender={r.name} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        none
      )}
      <h2 id="verifications">{i18n.t('dating.admin.verifications')}</h2>
      {model.verifications.length ? (
        <ul class="dating-admin__list">
          {model.verifications.map((v) => (
            <li class="dating-admin__verify">
              <p>
                <a href={`/admin/dating/profiles/${v.userId}`}>{v.name}</a> — {i18n.t('dating.admin.verifyPose', { pose: i18n.t(`dating.pose.${v.pose}` as never) })}
              </p>
              <div class="dating-admin__compare">
                <Thumb image={v.image} />
                {v.profilePhotos.map((p) => (
                  <Thumb image={p} />
                ))}
              </div>
              <div class="dating-admin__buttons">
                <Decide action={`/admin/dating/verifications/${v.id}`} csrf={csrf} label={i18n.t('dating.admin.approve')} value="approve" />
                <Decide action={`/admin/dating/verifications/${v.id}`} csrf={csrf} label={i18n.t('dating.admin.reject')} value="reject" danger />
              </div>
            </li>
          ))}
        </ul>
      ) : (
        none
      )}
      <h2 id="stats">{i18n.t('dating.admin.stats')}</h2>
      <p class="muted">{i18n.t('dating.admin.statsNote')}</p>
      <div class="table-scroll">
        <table class="dating-admin__stats">
          <thead>
            <tr>
              <th>{i18n.t('dating.admin.day')}</th>
              <th>{i18n.t('dating.admin.profiles')}</th>
              <th>{i18n.t('dating.admin.matchesCol')}</th>
              <th>{i18n.t('dating.admin.reportsCol')}</th>
              <th>{i18n.t('dating.admin.deletions')}</th>
            </tr>
          </thead>
          <tbody>
            {model.stats.map((s) => (
              <tr>
                <td>{s.day}</td>
                <td>{s.profiles}</td>
                <td>{s.matches}</td>
                <td>{s.reports}</td>
                <td>{s.deletions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </AdminLayout>
  );
}

export function DatingAdminProfile({ ctx, nav, csrf, profile, photos, reports }: { ctx: PageContext; nav: AdminNavItem[]; csrf: string; profile: OwnProfile; photos: { image: ImageRef | undefined; status: string }[]; reports: ReportedProfile | undefined }) {
  const { i18n } = ctx;
  const base = `/admin/dating/profiles/${profile.userId}`;
  return (
    <AdminLayout ctx={ctx} title={`${profile.displayName}, ${i18n.plural('dating.age', profile.age)}`} nav={nav}>
      <p>
        {i18n.t('dating.district', { district: profile.district })} · {i18n.t(`dating.visibility.${profile.visibility}`)}
        {profile.held && ` · ${i18n.t(profile.held === 'underage' ? 'dating.admin.hidden' : 'dating.held.banned')}`}
        {profile.verified && ` · ${i18n.t('dating.verified')}`}
      </p>
      <h2>{i18n.t('dating.admin.profilePhotos')}</h2>
      <div class="dating-admin__compare">
        {photos.map((p) => (
          <figure>
            <Thumb image={p.image} />
            <figcaption class="muted">{p.status}</figcaption>
          </figure>
        ))}
      </div>
      <h2>{i18n.t('dating.about')}</h2>
      <p class="dating-about">{profile.about}</p>
      {reports && reports.reports.length > 0 && (
        <>
          <h2>{i18n.t('dating.admin.reports')}</h2>
          <ul>
            {reports.reports.map((x) => (
              <li>
                {i18n.t(`dating.reason.${x.reason}`)}
                {x.text && <> <q>{x.text}</q></>} <span class="muted">{i18n.when(x.at, ctx.now)}</span>
                <Evidence i18n={i18n} messages={x.messages} sender={profile.displayName} />
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="dating-admin__buttons">
        <Decide action={`${base}/dismiss`} csrf={csrf} label={i18n.t('dating.admin.dismiss')} />
        {profile.held === 'banned' ? <Decide action={`${base}/unban`} csrf={csrf} label={i18n.t('dating.admin.unban')} /> : <Decide action={`${base}/ban`} csrf={csrf} label={i18n.t('dating.admin.ban')} danger />}
        <Decide action={`${base}/delete`} csrf={csrf} label={i18n.t('dating.admin.delete')} danger />
      </div>
    </AdminLayout>
  );
}
