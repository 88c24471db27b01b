import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { plural } from "#app/utils/plural.ts";

export interface InductionSessionLink {
  when: string; // already formatted: "Tue 14 Oct 2025, 14:00–15:30"
  where: string;
  seatsLeft: number;
  url: string;
}

export interface CourseNeeded {
  course: string;
  sessions: InductionSessionLink[];
}

const courseStyle = { color: "#111827", fontSize: "16px", fontWeight: 700, margin: "0 0 6px" };
const itemStyle = { color: "#1f2937", fontSize: "15px", lineHeight: "22px", margin: "0 0 6px" };

/** Each course still needed, with the next sessions that have places and their sign-up links. */
export function CoursesNeeded({ courses }: { courses: CourseNeeded[] }) {
  return (
    <Section style={{ backgroundColor: "#f5f3ff", borderRadius: "8px", padding: "16px 20px", margin: "0 0 20px" }}>
      {courses.map((c) => (
        <Section key={c.course} style={{ margin: "0 0 12px" }}>
          <Text style={courseStyle}>{c.course}</Text>
          {c.sessions.length ? (
            c.sessions.map((s) => (
              <Text key={s.url} style={itemStyle}>
                <Link href={s.url}>{s.when}</Link>, {s.where} ({plural(s.seatsLeft, "place")} left)
              </Text>
            ))
          ) : (
            <Text style={itemStyle}>No session with places is open yet: we will let you know when one is.</Text>
          )}
        </Section>
      ))}
    </Section>
  );
}

export const EXAMPLE_COURSES: CourseNeeded[] = [
  {
    course: "Active Bystander",
    sessions: [
      { when: "Tue 14 Oct 2025, 10:00–11:30", where: "The Forum Suite, Students' Union", seatsLeft: 12, url: "http://localhost:3000/sessions/open/12" },
      { when: "Thu 16 Oct 2025, 14:00–15:30", where: "Seminar Room 1.14, East Building", seatsLeft: 3, url: "http://localhost:3000/sessions/open/13" },
    ],
  },
  { course: "Consent", sessions: [] },
];
