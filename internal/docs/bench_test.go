package docs_test

import (
	"fmt"
	"testing"
)

// BenchmarkAttendanceSheet renders a 15-learner attendance sheet, as a manager downloads it.
func BenchmarkAttendanceSheet(b *testing.B) {
	s := sheet()
	base := s.Learners
	s.Learners = nil
	for i := range 15 {
		l := base[i%len(base)]
		l.Name = fmt.Sprintf("%s %d", l.Name, i)
		s.Learners = append(s.Learners, l)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.PDF(); err != nil {
			b.Fatal(err)
		}
	}
}
