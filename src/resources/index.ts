/**
 * The resources of a {@link OneRosterClient}: one class per OneRoster collection, sharing one
 * generic implementation ({@link CollectionResource}).
 *
 * @module
 */
import { AcademicSessionsResource } from './academic-sessions';
import { ClassesResource } from './classes';
import type { ResourceContext } from './context';
import { CoursesResource } from './courses';
import { DemographicsResource } from './demographics';
import { EnrollmentsResource } from './enrollments';
import { GradingPeriodsResource } from './grading-periods';
import { OrgsResource } from './orgs';
import { SchoolsResource } from './schools';
import { StudentsResource } from './students';
import { TeachersResource } from './teachers';
import { TermsResource } from './terms';
import { UsersResource } from './users';

export { AcademicSessionsResource } from './academic-sessions';
export { ClassesResource } from './classes';
export { CollectionResource } from './collection-resource';
export type { ResourceContext } from './context';
export { CoursesResource } from './courses';
export { DemographicsResource } from './demographics';
export { EnrollmentsResource } from './enrollments';
export { GradingPeriodsResource } from './grading-periods';
export { OrgsResource } from './orgs';
export type { KnownKeys, Projected, Selected } from './projection';
export { SchoolsResource } from './schools';
export { StudentsResource } from './students';
export { TeachersResource } from './teachers';
export { TermsResource } from './terms';
export { UsersResource } from './users';

/** Every resource of a client, by the property name it has on `OneRosterClient`. */
export interface Resources {
  readonly orgs: OrgsResource;
  readonly schools: SchoolsResource;
  readonly academicSessions: AcademicSessionsResource;
  readonly terms: TermsResource;
  readonly gradingPeriods: GradingPeriodsResource;
  readonly courses: CoursesResource;
  readonly classes: ClassesResource;
  readonly users: UsersResource;
  readonly students: StudentsResource;
  readonly teachers: TeachersResource;
  readonly enrollments: EnrollmentsResource;
  readonly demographics: DemographicsResource;
}

/**
 * Build every resource around one context (one transport).
 *
 * @example
 * ```ts
 * const { users, schools } = createResources(context);
 * ```
 */
export function createResources(context: ResourceContext): Resources {
  return {
    orgs: new OrgsResource(context),
    schools: new SchoolsResource(context),
    academicSessions: new AcademicSessionsResource(context),
    terms: new TermsResource(context),
    gradingPeriods: new GradingPeriodsResource(context),
    courses: new CoursesResource(context),
    classes: new ClassesResource(context),
    users: new UsersResource(context),
    students: new StudentsResource(context),
    teachers: new TeachersResource(context),
    enrollments: new EnrollmentsResource(context),
    demographics: new DemographicsResource(context),
  };
}
