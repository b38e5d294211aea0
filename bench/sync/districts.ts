/**
 * District sizes of the sync benchmark. Both have the same per-school shape, so the larger one
 * differs only in scale: 15 classes per student, half the students with a guardian.
 */
import type { GenerateDistrictOptions } from '../../src/testing';

const PER_SCHOOL = {
  studentsPerSchool: 1_620,
  teachersPerSchool: 70,
  classesPerSchool: 200,
  coursesPerSchool: 60,
  classesPerStudent: 15,
} as const;

/** About 10,000 users and 98,000 enrollments. */
export const SMALL: GenerateDistrictOptions = { seed: 2026, schools: 4, ...PER_SCHOOL };
/** About 50,000 users and 490,000 enrollments. */
export const LARGE: GenerateDistrictOptions = { seed: 2026, schools: 20, ...PER_SCHOOL };
