/**
 * Password reset links (docs/accounts-and-roles.md): a maintainer gives a user a one-time link,
 * and the person sets their own password with it, without a session. The schemas of these
 * operations live here with them.
 */
import { z } from 'zod';
import type { ApiOperation } from '../openapi.js';
import { oneUser } from '../api-responses.js';

/** The token, shown once: the link is `#/reset/<token>` on the box. */
export const passwordResetIssued = z.object({ token: z.string().regex(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){7}$/), expiresAt: z.iso.datetime({ offset: true }) });

/** A new user; without an initial password, with an activation link. */
export const createdUser = oneUser.extend({ activation: passwordResetIssued.optional() });

export const passwordResetBody = z.object({ token: z.string().min(1).max(256), newPassword: z.string().min(1).max(1024) }).strict();

const PASSWORD_RULES = ['PASSWORD_TOO_SHORT', 'PASSWORD_TOO_LONG', 'PASSWORD_COMMON', 'PASSWORD_CONTEXT'];

export const PASSWORD_RESET_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/users/{id}/password-reset',
    operationId: 'issuePasswordReset',
    summary: 'A one-time password reset link for another user (valid 24 hours, shown once; a newer one replaces it; an administrator’s after a second-factor re-authentication)',
    permission: 'users:manage',
    success: { '201': { description: 'the token of the link', json: passwordResetIssued } },
    errors: ['USER_NOT_FOUND', 'SELF_PASSWORD_RESET', 'REAUTH_REQUIRED', 'AUDIT_UNAVAILABLE'],
  },
  {
    method: 'post',
    path: '/password-reset',
    operationId: 'completePasswordReset',
    summary: 'Set one’s own password with a reset or activation link (spends it; ends the account’s sessions)',
    open: true,
    body: passwordResetBody,
    success: { '204': { description: 'the password is set; sign in with it' } },
    errors: ['PASSWORD_RESET_INVALID', ...PASSWORD_RULES, 'AUTH_BUSY', 'AUDIT_UNAVAILABLE'],
  },
];
