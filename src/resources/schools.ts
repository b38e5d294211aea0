/**
 * `/schools` and its nested collections.
 *
 * @module
 */
import type { AcademicSession, Class, Course, Enrollment, User } from '../models/types';
import type { RequestOptions } from '../options';
import type { Paginator } from '../pagination';
import type { ListParams } from '../query';
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './context';
import { MODELS } from './models';
import { pathId } from './path';
import type { Selected } from './projection';

/**
 * Orgs of type `school` (`GET /schools`, `GET /schools/{sourcedId}`; the server answers with
 * `orgs` / `org`) and everything scoped to a school: its classes, courses, enrollments, students,
 * teachers and terms, and the enrollments, students and teachers of one class in it.
 *
 * Nested collections need the `roster.readonly` scope and are optional for certified providers:
 * an unknown school (or class) rejects with `NotFoundError`, never an empty list.
 *
 * @example
 * ```ts
 * for await (const school of client.schools.list()) {
 *   for await (const cls of client.schools.listClasses(school.sourcedId)) {
 *     const students = await client.schools.listStudentsForClass(school.sourcedId, cls.sourcedId).toArray();
 *     console.log(cls.title, students.length);
 *   }
 * }
 * ```
 */
export class SchoolsResource extends CollectionResource<'orgs'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/schools', MODELS.orgs);
  }

  /**
   * The classes of a school (`GET /schools/{schoolSourcedId}/classes`).
   *
   * @example
   * ```ts
   * const classes = await client.schools.listClasses('s-1').toArray();
   * ```
   */
  listClasses<const P extends ListParams = ListParams>(
    schoolSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<Class, P>> {
    return this.paginate(school(schoolSourcedId, 'classes'), MODELS.classes, params, options);
  }

  /**
   * The courses of a school (`GET /schools/{schoolSourcedId}/courses`).
   *
   * @example
   * ```ts
   * const courses = await client.schools.listCourses('s-1').toArray();
   * ```
   */
  listCourses<const P extends ListParams = ListParams>(
    schoolSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<Course, P>> {
    return this.paginate(school(schoolSourcedId, 'courses'), MODELS.courses, params, options);
  }

  /**
   * The enrollments of a school (`GET /schools/{schoolSourcedId}/enrollments`).
   *
   * @example
   * ```ts
   * for await (const enrollment of client.schools.listEnrollments('s-1')) console.log(enrollment.role);
   * ```
   */
  listEnrollments<const P extends ListParams = ListParams>(
    schoolSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<Enrollment, P>> {
    return this.paginate(
      school(schoolSourcedId, 'enrollments'),
      MODELS.enrollments,
      params,
      options,
    );
  }

  /**
   * The students of a school (`GET /schools/{schoolSourcedId}/students`).
   *
   * @example
   * ```ts
   * for await (const student of client.schools.listStudents('s-1')) console.log(student.sourcedId);
   * ```
   */
  listStudents<const P extends ListParams = ListParams>(
    schoolSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<User, P>> {
    return this.paginate(school(schoolSourcedId, 'students'), MODELS.users, params, options);
  }

  /**
   * The teachers of a school (`GET /schools/{schoolSourcedId}/teachers`).
   *
   * @example
   * ```ts
   * const teachers = await client.schools.listTeachers('s-1').toArray();
   * ```
   */
  listTeachers<const P extends ListParams = ListParams>(
    schoolSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<User, P>> {
    return this.paginate(school(schoolSourcedId, 'teachers'), MODELS.users, params, options);
  }

  /**
   * The terms of a school (`GET /schools/{schoolSourcedId}/terms`).
   *
   * @example
   * ```ts
   * const terms = await client.schools.listTerms('s-1').toArray();
   * ```
   */
  listTerms<const P extends ListParams = ListParams>(
    schoolSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<AcademicSession, P>> {
    return this.paginate(
      school(schoolSourcedId, 'terms'),
      MODELS.academicSessions,
      params,
      options,
    );
  }

  /**
   * The enrollments of one class of a school
   * (`GET /schools/{schoolSourcedId}/classes/{classSourcedId}/enrollments`).
   *
   * @example
   * ```ts
   * const enrollments = await client.schools.listEnrollmentsForClass('s-1', 'cls-1').toArray();
   * ```
   */
  listEnrollmentsForClass<const P extends ListParams = ListParams>(
    schoolSourcedId: string,
    classSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<Enrollment, P>> {
    const path = schoolClass(schoolSourcedId, classSourcedId, 'enrollments');
    return this.paginate(path, MODELS.enrollments, params, options);
  }

  /**
   * The students of one class of a school
   * (`GET /schools/{schoolSourcedId}/classes/{classSourcedId}/students`).
   *
   * @example
   * ```ts
   * const students = await client.schools.listStudentsForClass('s-1', 'cls-1').toArray();
   * ```
   */
  listStudentsForClass<const P extends ListParams = ListParams>(
    schoolSourcedId: string,
    classSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<User, P>> {
    const path = schoolClass(schoolSourcedId, classSourcedId, 'students');
    return this.paginate(path, MODELS.users, params, options);
  }

  /**
   * The teachers of one class of a school
   * (`GET /schools/{schoolSourcedId}/classes/{classSourcedId}/teachers`).
   *
   * @example
   * ```ts
   * const teachers = await client.schools.listTeachersForClass('s-1', 'cls-1').toArray();
   * ```
   */
  listTeachersForClass<const P extends ListParams = ListParams>(
    schoolSourcedId: string,
    classSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<User, P>> {
    const path = schoolClass(schoolSourcedId, classSourcedId, 'teachers');
    return this.paginate(path, MODELS.users, params, options);
  }
}

function school(schoolSourcedId: string, child: string): string {
  return `/schools/${pathId('schoolSourcedId', schoolSourcedId)}/${child}`;
}

function schoolClass(schoolSourcedId: string, classSourcedId: string, child: string): string {
  return `${school(schoolSourcedId, 'classes')}/${pathId('classSourcedId', classSourcedId)}/${child}`;
}
