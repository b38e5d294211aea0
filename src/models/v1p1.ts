/**
 * OneRoster 1.1 record schemas. Each parses one wire record into the normalised (1.2-like) shape
 * of `./types`: the user's `role` + `orgs` become `roles[]` (one primary role per org) and
 * `primaryOrg` (the first org), `enabledUser` defaults to `true`, `periods` strings are split,
 * missing `terms` become `[]`, and the tolerances of the 1.2 schemas apply too.
 *
 * These schemas expect `null` values to be gone already; `parseRecord` removes them (`null` is
 * treated as absent) and is the function to use for wire data.
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
import { finishClassV1p1, finishUser, zodReporter } from './normalize';
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
export const orgSchema = orgObject;
/** 1.1 `AcademicSession.Type`. */
export const academicSessionSchema = academicSessionObject;
/** 1.1 `Course.Type`. */
export const courseSchema = courseObject;
/** 1.1 `Class.Type`: `school` required; `terms` optional (defaults to `[]`). */
export const classSchema = classObjectV1p1.transform((cls) => finishClassV1p1(cls, undefined));
/** 1.1 `Enrollment.Type`. */
export const enrollmentSchema = enrollmentObject;
/** 1.1 `Demographic.Type`. */
export const demographicsSchema = demographicsObject;
/** 1.1 `User.Type`: `role` and at least one org (or 1.2 `roles`, which some 1.1 servers send). */
export const userSchema = userObjectV1p1.transform((user, ctx) =>
  finishUser(user, '1.1', undefined, zodReporter(ctx)),
);

/** A 1.1 org as sent on the wire. */
export type OrgWire = z.input<typeof orgSchema>;
/** A 1.1 academic session as sent on the wire. */
export type AcademicSessionWire = z.input<typeof academicSessionSchema>;
/** A 1.1 course as sent on the wire. */
export type CourseWire = z.input<typeof courseSchema>;
/** A 1.1 class as sent on the wire. */
export type ClassWire = z.input<typeof classSchema>;
/** A 1.1 enrollment as sent on the wire. */
export type EnrollmentWire = z.input<typeof enrollmentSchema>;
/** A 1.1 demographics record as sent on the wire. */
export type DemographicsWire = z.input<typeof demographicsSchema>;
/** A 1.1 user as sent on the wire. */
export type UserWire = z.input<typeof userSchema>;
