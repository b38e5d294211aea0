/**
 * Built-in word lists for generated districts. Kept small and plain ASCII-or-Latin so that
 * generated names exercise real-world shapes (apostrophes, hyphens, accents, spaces) without
 * bloating the package.
 *
 * @module
 */

/** Given names; a few carry accents or apostrophes on purpose (filter escaping, collation). */
// biome-ignore format: a word list reads better packed
export const GIVEN_NAMES: readonly string[] = [
  'Aaliyah', 'Aarav', 'Abigail', 'Adrian', 'Aiden', 'Aisha', 'Alejandro', 'Alexander', 'Alice',
  'Amara', 'Amelia', 'Ana', 'Andrés', 'Anya', 'Aria', 'Arjun', 'Asher', 'Ava', 'Benjamin',
  'Bianca', 'Brooklyn', 'Caleb', 'Camila', 'Carlos', 'Charlotte', 'Chloe', 'Chen', 'Daniel',
  'David', "D'Andre", 'Diego', 'Dmitri', 'Elena', 'Eli', 'Elijah', 'Ella', 'Emily', 'Emma',
  'Ethan', 'Eva', 'Ezra', 'Fatima', 'Finn', 'Gabriel', 'Grace', 'Hannah', 'Harper', 'Hazel',
  'Henry', 'Hiroshi', 'Ibrahim', 'Isabella', 'Isaac', 'Jack', 'Jackson', 'Jada', 'James',
  'Jayden', 'Jia', 'Jose', 'Joseph', 'Julia', 'Kai', 'Kenji', 'Layla', 'Leah', 'Leo', 'Liam',
  'Lily', 'Lucas', 'Lucía', 'Luna', 'Madison', 'Malik', 'Maria', 'Mason', 'Mateo', 'Maya',
  'Mia', 'Michael', 'Mohammed', 'Naomi', 'Nathan', 'Noah', 'Nora', 'Olivia', 'Omar', 'Owen',
  'Priya', 'Rafael', 'Riley', 'Rohan', 'Ruby', 'Samuel', 'Sara', 'Sebastian', 'Sofia', 'Sophia',
  'Stella', 'Thomas', 'Valentina', 'Victoria', 'Wei', 'William', 'Xavier', 'Yara', 'Yusuf',
  'Zara', 'Zoe', 'Anne-Marie', 'Jean Luc',
];

/** Family names; includes an apostrophe, hyphens, a space and accents on purpose. */
// biome-ignore format: a word list reads better packed
export const FAMILY_NAMES: readonly string[] = [
  'Adams', 'Ahmed', 'Ali', 'Allen', 'Alvarez', 'Anderson', 'Bailey', 'Baker', 'Bennett',
  'Brooks', 'Brown', 'Campbell', 'Carter', 'Castillo', 'Chen', 'Clark', 'Collins', 'Cook',
  'Cooper', 'Cruz', 'Davis', 'Díaz', 'Edwards', 'Evans', 'Fischer', 'Flores', 'Foster',
  'Garcia', 'Gomez', 'Gonzalez', 'Gray', 'Green', 'Gupta', 'Hall', 'Harris', 'Hernández',
  'Hill', 'Hughes', 'Ito', 'Jackson', 'James', 'Jenkins', 'Johnson', 'Jones', 'Kelly', 'Khan',
  'Kim', 'King', 'Kowalski', 'Kumar', 'Lee', 'Lewis', 'Li', 'Lopez', 'Martin', 'Martinez',
  'Miller', 'Mitchell', 'Moore', 'Morales', 'Morgan', 'Murphy', 'Nguyen', 'Nelson', "O'Brien",
  "O'Connor", 'Okafor', 'Ortiz', 'Parker', 'Patel', 'Perez', 'Peterson', 'Phillips', 'Price',
  'Ramirez', 'Reed', 'Reyes', 'Richardson', 'Rivera', 'Roberts', 'Robinson', 'Rodriguez',
  'Rogers', 'Ross', 'Russell', 'Sanchez', 'Sanders', 'Schmidt', 'Scott', 'Shah', 'Singh',
  'Smith', 'Stewart', 'Sullivan', 'Tanaka', 'Taylor', 'Thomas', 'Thompson', 'Torres', 'Tran',
  'Turner', 'Walker', 'Wang', 'Ward', 'Watson', 'White', 'Williams', 'Wilson', 'Wood', 'Wright',
  'Wu', 'Yamamoto', 'Young', 'Zhang', 'Smith-Jones', 'García-López', 'Van der Berg',
];

/** Stems for school names. */
// biome-ignore format: a word list reads better packed
export const SCHOOL_STEMS: readonly string[] = [
  'Lincoln', 'Washington', 'Jefferson', 'Roosevelt', 'Franklin', 'Kennedy', 'Madison',
  'Oak Grove', 'Maple Ridge', 'Cedar Park', 'Riverside', 'Lakeview', 'Hillcrest', 'Sunnyvale',
  'Pine Valley', 'Willow Creek', 'Eastwood', 'Westfield', 'Northgate', 'Southside', 'Harbor',
  'Meadowbrook', 'Fairview', 'Brookside', 'Highland', 'Summit', 'Valley View', 'Parkway',
];

/** City names for districts and demographics. */
// biome-ignore format: a word list reads better packed
export const CITIES: readonly string[] = [
  'Springfield', 'Riverton', 'Fairfield', 'Georgetown', 'Clinton', 'Salem', 'Madison',
  'Franklin', 'Greenville', 'Bristol', 'Dayton', 'Ashland', 'Burlington', 'Milton', 'Oxford',
];

/** US state abbreviations (for `stateOfBirthAbbreviation`). */
// biome-ignore format: a word list reads better packed
export const STATES: readonly string[] = [
  'CA', 'TX', 'NY', 'FL', 'IL', 'PA', 'OH', 'GA', 'NC', 'MI', 'NJ', 'VA', 'WA', 'AZ', 'MA',
];

/** A subject with its SCED-like subject code and course title stem. */
export interface Subject {
  name: string;
  code: string;
}

/** Subjects offered; course titles combine these with the grade band. */
export const SUBJECTS: readonly Subject[] = [
  { name: 'Mathematics', code: '02' },
  { name: 'English Language Arts', code: '01' },
  { name: 'Science', code: '03' },
  { name: 'Social Studies', code: '04' },
  { name: 'Art', code: '05' },
  { name: 'Music', code: '05M' },
  { name: 'Physical Education', code: '08' },
  { name: 'World Languages', code: '06' },
  { name: 'Computer Science', code: '10' },
  { name: 'Health', code: '08H' },
];
