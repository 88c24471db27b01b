import type { Random } from "./random.ts";

/**
 * The people who signed up to the demo history's open sessions: students and staff with made-up
 * names and addresses, some of whom come back for a second course.
 */

const FIRST_NAMES = [
  "Abigail",
  "Adam",
  "Aditi",
  "Ahmed",
  "Alfie",
  "Alice",
  "Amelia",
  "Anya",
  "Archie",
  "Ava",
  "Bethany",
  "Callum",
  "Charlotte",
  "Chidi",
  "Daniel",
  "Eden",
  "Elijah",
  "Ellie",
  "Emily",
  "Ethan",
  "Evie",
  "Fatima",
  "Finn",
  "Freddie",
  "Georgia",
  "Hamza",
  "Hannah",
  "Imogen",
  "Isaac",
  "Jacob",
  "Jasmine",
  "Jessica",
  "Joel",
  "Kai",
  "Katie",
  "Kofi",
  "Laila",
  "Leah",
  "Lewis",
  "Lily",
  "Luca",
  "Lucy",
  "Maisie",
  "Mohammed",
  "Molly",
  "Nathan",
  "Niamh",
  "Noah",
  "Olivia",
  "Oscar",
  "Phoebe",
  "Poppy",
  "Priyanka",
  "Rania",
  "Reuben",
  "Rosie",
  "Ruby",
  "Ryan",
  "Saanvi",
  "Scarlett",
  "Sebastian",
  "Sofia",
  "Tariq",
  "Theo",
  "Tobias",
  "Yasmin",
  "Yusuf",
  "Zain",
  "Zoe",
];
const LAST_NAMES = [
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
  "Fernandes",
  "Fisher",
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
  "Kaur",
  "Khan",
  "King",
  "Kowalski",
  "Lee",
  "Lloyd",
  "Mahmood",
  "Marshall",
  "Mason",
  "McCarthy",
  "Mitchell",
  "Murphy",
  "Nguyen",
  "Okonkwo",
  "Owen",
  "Palmer",
  "Parry",
  "Perera",
  "Phillips",
  "Powell",
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
  "Walker",
  "Ward",
  "Watson",
  "White",
  "Williams",
  "Wood",
  "Wright",
  "Young",
];
const LEADER_ROLES = ["Hall rep", "Sports club committee", "Society committee", "Course rep", "Freshers' Week captain", "Peer mentor", "Network lead"];

interface Person {
  name: string;
  email: string;
  studentId: string;
  role: string;
  courses: Set<string>;
}

/** Everyone who signed up to an open session; some come back for a second course. */
export class People {
  private readonly pool = { students: [] as Person[], staff: [] as Person[] };
  private readonly emails = new Set<string>();
  constructor(private readonly rng: Random) {}

  forSession(rng: Random, course: string, group: "students" | "staff", n: number): Person[] {
    const chosen: Person[] = [];
    // Those who came back mostly trained recently: the last couple of hundred people seen.
    const returning = this.pool[group].slice(-200).filter((p) => !p.courses.has(course));
    for (let i = 0; i < n; i++) {
      // About a third have already been to a different course.
      const back = returning.length > 0 && rng.next() < 0.35 ? returning.splice(rng.int(0, returning.length - 1), 1)[0]! : null;
      const person = back ?? this.newPerson(group);
      person.courses.add(course);
      chosen.push(person);
    }
    return chosen;
  }

  private newPerson(group: "students" | "staff"): Person {
    for (;;) {
      const first = this.rng.pick(FIRST_NAMES);
      const last = this.rng.pick(LAST_NAMES);
      const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]+/g, "");
      const email = `${local}@${group === "students" ? "students." : ""}neverok.example`;
      if (this.emails.has(email)) continue;
      this.emails.add(email);
      const person = {
        name: `${first} ${last}`,
        email,
        studentId: `S${this.rng.int(2300000, 2699999)}`,
        role: this.rng.pick(LEADER_ROLES),
        courses: new Set<string>(),
      };
      this.pool[group].push(person);
      return person;
    }
  }
}
