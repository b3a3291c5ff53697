// Profiles in the moderators' common queue (/admin/moderation?kind=profile): those
// with open dating reports and those hidden by an «underage» report. The queue
// shows the reasons and links to the profile's page in /admin/dating, where the
// photos are; a decision there or here: approve (dismiss the reports, lift the
// hold), reject (ban: hidden from everyone), delete (the profile goes).
import type { ModeratedKind, QueueItem } from '../moderation/index.js';
import type { DatingAdmin, ReportedProfile } from './admin.js';

export function profileQueue({ admin, deleteProfile }: { admin: DatingAdmin; deleteProfile: (userId: number) => Promise<boolean> }): ModeratedKind {
  const item = (p: ReportedProfile): QueueItem => ({
    kind: 'profile',
    id: p.userId,
    body: `${p.name}: ${p.reports.map((r) => (r.text ? `${r.reason} — ${r.text}` : r.reason)).join('; ') || p.held || ''}`,
    authorId: p.userId,
    authorName: p.name,
    createdAt: p.firstAt,
    held: p.held === 'underage',
    heldReasons: p.held === 'underage' ? ['underage'] : [],
    context: { title: p.name, url: `/admin/dating/profiles/${p.userId}` },
    scope: null,
  });
  return {
    kind: 'profile',
    held: async (limit) => (await admin.reported(limit)).map(item),
    heldCount: () => admin.reportedCount(),
    items: async (ids) => (await admin.reported(ids.length, ids)).map(item),
    async decide(id, decision) {
      if (decision === 'approve') await admin.dismiss(id);
      else if (decision === 'reject') await admin.ban(id);
      else await deleteProfile(id);
    },
    // Profiles are never reported through the generic route (their subject describes
    // nothing), so no count of readers holds one: «underage» hides at once instead.
    async hold() {},
  };
}
