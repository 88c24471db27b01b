import type { OrganisationKind } from "#db/schema.ts";
import { DAY } from "#app/utils/time.ts";
import { COMMENTS, type CourseName } from "./generate.ts";
import type { Random } from "./random.ts";

/**
 * The city data set's partnership and its calendar: the five institutions and their buildings, the
 * names its organisations and people are made from, what each kind of booking asks for, and which
 * days of the year are busy.
 */

// ---- The partnership -------------------------------------------------------------------------

interface Institution {
  name: string;
  short: string;
  domain: string;
  studentDomain: string;
  buildings: string[];
  /** Share of the partnership's activity and leaders. */
  share: number;
}

const CITY = "Avonport";
export const INSTITUTIONS: Institution[] = [
  {
    name: "University of Avonport",
    short: "UoA",
    domain: "avonport.ac.example",
    studentDomain: "students.avonport.ac.example",
    buildings: ["Queen's Building", "Wills Library", "Senate House", "Richmond Building"],
    share: 0.3,
  },
  {
    name: "Avonport Metropolitan University",
    short: "AMU",
    domain: "amu.ac.example",
    studentDomain: "students.amu.ac.example",
    buildings: ["Frenchay Hub", "City Campus Tower", "Glenside Centre"],
    share: 0.27,
  },
  {
    name: "Avonport College",
    short: "College",
    domain: "avonport-college.example",
    studentDomain: "learners.avonport-college.example",
    buildings: ["Ashley Down Centre", "Construction Skills Centre", "City Centre Campus"],
    share: 0.14,
  },
  {
    name: "Harbourside University of the Arts",
    short: "HUA",
    domain: "harbourside-arts.ac.example",
    studentDomain: "students.harbourside-arts.ac.example",
    buildings: ["Spike Island Studios", "Arnolfini Wing", "Harbour Library"],
    share: 0.11,
  },
  {
    name: "Avonport Students' Union Partnership",
    short: "SU Partnership",
    domain: "avonportsu.example",
    studentDomain: "members.avonportsu.example",
    buildings: ["The Richmond Union", "Union Quay", "Students' House"],
    share: 0.18,
  },
];
export const SU = INSTITUTIONS.length - 1;

const DEPARTMENTS = [
  "Physics",
  "Chemistry",
  "Biological Sciences",
  "History",
  "English",
  "Law",
  "Medicine",
  "Nursing and Midwifery",
  "Engineering",
  "Computer Science",
  "Economics",
  "Psychology",
  "Sociology",
  "Philosophy",
  "Mathematics",
  "Geography",
  "Music",
  "Education",
  "Politics",
  "Modern Languages",
  "Architecture",
  "Business",
  "Accounting and Finance",
  "Earth Sciences",
  "Veterinary Science",
  "Dentistry",
  "Social Work",
  "Sport and Exercise Science",
  "Film and Television",
  "Journalism",
  "Criminology",
  "Public Health",
  "Pharmacy",
  "Civil Engineering",
  "Aerospace Engineering",
  "Anthropology",
  "Classics",
  "Theology and Religion",
  "Marketing",
  "Hospitality and Tourism",
  "Construction",
  "Hair and Beauty",
  "Motor Vehicle",
  "Health and Social Care",
  "Fine Art",
  "Graphic Design",
  "Fashion",
  "Illustration",
  "Photography",
  "Performing Arts",
];
const SPORTS = [
  "Rugby",
  "Netball",
  "Hockey",
  "Football",
  "Women's Football",
  "Rowing",
  "Cricket",
  "Basketball",
  "Volleyball",
  "Badminton",
  "Tennis",
  "Squash",
  "Swimming",
  "Water Polo",
  "Athletics",
  "Cross Country",
  "Cycling",
  "Climbing",
  "Boxing",
  "Judo",
  "Karate",
  "Taekwondo",
  "Fencing",
  "Archery",
  "Lacrosse",
  "American Football",
  "Ultimate Frisbee",
  "Sailing",
  "Surf",
  "Canoe",
  "Golf",
  "Equestrian",
  "Snowsports",
  "Table Tennis",
  "Gymnastics",
  "Cheerleading",
  "Dance Sport",
  "Korfball",
  "Handball",
  "Rugby League",
];
const SOCIETIES = [
  "Drama",
  "Debating",
  "Chess",
  "Film",
  "Photography",
  "Islamic",
  "Jewish",
  "Christian Union",
  "Hindu",
  "Sikh",
  "Buddhist",
  "LGBTQ+",
  "Feminist",
  "African-Caribbean",
  "Chinese",
  "Malaysian",
  "Indian",
  "Pakistani",
  "Nigerian",
  "Hellenic",
  "Italian",
  "Spanish",
  "French",
  "German",
  "Japanese",
  "Korean",
  "K-Pop",
  "Anime",
  "Board Games",
  "Role Play",
  "Baking",
  "Cocktail",
  "Wine Tasting",
  "Vegan",
  "Gardening",
  "Hiking",
  "Astronomy",
  "Robotics",
  "Coding",
  "Entrepreneurs",
  "Investment",
  "Law",
  "Medical",
  "Nursing",
  "Engineering",
  "Economics",
  "History",
  "Philosophy",
  "Politics",
  "Model United Nations",
  "Amnesty",
  "Climate Action",
  "Volunteering",
  "RAG",
  "Student Radio",
  "Student Newspaper",
  "Student TV",
  "Musical Theatre",
  "Orchestra",
  "Choir",
  "Jazz",
  "Rock",
  "Poetry",
  "Creative Writing",
  "Comedy",
  "Improv",
  "Magic",
  "Pole Fitness",
  "Yoga",
  "Meditation",
  "Mental Health",
  "Disabled Students'",
  "Mature Students'",
  "Postgraduate",
  "International Students'",
  "Erasmus",
  "Architecture",
  "Fashion",
  "Art",
  "Knitting",
  "Circus",
  "Salsa",
  "Ballroom",
  "Street Dance",
  "Bollywood Dance",
  "Ceilidh",
  "Folk",
  "Quiz",
  "Harry Potter",
  "Tea",
];
const CAMPUS_QUALIFIERS = ["City Campus", "Harbour Campus", "Frenchay Campus", "Glenside Campus", "Postgraduate", "Women's", "Second Team", "Mixed"];
const STAFF_TEAMS = [
  "Library Services",
  "Residential Life team",
  "Student Wellbeing Service",
  "Security Services",
  "Careers Service",
  "Estates and Facilities",
  "Admissions",
  "International Office",
  "Student Funding Office",
  "Disability Service",
  "Counselling Service",
  "Chaplaincy",
  "Sports Centre staff",
  "Catering team",
  "IT Services",
  "Human Resources",
  "Academic Registry",
  "Widening Participation team",
  "Accommodation Office",
  "Halls wardens",
  "Porters' Lodge",
  "Graduate School",
  "Research Office",
  "Finance Office",
  "Marketing and Communications",
  "Nursery staff",
  "Union reception",
  "Union bar staff",
  "Advice Centre",
  "Exams Office",
  "Timetabling team",
  "Alumni Relations",
  "Learning Technology",
  "Museum and Galleries team",
  "Technicians",
  "Postgraduate Research Office",
  "Apprenticeships team",
  "Safeguarding team",
  "Student Support Hub",
  "Welcome team",
];
const PROGRAMMES = [
  "Freshers' Week Captains",
  "Hall Reps",
  "Course Reps",
  "International Buddies",
  "Peer Mentors",
  "Student Ambassadors",
  "Welcome Ambassadors",
  "Residence Life Assistants",
  "Sabbatical Officers",
  "Liberation Network Leads",
  "Welfare Officers",
  "Sports Captains",
];
export const HALLS = [
  "Churchill",
  "Wills",
  "Goldney",
  "Badock",
  "Manor",
  "Hiatt Baker",
  "Stoke Park",
  "Orchard",
  "Unite Quay",
  "Chantry Court",
  "Woodland",
  "Clifton Hill",
];
export const NETWORKS = [
  "Women's",
  "Black Students'",
  "LGBTQ+",
  "Disabled Students'",
  "Trans Students'",
  "Mature Students'",
  "International Students'",
  "Working-Class Students'",
];
const VENUE_WORDS = [
  ["The Old", "The Red", "The Blue", "The Golden", "Club", "The Little", "The Grand", "The Velvet", "The Crown and", "The Lantern", "The Three", "The Copper"],
  ["Lion", "Anchor", "Quay", "Room", "Warehouse", "Fox", "Lounge", "Cellar", "Arches", "Bell", "Tap", "Social", "Locks", "Vaults"],
];
const STREETS = [
  "Park Street",
  "Whiteladies Road",
  "Stokes Croft",
  "Gloucester Road",
  "Baldwin Street",
  "King Street",
  "Corn Street",
  "Broad Quay",
  "Harbourside",
  "Cheltenham Road",
  "St Nicholas Street",
  "Queen's Road",
];

export const FIRST = [
  "Aaliyah",
  "Abigail",
  "Adam",
  "Aditi",
  "Ahmed",
  "Aisha",
  "Alfie",
  "Alice",
  "Amelia",
  "Anya",
  "Archie",
  "Arjun",
  "Ava",
  "Bea",
  "Bethany",
  "Callum",
  "Charlotte",
  "Chidi",
  "Chloe",
  "Daniel",
  "Darcy",
  "Eden",
  "Eli",
  "Elijah",
  "Ellie",
  "Emily",
  "Erin",
  "Ethan",
  "Evie",
  "Farah",
  "Fatima",
  "Finn",
  "Freddie",
  "Freya",
  "Gabriel",
  "Georgia",
  "Hamza",
  "Hana",
  "Hannah",
  "Hugo",
  "Ibrahim",
  "Imogen",
  "Isaac",
  "Jacob",
  "Jade",
  "Jamal",
  "Jasmine",
  "Joel",
  "Kai",
  "Katie",
  "Kiera",
  "Kofi",
  "Laila",
  "Leah",
  "Leon",
  "Lewis",
  "Lily",
  "Luca",
  "Lucy",
  "Maisie",
  "Maya",
  "Mia",
  "Mohammed",
  "Molly",
  "Nadia",
  "Nathan",
  "Niamh",
  "Noah",
  "Olivia",
  "Omar",
  "Orla",
  "Oscar",
  "Phoebe",
  "Poppy",
  "Priya",
  "Rahul",
  "Rania",
  "Reuben",
  "Rosa",
  "Ruby",
  "Ryan",
  "Saanvi",
  "Sami",
  "Scarlett",
  "Sebastian",
  "Sofia",
  "Tariq",
  "Tess",
  "Theo",
  "Tobias",
  "Yasmin",
  "Yusuf",
  "Zain",
  "Zara",
  "Zoe",
];
export const LAST = [
  "Adeyemi",
  "Ahmed",
  "Ali",
  "Allen",
  "Anderson",
  "Atkinson",
  "Bailey",
  "Baker",
  "Begum",
  "Bell",
  "Brooks",
  "Campbell",
  "Chapman",
  "Chen",
  "Clarke",
  "Cooper",
  "Davies",
  "Dixon",
  "Edwards",
  "Ellis",
  "Evans",
  "Fernandes",
  "Fisher",
  "Fletcher",
  "Foster",
  "Gill",
  "Graham",
  "Green",
  "Hall",
  "Harris",
  "Hill",
  "Holmes",
  "Hughes",
  "Iqbal",
  "Jackson",
  "James",
  "Johnson",
  "Jones",
  "Kaur",
  "Khan",
  "King",
  "Kowalski",
  "Lee",
  "Lewis",
  "Lloyd",
  "Mahmood",
  "Marshall",
  "Mason",
  "McCarthy",
  "Mensah",
  "Mitchell",
  "Murphy",
  "Nguyen",
  "Nowak",
  "Okafor",
  "Okonkwo",
  "Osei",
  "Owen",
  "Palmer",
  "Parry",
  "Patel",
  "Perera",
  "Phillips",
  "Powell",
  "Price",
  "Quinn",
  "Richards",
  "Roberts",
  "Robinson",
  "Rossi",
  "Scott",
  "Shaw",
  "Singh",
  "Stewart",
  "Sullivan",
  "Taylor",
  "Thomas",
  "Turner",
  "Usman",
  "Walker",
  "Ward",
  "Watson",
  "White",
  "Williams",
  "Wood",
  "Wright",
  "Young",
];

export const COURSE_NAMES: CourseName[] = ["Active Bystander", "Consent", "Handling Disclosures", "Unconscious Bias"];

/** The courses each kind of booking asks for, by weight. */
export const COURSE_MIX: Record<OrganisationKind | "open" | "induction", [CourseName, number][]> = {
  department: [
    ["Unconscious Bias", 12],
    ["Active Bystander", 5],
    ["Consent", 3],
    ["Handling Disclosures", 2],
  ],
  sports_club: [
    ["Active Bystander", 5],
    ["Consent", 4],
    ["Handling Disclosures", 1],
  ],
  society: [
    ["Active Bystander", 4],
    ["Consent", 3],
    ["Unconscious Bias", 2],
  ],
  leader_programme: [
    ["Active Bystander", 6],
    ["Handling Disclosures", 3],
    ["Consent", 1],
  ],
  partner_venue: [["Active Bystander", 1]],
  staff_team: [
    ["Handling Disclosures", 5],
    ["Unconscious Bias", 4],
    ["Consent", 1],
  ],
  open: [
    ["Active Bystander", 4],
    ["Consent", 3],
    ["Unconscious Bias", 2],
    ["Handling Disclosures", 1],
  ],
  // Leader inductions: Active Bystander for every leader, Consent for captains, Handling Disclosures for hall reps.
  induction: [
    ["Active Bystander", 8],
    ["Consent", 1],
    ["Handling Disclosures", 1],
  ],
};
export const BOOKED_KINDS: [OrganisationKind, number][] = [
  ["department", 28],
  ["sports_club", 18],
  ["society", 21],
  ["leader_programme", 7],
  ["partner_venue", 12],
  ["staff_team", 14],
];
export const ORG_KINDS: [OrganisationKind, number][] = [
  ["society", 0.45],
  ["sports_club", 0.2],
  ["department", 0.13],
  ["staff_team", 0.1],
  ["partner_venue", 0.08],
  ["leader_programme", 0.04],
];
export const ROLE_WEIGHTS: [string, number][] = [
  ["Course rep", 30],
  ["Society committee", 20],
  ["Sports club committee", 12],
  ["Hall rep", 12],
  ["Freshers' Week captain", 10],
  ["Buddy", 12],
  ["Network lead", 4],
];

export const START_TIMES: Record<number, string[]> = {
  90: ["09:30", "10:00", "11:00", "13:00", "14:00", "15:30", "16:00"],
  120: ["09:30", "10:00", "13:00", "14:00", "15:00"],
};

export const CANCEL_REASONS = [
  "The department moved its induction to the following term.",
  "Too few people could come that week; the group joined a later session instead.",
  "Fixtures were rescheduled and the committee was away.",
  "The building was closed for urgent maintenance that day.",
  "Industrial action on campus that day.",
  "The venue closed early for a private event.",
];
export const DECLINE_REASONS = [
  "No trainer is free at those times; could you offer dates the week after?",
  "Handling Disclosures needs two trainers and none are free that week.",
  "That is during the Christmas closure; please choose dates in January.",
];
/** The feedback form's comments, one more than the demo history's. */
export const CITY_COMMENTS = [...COMMENTS, "More time for the role plays, please."];

// ---- Names and the calendar ----------------------------------------------------------------------

export function orgName(kind: OrganisationKind, inst: Institution, n: number, k: number): { name: string; address: string | null } {
  const cycle = <T>(list: readonly T[]) => ({ base: list[n % list.length]!, round: Math.floor(n / list.length) });
  const qualifier = (round: number) =>
    round === 0 ? "" : ` (${CAMPUS_QUALIFIERS[(round - 1) % CAMPUS_QUALIFIERS.length]}${round > CAMPUS_QUALIFIERS.length ? ` ${round}` : ""})`;
  switch (kind) {
    case "department": {
      const { base, round } = cycle(DEPARTMENTS);
      return { name: `${inst.short === "College" ? "School" : "Department"} of ${base}${qualifier(round)}, ${inst.name}`, address: null };
    }
    case "sports_club": {
      const { base, round } = cycle(SPORTS);
      return { name: `${inst.name} ${base} Club${qualifier(round)}`, address: null };
    }
    case "society": {
      const { base, round } = cycle(SOCIETIES);
      return { name: `${inst.name} ${base} Society${qualifier(round)}`, address: null };
    }
    case "staff_team": {
      const { base, round } = cycle(STAFF_TEAMS);
      return { name: `${base}${qualifier(round)}, ${inst.name}`, address: null };
    }
    case "leader_programme": {
      const { base, round } = cycle(PROGRAMMES);
      return { name: `${base}${qualifier(round)}, ${inst.name}`, address: null };
    }
    case "partner_venue": {
      const [a, b] = VENUE_WORDS as [string[], string[]];
      const word = `${a[k % a.length]} ${b[Math.floor(k / a.length) % b.length]}`;
      const round = Math.floor(k / (a.length * b.length));
      const street = STREETS[k % STREETS.length]!;
      const name = `${word}${round ? ` ${round + 1}` : ""}, ${street.replace(/ (Street|Road)$/, "")}`;
      return { name, address: `${word}, ${1 + (k % 97)} ${street}, ${CITY} AV${1 + (k % 9)} ${1 + (k % 8)}${"ABDEFGHJ"[k % 8]}${"LNPQRSTU"[(k >> 3) % 8]}` };
    }
  }
}

export function pickShare(rng: Random): number {
  let r = rng.next();
  for (let i = 0; i < INSTITUTIONS.length; i++) if ((r -= INSTITUTIONS[i]!.share) < 0) return i;
  return INSTITUTIONS.length - 1;
}

/** The first window (month-days "MM-DD", inclusive, and one may run over the new year) that holds a day sets its weight. */
function weightIn(windows: readonly (readonly [from: string, to: string, weight: number])[], day: number, otherwise: number): number {
  const md = new Date(day * DAY).toISOString().slice(5, 10);
  for (const [from, to, weight] of windows) if (from <= to ? md >= from && md <= to : md >= from || md <= to) return weight;
  return otherwise;
}

/** How busy a day is: the welcome weeks are the peaks; the Christmas closure and Easter are quiet. */
const SEASON = [
  ["12-18", "01-04", 0],
  ["08-01", "08-31", 0.35],
  ["09-01", "09-14", 1.6],
  ["09-15", "10-10", 2.4],
  ["10-11", "11-30", 1.5],
  ["12-01", "12-17", 1.0],
  ["01-05", "01-18", 0.8],
  ["01-19", "02-08", 1.8],
  ["02-09", "03-22", 1.2],
  ["03-23", "04-19", 0.3],
  ["04-20", "06-10", 0.5],
] as const;

/** Leaders train in the run-up to and during Welcome Week, and again in January. */
const INDUCTION_SEASON = [
  ["08-15", "08-31", 1],
  ["09-01", "10-15", 3],
  ["10-16", "11-30", 1],
  ["01-10", "02-15", 1.5],
  ["12-18", "01-04", 0],
] as const;

/** Saturdays are quieter, Sundays empty. */
export function seasonWeight(day: number): number {
  const wd = ((day + 3) % 7) + 1;
  if (wd === 7) return 0;
  const w = weightIn(SEASON, day, 0.45);
  return wd === 6 ? w * 0.4 : w;
}

/** Inductions are on weekdays only. */
export function inductionWeight(day: number): number {
  const wd = ((day + 3) % 7) + 1;
  if (wd >= 6) return 0;
  return weightIn(INDUCTION_SEASON, day, 0.1);
}
