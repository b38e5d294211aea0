/**
 * Compile-time checks (run by `tsc -p .`; vitest runs them as no-ops): each exported schema's
 * output type is exactly the normalised interface, every field of an interface is a field of the
 * schema's wire shape, and every field of the wire shape is a field of the interface (except the
 * 1.1 user fields that normalisation turns into `roles`).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import {
  type AcademicSession,
  type Class,
  type Course,
  type Demographics,
  type Enrollment,
  type Org,
  type ParseResult,
  parseRecord,
  type RecordTypes,
  type User,
  type v1p1,
  type v1p2,
} from '../../src/models';

/** The named keys of `T` (without its index signature). */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] };

describe('schema types', () => {
  it('exported schemas output the normalised interfaces', () => {
    expectTypeOf<z.output<typeof v1p2.orgSchema>>().toEqualTypeOf<Org>();
    expectTypeOf<z.output<typeof v1p2.academicSessionSchema>>().toEqualTypeOf<AcademicSession>();
    expectTypeOf<z.output<typeof v1p2.courseSchema>>().toEqualTypeOf<Course>();
    expectTypeOf<z.output<typeof v1p2.classSchema>>().toEqualTypeOf<Class>();
    expectTypeOf<z.output<typeof v1p2.userSchema>>().toEqualTypeOf<User>();
    expectTypeOf<z.output<typeof v1p2.enrollmentSchema>>().toEqualTypeOf<Enrollment>();
    expectTypeOf<z.output<typeof v1p2.demographicsSchema>>().toEqualTypeOf<Demographics>();
    expectTypeOf<z.output<typeof v1p1.orgSchema>>().toEqualTypeOf<Org>();
    expectTypeOf<z.output<typeof v1p1.academicSessionSchema>>().toEqualTypeOf<AcademicSession>();
    expectTypeOf<z.output<typeof v1p1.courseSchema>>().toEqualTypeOf<Course>();
    expectTypeOf<z.output<typeof v1p1.classSchema>>().toEqualTypeOf<Class>();
    expectTypeOf<z.output<typeof v1p1.userSchema>>().toEqualTypeOf<User>();
    expectTypeOf<z.output<typeof v1p1.enrollmentSchema>>().toEqualTypeOf<Enrollment>();
    expectTypeOf<z.output<typeof v1p1.demographicsSchema>>().toEqualTypeOf<Demographics>();
  });

  it('every interface field is a wire field of both versions, and vice versa', () => {
    expectTypeOf<Exclude<KnownKeys<Org>, KnownKeys<v1p2.OrgWire>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<v1p2.OrgWire>, KnownKeys<Org>>>().toBeNever();
    expectTypeOf<
      Exclude<KnownKeys<AcademicSession>, KnownKeys<v1p2.AcademicSessionWire>>
    >().toBeNever();
    expectTypeOf<
      Exclude<KnownKeys<v1p2.AcademicSessionWire>, KnownKeys<AcademicSession>>
    >().toBeNever();
    expectTypeOf<Exclude<KnownKeys<Course>, KnownKeys<v1p2.CourseWire>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<v1p2.CourseWire>, KnownKeys<Course>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<Class>, KnownKeys<v1p2.ClassWire>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<v1p2.ClassWire>, KnownKeys<Class>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<Class>, KnownKeys<v1p1.ClassWire>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<Enrollment>, KnownKeys<v1p2.EnrollmentWire>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<v1p2.EnrollmentWire>, KnownKeys<Enrollment>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<Demographics>, KnownKeys<v1p2.DemographicsWire>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<v1p2.DemographicsWire>, KnownKeys<Demographics>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<User>, KnownKeys<v1p2.UserWire>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<User>, KnownKeys<v1p1.UserWire>>>().toBeNever();
    expectTypeOf<Exclude<KnownKeys<v1p2.UserWire>, KnownKeys<User>>>().toEqualTypeOf<
      'role' | 'orgs'
    >();
  });

  it('wire fields that pass through unconverted have the interface type', () => {
    expectTypeOf<v1p2.UserWire['givenName']>().toEqualTypeOf<User['givenName']>();
    expectTypeOf<v1p2.OrgWire['name']>().toEqualTypeOf<Org['name']>();
    expectTypeOf<
      NonNullable<v1p1.UserWire['userIds']>[number]['identifier']
    >().toEqualTypeOf<string>();
    expectTypeOf<v1p2.EnrollmentWire['user']['sourcedId']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<v1p2.UserWire['metadata']>>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<NonNullable<v1p2.UserWire['grades']>>().toEqualTypeOf<string[] | string>();
    expectTypeOf<NonNullable<v1p1.EnrollmentWire['primary']>>().toEqualTypeOf<
      boolean | string | number
    >();
  });

  it('parseRecord returns the record type of its kind', () => {
    expectTypeOf(parseRecord<'users'>).returns.toEqualTypeOf<ParseResult<User>>();
    expectTypeOf<RecordTypes['enrollments']>().toEqualTypeOf<Enrollment>();
  });
});
