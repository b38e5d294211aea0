/**
 * OneRoster 1.2 record schemas. Each parses one wire record (as found inside a collection or
 * single-object response) into the normalised shape of `./types`: string booleans become
 * booleans, dates are normalised, references get their 1.2 `type`, unknown fields are kept.
 *
 * These schemas expect `null` values to be gone already; `parseRecord` removes them (`null` is
 * treated as absent) and is the function to use for wire data.
 *
 * @example
 * ```ts
 * import { v1p2 } from '@smartpass/oneroster';
 * const user = v1p2.userSchema.parse(json.user);
 * ```
 *
 * @module
 */
import type * as z from 'zod';
import { finishUser, zodReporter } from './normalize';
import {
  academicSessionObject,
  classObjectV1p2,
  courseObject,
  demographicsObject,
  enrollmentObject,
  orgObject,
  userObjectV1p2,
} from './shapes';

/** 1.2 `OrgDType`. */
export const orgSchema = orgObject;
/** 1.2 `AcademicSessionDType`. */
export const academicSessionSchema = academicSessionObject;
/** 1.2 `CourseDType`. */
export const courseSchema = courseObject;
/** 1.2 `ClassDType`: `school` and at least one term required. */
export const classSchema = classObjectV1p2;
/** 1.2 `EnrollmentDType`. */
export const enrollmentSchema = enrollmentObject;
/** 1.2 `DemographicsDType`. */
export const demographicsSchema = demographicsObject;
/** 1.2 `UserDType`: at least one role; a missing `enabledUser` is read as `true`. */
export const userSchema = userObjectV1p2.transform((user, ctx) =>
  finishUser(user, '1.2', undefined, zodReporter(ctx)),
);

/** A 1.2 org as sent on the wire. */
export type OrgWire = z.input<typeof orgSchema>;
/** A 1.2 academic session as sent on the wire. */
export type AcademicSessionWire = z.input<typeof academicSessionSchema>;
/** A 1.2 course as sent on the wire. */
export type CourseWire = z.input<typeof courseSchema>;
/** A 1.2 class as sent on the wire. */
export type ClassWire = z.input<typeof classSchema>;
/** A 1.2 enrollment as sent on the wire. */
export type EnrollmentWire = z.input<typeof enrollmentSchema>;
/** A 1.2 demographics record as sent on the wire. */
export type DemographicsWire = z.input<typeof demographicsSchema>;
/** A 1.2 user as sent on the wire. */
export type UserWire = z.input<typeof userSchema>;
