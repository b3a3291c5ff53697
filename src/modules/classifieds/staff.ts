// Who runs the classifieds for the portal: moderators decide on ads, editors and
// admins also manage categories, verification and promotion.
import type { Role } from '../../platform/roles.js';

export const ADS_STAFF: Role[] = ['moderator', 'editor', 'admin'];
export const ADS_ADMINS: Role[] = ['editor', 'admin'];
