// Reads the iCalendar document on stdin with ical.js, a parser written independently of the
// Go package, and prints its events as JSON for parser_test.go.
//
// ical.min.js is ical.js 2's ES module build, vendored. It is imported through a data: URL so
// that Node takes it as a module whatever its version guesses of a bare .js file, with no
// package.json, npm install or network.
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("./ical.min.js", import.meta.url));
const { default: ICAL } = await import(
  "data:text/javascript;base64," + source.toString("base64")
);

const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const tz of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(tz);
}

// The zone a time was resolved in: "floating" when its TZID named no known VTIMEZONE, in which
// case ical.js reads the wall time as UTC.
function zone(time) {
  return time.zone ? time.zone.tzid : "";
}

const events = root.getAllSubcomponents("vevent").map((c) => {
  const e = new ICAL.Event(c);
  return {
    uid: e.uid,
    sequence: e.sequence,
    summary: e.summary,
    location: e.location ?? "",
    description: e.description ?? "",
    status: c.getFirstPropertyValue("status") ?? "",
    start: e.startDate.toUnixTime() * 1000,
    end: e.endDate.toUnixTime() * 1000,
    startZone: zone(e.startDate),
    endZone: zone(e.endDate),
  };
});
process.stdout.write(JSON.stringify({ events }));
