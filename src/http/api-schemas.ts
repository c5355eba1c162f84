/**
 * The request bodies and queries of the HTTP API, as zod schemas: they validate requests, give
 * the handlers their types, and are the source of /api/v1/openapi.json.
 */
import { z } from 'zod';
import { ROLES } from '../access/policy.js';
import { MAX_DISPLAY_NAME_INPUT_UNITS } from '../access/display-name.js';

const isoTime = z.iso.datetime({ offset: true });
/** Checked and normalised by the user store (access/display-name.ts), which names the reason. */
const displayName = z.string().max(MAX_DISPLAY_NAME_INPUT_UNITS);

export const loginBody = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(1024),
    totpCode: z.string().regex(/^[0-9]{6}$/).optional(),
  })
  .strict();

export const setupBody = z
  .object({
    token: z.string().min(8).max(128),
    username: z.string().min(3).max(64),
    displayName,
    password: z.string().min(1).max(1024),
  })
  .strict();

export const passwordChangeBody = z.object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) }).strict();

export const totpConfirmBody = z.object({ code: z.string().regex(/^[0-9]{6}$/) }).strict();

/** Empty for a first factor; replacing an active one needs the password and a current code of it. */
export const totpBeginBody = z.object({ password: z.string().min(1).max(1024).optional(), code: z.string().regex(/^[0-9]{6}$/).optional() }).strict();

export const reauthenticateBody = z.object({ password: z.string().min(1).max(1024), totpCode: z.string().regex(/^[0-9]{6}$/).optional() }).strict();

const roleList = z.array(z.enum(ROLES)).min(1).max(ROLES.length);
const extensionList = z.array(z.string().regex(/^[0-9]{1,12}$/)).max(20);

export const userCreateBody = z
  .object({
    username: z.string().min(3).max(64),
    displayName,
    roles: roleList,
    extensions: extensionList.optional(),
    /** Absent: the answer carries an activation link with which the person sets their own. */
    password: z.string().min(1).max(1024).optional(),
  })
  .strict();

export const userUpdateBody = z
  .object({
    displayName: displayName.optional(),
    roles: roleList.optional(),
    extensions: extensionList.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');

const booleanString = z.enum(['true', 'false']).transform((value) => value === 'true');

/** A call's tag: letters, digits, space, hyphen and underscore; 1-32 characters. */
export const callTag = z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N} _-]{0,31}$/u);

export const callSearchQuery = z
  .object({
    from: isoTime.optional(),
    to: isoTime.optional(),
    caller: z.string().min(1).max(32).optional(),
    service: z.string().min(1).max(32).optional(),
    agent: z.string().min(1).max(100).optional(),
    recorded: booleanString.optional(),
    /** Whole seconds; a call still going on has no duration and is left out of such a search. */
    minDuration: z.coerce.number().int().min(0).max(86_400).optional(),
    maxDuration: z.coerce.number().int().min(0).max(86_400).optional(),
    /** A tag of the call, in any letter case (tags are stored in lower case). */
    tag: callTag.optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
  .refine((query) => query.minDuration === undefined || query.maxDuration === undefined || query.minDuration <= query.maxDuration, 'minDuration is over maxDuration');

export const exportQuery = z.object({ purpose: z.enum(['data-subject-copy', 'police-disclosure', 'research-anonymised']) }).strict();

export const auditSearchQuery = z
  .object({
    from: isoTime.optional(),
    to: isoTime.optional(),
    action: z.string().min(1).max(64).optional(),
    actor: z.uuid().optional(),
    /** A part of a person's name or user name, any case. */
    who: z.string().trim().min(1).max(100).optional(),
    /** Leave out the reader's own reading of the trail. */
    hideOwnReads: booleanString.optional(),
    target: z.string().min(1).max(64).optional(),
    outcome: z.enum(['success', 'denied', 'failed']).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const idParam = z.uuid();
