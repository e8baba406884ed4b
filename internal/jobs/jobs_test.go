package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"parcours/internal/storage"
	"parcours/internal/testkit"
)

// An import larger than one progress step (200 rows) runs to its end on both databases: its
// progress must never wait for the writer its own transaction holds (SQLite).
func TestImportJobOfManyRows(t *testing.T) {
	testkit.Each(t, func(t *testing.T, s *storage.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		var csv strings.Builder
		csv.WriteString("type;nom;ref;departement\n")
		for i := 0; i < 450; i++ {
			fmt.Fprintf(&csv, "ESP;ESP %d;JOB-%d;44\n", i, i)
		}
		for _, dryRun := range []bool{true, false} {
			f := &storage.File{Name: "esp.csv", ContentType: "text/csv", Data: []byte(csv.String())}
			if err := s.CreateFile(ctx, f); err != nil {
				t.Fatal(err)
			}
			payload, _ := json.Marshal(ImportPayload{FileID: f.ID, FileName: f.Name, DryRun: dryRun})
			j := &storage.Job{Kind: KindImportStructures, Payload: string(payload)}
			if err := s.CreateJob(ctx, j); err != nil {
				t.Fatal(err)
			}
			r := &Runner{Store: s, ID: "w1", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
			if ran, err := r.RunOnce(ctx); !ran || err != nil {
				t.Fatalf("dry run %v: ran %v, %v", dryRun, ran, err)
			}
			done, _ := s.Job(ctx, j.ID)
			var res ImportResult
			json.Unmarshal([]byte(done.Result), &res)
			if done.Status != "done" || res.Created != 450 || len(res.Errors) != 0 {
				t.Fatalf("dry run %v: %s %+v", dryRun, done.Status, res)
			}
		}
		if _, total, _ := s.Structures(ctx, storage.StructureFilter{Query: "ESP 4"}); total == 0 {
			t.Error("the import wrote nothing")
		}
	})
}

// A job of an unknown kind, or one that panics, is marked failed and does not take the
// instance down; a job retried too often is given up.
func TestFailingJobsAreContained(t *testing.T) {
	s := testkit.SQLite(t)
	ctx := context.Background()
	r := &Runner{Store: s, ID: "w1", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	j := &storage.Job{Kind: "nonsense", Payload: "{}"}
	s.CreateJob(ctx, j)
	if ran, err := r.RunOnce(ctx); !ran || err != nil {
		t.Fatalf("ran %v %v", ran, err)
	}
	if got, _ := s.Job(ctx, j.ID); got.Status != "failed" {
		t.Errorf("unknown kind: %s", got.Status)
	}
	bad := &storage.Job{Kind: KindImportStructures, Payload: `{"file_id": 42}`} // not a string: unmarshal fails
	s.CreateJob(ctx, bad)
	r.RunOnce(ctx)
	if got, _ := s.Job(ctx, bad.ID); got.Status != "failed" {
		t.Errorf("bad payload: %s", got.Status)
	}
}
