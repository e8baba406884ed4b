package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// composeInput: CPTS Nantes has two candidates, CPTS Angers a seat accepted and a candidate,
// CPTS Sèvre et Loire an offer out, a candidate without a structure, a declined offer and a
// score below the minimum.
const composeInput = `application_id,organisation_id,score,submitted_at,status
A1,CPTS Nantes,88.5,2026-03-02T09:00:00+01:00,active
A2,CPTS Nantes,91,2026-03-03T10:00:00+01:00,active
A3,CPTS Angers,75.25,2026-03-01T08:00:00+01:00,accepted
A4,CPTS Sèvre et Loire,60,2026-03-04T12:00:00+01:00,active
A5,CPTS Sèvre et Loire,62,2026-03-04T11:00:00+01:00,declined
A6,,70,2026-03-05T08:00:00+01:00,active
A7,CPTS Angers,95,2026-03-02T09:00:00+01:00,active
A8,CPTS Le Mans,12.5,2026-03-02T09:00:00+01:00,active
A9,CPTS Sèvre et Loire,55,2026-03-04T12:00:00+01:00,offered
`

// The French spreadsheet form of the same file: ";", decimal comma, Windows-1252, CRLF, and a
// column the command does not read.
const composeInputFrench = "application_id;organisation_id;score;submitted_at;status;nom\r\n" +
	"A1;CPTS Nantes;88,5;2026-03-02T09:00:00+01:00;active;Camille Martin\r\n" +
	"A2;CPTS Nantes;91;2026-03-03T10:00:00+01:00;active;Léa Bernard\r\n" +
	"A3;CPTS Angers;75,25;2026-03-01T08:00:00+01:00;accepted;Hugo Petit\r\n" +
	"A4;CPTS Sèvre et Loire;60;2026-03-04T12:00:00+01:00;active;Chloé Durand\r\n" +
	"A5;CPTS Sèvre et Loire;62,00;2026-03-04T11:00:00+01:00;declined;Louis Moreau\r\n" +
	"A6;;70;2026-03-05T08:00:00+01:00;active;Inès Laurent\r\n" +
	"A7;CPTS Angers;95;2026-03-02T09:00:00+01:00;active;Jules Simon\r\n" +
	"A8;CPTS Le Mans;12,5;2026-03-02T09:00:00+01:00;active;Manon Michel\r\n" +
	"A9;CPTS Sèvre et Loire;55;2026-03-04T12:00:00+01:00;offered;Noé Lefèvre\r\n" +
	";;;;;\r\n"

// With 4 seats, one per organisation first: A3's seat and A9's offer count first, A2 and A6
// get the two free seats; Angers and Nantes already have one, so A7 waits despite the best
// score; A8 is below the minimum of 20.
const composeOutput = `application_id,organisation_id,score,organisation_rank,tier,decision,position,reason
A3,CPTS Angers,75.25,1,1,accepted,,seat_held
A9,CPTS Sèvre et Loire,55.00,1,1,offered,1,offer_pending
A2,CPTS Nantes,91.00,1,1,offered,2,within_capacity
A6,,70.00,1,1,offered,3,within_capacity
A7,CPTS Angers,95.00,2,2,waitlisted,1,capacity_full
A1,CPTS Nantes,88.50,2,2,waitlisted,2,capacity_full
A4,CPTS Sèvre et Loire,60.00,2,2,waitlisted,3,capacity_full
A5,CPTS Sèvre et Loire,62.00,,,declined,,declined
A8,CPTS Le Mans,12.50,,,not_retained,,below_min_score
`

func TestComposeStdinToStdout(t *testing.T) {
	code, out, errOut := runCLI(t, nil, composeInput, "compose", "--capacity", "4", "--min-score", "20")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != composeOutput {
		t.Errorf("got\n%s\nwant\n%s", out, composeOutput)
	}
}

func TestComposeFrenchSpreadsheetFileToFile(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "candidatures.csv"), filepath.Join(dir, "composition.csv")
	latin, err := charmap.Windows1252.NewEncoder().String(composeInputFrench)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(in, []byte(latin), 0o600)
	code, stdout, errOut := runCLI(t, nil, "", "compose", "-capacity=4", "-min-score=20,00", "-in", in, "-out", out)
	if code != 0 || stdout != "" || errOut != "" {
		t.Fatalf("exit %d: %q %q", code, stdout, errOut)
	}
	got, _ := os.ReadFile(out)
	if string(got) != composeOutput {
		t.Errorf("got\n%s\nwant\n%s", got, composeOutput)
	}
	// The same saved as "CSV UTF-8" by Excel, with a byte order mark.
	code, stdout, errOut = runCLI(t, nil, "\xEF\xBB\xBF"+composeInputFrench, "compose", "-capacity=4", "-min-score=20")
	if code != 0 || stdout != composeOutput {
		t.Errorf("UTF-8 with BOM: exit %d %s\n%s", code, errOut, stdout)
	}
}

func TestComposeParameters(t *testing.T) {
	in := "application_id,organisation_id,score,submitted_at,status\n" +
		"a1,A,90,2026-03-02T09:00:00Z,active\na2,A,80,2026-03-02T09:00:00Z,active\na3,A,70,2026-03-02T09:00:00Z,active\n" +
		"b1,B,60,2026-03-02T09:00:00Z,active\n"
	code, out, errOut := runCLI(t, nil, in, "compose", "--capacity", "3", "--per-org", "2", "--max-per-org", "2")
	want := "application_id,organisation_id,score,organisation_rank,tier,decision,position,reason\n" +
		"a1,A,90.00,1,1,offered,1,within_capacity\na2,A,80.00,2,1,offered,2,within_capacity\n" +
		"b1,B,60.00,1,1,offered,3,within_capacity\na3,A,70.00,3,2,not_retained,,over_org_max\n"
	if code != 0 || out != want {
		t.Errorf("exit %d %s\ngot\n%s\nwant\n%s", code, errOut, out, want)
	}
	header := "application_id,organisation_id,score,organisation_rank,tier,decision,position,reason\n"
	if code, out, _ := runCLI(t, nil, "application_id,organisation_id,score,submitted_at,status\n", "compose", "--capacity", "0"); code != 0 || out != header {
		t.Errorf("no applications: exit %d, %q", code, out)
	}
}

// A bad row or command line: exit status 2, one line naming the line and the column, no output.
func TestComposeRefusesBadInput(t *testing.T) {
	const header = "application_id,organisation_id,score,submitted_at,status\n"
	const good = "A1,CPTS Nantes,88.5,2026-03-02T09:00:00+01:00,active\n"
	cases := []struct {
		name  string
		input string
		args  []string
		want  string
	}{
		{"score with three decimals", header + good + "A2,X,\"12,345\",2026-03-02T09:00:00Z,active\n", nil,
			`line 3, column score: "12,345" is not a score with at most two decimals`},
		{"score in words", header + "A2,X,douze,2026-03-02T09:00:00Z,active\n", nil,
			`line 2, column score: "douze" is not a score with at most two decimals`},
		{"empty score", header + "A2,X,,2026-03-02T09:00:00Z,active\n", nil,
			`line 2, column score: "" is not a score with at most two decimals`},
		{"score over 100", header + "A2,X,100.01,2026-03-02T09:00:00Z,active\n", nil,
			`line 2, column score: "100.01" is not a score from 0 to 100`},
		{"negative score", header + "A2,X,-1,2026-03-02T09:00:00Z,active\n", nil,
			`line 2, column score: "-1" is not a score with at most two decimals`},
		{"date not RFC 3339", header + good + "A2,X,50,02/03/2026 09:00,active\n", nil,
			`line 3, column submitted_at: "02/03/2026 09:00" is not a date and time in RFC 3339 form`},
		{"unknown status", header + "A2,X,50,2026-03-02T09:00:00Z,pending\n", nil,
			`line 2, column status: "pending" is not one of active, offered, accepted, declined, withdrawn`},
		{"empty id", header + ",X,50,2026-03-02T09:00:00Z,active\n", nil,
			`line 2, column application_id: empty; every row needs an application identifier`},
		{"repeated id", header + good + "\n" + good, nil,
			`line 4, column application_id: "A1" is already on line 2`},
		{"missing cell", header + "A2,X,50,2026-03-02T09:00:00Z\n", nil,
			`line 2: not as many cells as the header (separator ',')`},
		{"quote never closed", header + "A2,\"X,50,2026-03-02T09:00:00Z,active\n" + good, nil,
			`line 2: a quote opened on this line is never closed`},
		{"quote inside a cell", header + "A2,CPTS \"Nord\",50,2026-03-02T09:00:00Z,active\n", nil,
			`line 2: a quote is misplaced`},
		{"missing column", "application_id;organisation_id;note;submitted_at;status\n", nil,
			`line 1: the header has no column score`},
		{"column twice", "application_id,score,organisation_id,score,submitted_at,status\n", nil,
			`line 1, column score: the column appears twice in the header`},
		{"empty input", "\n", nil, "the input is empty; it needs the header application_id,organisation_id,score,submitted_at,status"},
		{"no capacity", header + good, []string{}, "--capacity N is required"},
		{"negative capacity", header + good, []string{"--capacity", "-1"}, "--capacity -1: the number of seats cannot be negative"},
		{"per-org 0", header + good, []string{"--capacity", "1", "--per-org", "0"}, "--per-org 0: the per-organisation cap is at least 1"},
		{"negative maximum", header + good, []string{"--capacity", "1", "--max-per-org", "-1"}, "--max-per-org -1"},
		{"bad minimum", header + good, []string{"--capacity", "1", "--min-score", "110"}, `--min-score "110" is not a score from 0 to 100`},
		{"argument", header + good, []string{"--capacity", "1", "in.csv"}, `unexpected argument "in.csv"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if args == nil {
				args = []string{"--capacity", "15"}
			}
			out := filepath.Join(t.TempDir(), "out.csv")
			code, stdout, errOut := runCLI(t, nil, tc.input, append([]string{"compose", "--out", out}, args...)...)
			if code != 2 || stdout != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "parcours compose: ") ||
				!strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", code, stdout, errOut, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Error("the output file was written")
			}
		})
	}
	// Without --out, a bad row writes nothing on standard output either.
	if code, stdout, _ := runCLI(t, nil, header+good+"A2,X,abc,2026-03-02T09:00:00Z,active\n", "compose", "--capacity", "1"); code != 2 || stdout != "" {
		t.Errorf("bad row to stdout: exit %d, %q", code, stdout)
	}
}

func TestComposeHelpAndFailures(t *testing.T) {
	if code, _, errOut := runCLI(t, nil, "", "compose", "-h"); code != 0 || !strings.Contains(errOut, "Usage: parcours compose --capacity N") ||
		!strings.Contains(errOut, "application_id,organisation_id,score,submitted_at,status") {
		t.Errorf("compose -h: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "", "compose", "--capacity", "2", "--nope"); code != 2 || !strings.Contains(errOut, "flag provided but not defined") {
		t.Errorf("unknown flag: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "", "compose", "--capacity", "two"); code != 2 || !strings.Contains(errOut, "invalid value") {
		t.Errorf("capacity in words: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "", "compose", "--capacity", "2", "--in", "/nonexistent.csv"); code != 1 || errOut != "parcours compose: cannot read /nonexistent.csv\n" {
		t.Errorf("missing input file: %d %q", code, errOut)
	}
}
