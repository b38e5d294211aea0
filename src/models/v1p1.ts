/**
 * OneRoster 1.1 record schemas. Each parses one wire record into the normalised (1.2-like) shape
 * of `./types`: the user's `role` + `orgs` become `roles[]` (one primary role per org) and
 * `primaryOrg` (the first org), `enabledUser` defaults to `true`, `periods` strings are split,
 * missing `terms` become `[]`, and the tolerances of the 1.2 schemas apply too.
 *
 * Each does what `parseRecord` does (`null` treated as absent, checks, normalisation) except
 * linking the raw record; `parseRecord` is faster for bulk data (it skips zod's output building).
 *
 * @example
 * ```ts
 * import { v1p1 } from '@smartpass/oneroster';
 * const user = v1p1.userSchema.parse(json.user); // user.roles[0].role === json.user.role
 * ```
 *
 * @module
 */
import type * as z from 'zod';
import { recordSchema } from './record-schema';
import {
  academicSessionObject,
  classObjectV1p1,
  courseObject,
  demographicsObject,
  enrollmentObject,
  orgObject,
  userObjectV1p1,
} from './shapes';

/** 1.1 `Org.Type`. */
export const orgSchema = recordSchema('orgs', '1.1', orgObject);
/** 1.1 `AcademicSession.Type`. */
export const academicSessionSchema = recordSchema('academicSessions', '1.1', academicSessionObject);
/** 1.1 `Course.Type`. */
export const courseSchema = recordSchema('courses', '1.1', courseObject);
/** 1.1 `Class.Type`: `school` required; `terms` optional (defaults to `[]`). */
export const classSchema = recordSchema('classes', '1.1', classObjectV1p1);
/** 1.1 `Enrollment.Type`. */
export const enrollmentSchema = recordSchema('enrollments', '1.1', enrollmentObject);
/** 1.1 `Demographic.Type`. */
export const demographicsSchema = recordSchema('demographics', '1.1', demographicsObject);
/** 1.1 `User.Type`: `role` and at least one org (or 1.2 `roles`, which some 1.1 servers send). */
export const userSchema = recordSchema('users', '1.1', userObjectV1p1);

/** A 1.1 org as sent on the wire. */
export type OrgWire = z.input<typeof orgObject>;
/** A 1.1 academic session as sent on the wire. */
export type AcademicSessionWire = z.input<typeof academicSessionObject>;
/** A 1.1 course as sent on the wire. */
export type CourseWire = z.input<typeof courseObject>;
/** A 1.1 class as sent on the wire. */
export type ClassWire = z.input<typeof classObjectV1p1>;
/** A 1.1 enrollment as sent on the wire. */
export type EnrollmentWire = z.input<typeof enrollmentObject>;
/** A 1.1 demographics record as sent on the wire. */
export type DemographicsWire = z.input<typeof demographicsObject>;
/** A 1.1 user as sent on the wire. */
export type UserWire = z.input<typeof userObjectV1p1>;
