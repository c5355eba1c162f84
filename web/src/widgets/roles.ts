// Role names in the user's language, and the notice of a change of one's own roles.
import { formatTime, t, tryT } from '../i18n.js';
import type { RoleNotice } from '../session.js';

export const ROLES = ['agent', 'supervisor', 'quality-expert', 'technical-maintainer', 'phone-admin', 'registrar'];

export const roleName = (role: string): string => tryT(`role.${role}`) ?? role;

export const roleNames = (roles: readonly string[]): string => (roles.length === 0 ? '–' : roles.map(roleName).join(', '));

export function roleNoticeText(notice: RoleNotice): string {
  return t('notice.roles', { when: formatTime(notice.changedAt), before: roleNames(notice.before), after: roleNames(notice.after) });
}
