/**
 * OneRoster 1.2 record schemas. Each parses one wire record (as found inside a collection or
 * single-object response) into the normalised shape of `./types`: string booleans become
 * booleans, dates are normalised, references get their 1.2 `type`, unknown fields are kept.
 *
 * Each does what `parseRecord` does (`null` treated as absent, checks, normalisation) except
 * linking the raw record; `parseRecord` is faster for bulk data (it skips zod's output building).
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
import { recordSchema } from './record-schema';
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
export const orgSchema = recordSchema('orgs', '1.2', orgObject);
/** 1.2 `AcademicSessionDType`. */
export const academicSessionSchema = recordSchema('academicSessions', '1.2', academicSessionObject);
/** 1.2 `CourseDType`. */
export const courseSchema = recordSchema('courses', '1.2', courseObject);
/** 1.2 `ClassDType`: `school` and at least one term required. */
export const classSchema = recordSchema('classes', '1.2', classObjectV1p2);
/** 1.2 `EnrollmentDType`. */
export const enrollmentSchema = recordSchema('enrollments', '1.2', enrollmentObject);
/** 1.2 `DemographicsDType`. */
export const demographicsSchema = recordSchema('demographics', '1.2', demographicsObject);
/** 1.2 `UserDType`: at least one role; a missing `enabledUser` is read as `true`. */
export const userSchema = recordSchema('users', '1.2', userObjectV1p2);

/** A 1.2 org as sent on the wire. */
export type OrgWire = z.input<typeof orgObject>;
/** A 1.2 academic session as sent on the wire. */
export type AcademicSessionWire = z.input<typeof academicSessionObject>;
/** A 1.2 course as sent on the wire. */
export type CourseWire = z.input<typeof courseObject>;
/** A 1.2 class as sent on the wire. */
export type ClassWire = z.input<typeof classObjectV1p2>;
/** A 1.2 enrollment as sent on the wire. */
export type EnrollmentWire = z.input<typeof enrollmentObject>;
/** A 1.2 demographics record as sent on the wire. */
export type DemographicsWire = z.input<typeof demographicsObject>;
/** A 1.2 user as sent on the wire. */
export type UserWire = z.input<typeof userObjectV1p2>;
