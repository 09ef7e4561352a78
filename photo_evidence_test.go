package civicgrid_test

import (
	"encoding/binary"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"civicgrid"
)

// evidenceNorth returns the point m metres north of p.
func evidenceNorth(p civicgrid.Point, m float64) civicgrid.Point {
	return civicgrid.Point{Lat: p.Lat + m/(civicgrid.EarthRadiusM*math.Pi/180), Lon: p.Lon}
}

func TestDefaultEvidenceRules(t *testing.T) {
	want := civicgrid.EvidenceRules{MaxDistanceM: 200, MaxAge: 48 * time.Hour}
	if got := civicgrid.DefaultEvidenceRules(); got != want {
		t.Errorf("DefaultEvidenceRules() = %+v, want %+v", got, want)
	}
}

func TestAssessPhoto(t *testing.T) {
	place := civicgrid.Point{Lat: 39.9076, Lon: 116.3973}
	reportedAt := time.Date(2026, 3, 14, 2, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := reportedAt.Add(-d); return &t }
	north := func(m float64) *civicgrid.Point { p := evidenceNorth(place, m); return &p }
	defaults := civicgrid.DefaultEvidenceRules()
	tests := []struct {
		name  string
		exif  *civicgrid.EXIF
		rules civicgrid.EvidenceRules
		want  civicgrid.PhotoEvidence
	}{
		{"no EXIF is not weak", nil, defaults, civicgrid.PhotoEvidence{
			Reasons: []string{"no_exif_gps", "no_exif_time"}}},
		{"EXIF without time or position", &civicgrid.EXIF{Make: "Apple", Orientation: 1}, defaults, civicgrid.PhotoEvidence{
			Reasons: []string{"no_exif_gps", "no_exif_time"}}},
		{"near and recent", &civicgrid.EXIF{Taken: at(time.Hour), Point: north(30)}, defaults, civicgrid.PhotoEvidence{
			Taken: at(time.Hour), Point: north(30), DistanceM: 30, Age: time.Hour}},
		{"within 200 m", &civicgrid.EXIF{Taken: at(time.Hour), Point: north(199)}, defaults, civicgrid.PhotoEvidence{
			Taken: at(time.Hour), Point: north(199), DistanceM: 199, Age: time.Hour}},
		{"beyond 200 m", &civicgrid.EXIF{Taken: at(time.Hour), Point: north(201)}, defaults, civicgrid.PhotoEvidence{
			Taken: at(time.Hour), Point: north(201), DistanceM: 201, Age: time.Hour, Weak: true, Reasons: []string{"far_from_report"}}},
		{"47 hours before", &civicgrid.EXIF{Taken: at(47 * time.Hour), Point: north(0)}, defaults, civicgrid.PhotoEvidence{
			Taken: at(47 * time.Hour), Point: north(0), Age: 47 * time.Hour}},
		{"49 hours before", &civicgrid.EXIF{Taken: at(49 * time.Hour), Point: north(0)}, defaults, civicgrid.PhotoEvidence{
			Taken: at(49 * time.Hour), Point: north(0), Age: 49 * time.Hour, Weak: true, Reasons: []string{"taken_long_before"}}},
		{"after the report within the clock skew", &civicgrid.EXIF{Taken: at(-10 * time.Minute)}, defaults, civicgrid.PhotoEvidence{
			Taken: at(-10 * time.Minute), Age: -10 * time.Minute, Reasons: []string{"no_exif_gps"}}},
		{"after the report beyond the clock skew", &civicgrid.EXIF{Taken: at(-11 * time.Minute)}, defaults, civicgrid.PhotoEvidence{
			Taken: at(-11 * time.Minute), Age: -11 * time.Minute, Weak: true, Reasons: []string{"no_exif_gps", "taken_after_report"}}},
		{"far and old", &civicgrid.EXIF{Taken: at(30 * 24 * time.Hour), Point: north(5000)}, defaults, civicgrid.PhotoEvidence{
			Taken: at(30 * 24 * time.Hour), Point: north(5000), DistanceM: 5000, Age: 30 * 24 * time.Hour, Weak: true,
			Reasons: []string{"far_from_report", "taken_long_before"}}},
		{"position only", &civicgrid.EXIF{Point: north(10)}, defaults, civicgrid.PhotoEvidence{
			Point: north(10), DistanceM: 10, Reasons: []string{"no_exif_time"}}},
		{"time in another zone", &civicgrid.EXIF{Taken: func() *time.Time {
			t := time.Date(2026, 3, 14, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
			return &t
		}()}, defaults, civicgrid.PhotoEvidence{
			Taken: at(-30 * time.Minute), Age: -30 * time.Minute, Weak: true, Reasons: []string{"no_exif_gps", "taken_after_report"}}},
		{"stricter rules", &civicgrid.EXIF{Taken: at(2 * time.Hour), Point: north(60)},
			civicgrid.EvidenceRules{MaxDistanceM: 50, MaxAge: time.Hour}, civicgrid.PhotoEvidence{
				Taken: at(2 * time.Hour), Point: north(60), DistanceM: 60, Age: 2 * time.Hour, Weak: true,
				Reasons: []string{"far_from_report", "taken_long_before"}}},
		{"zero rules take the defaults", &civicgrid.EXIF{Taken: at(47 * time.Hour), Point: north(201)},
			civicgrid.EvidenceRules{}, civicgrid.PhotoEvidence{
				Taken: at(47 * time.Hour), Point: north(201), DistanceM: 201, Age: 47 * time.Hour, Weak: true,
				Reasons: []string{"far_from_report"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := civicgrid.AssessPhoto("p1", tt.exif, place, reportedAt, tt.rules)
			tt.want.PhotoID = "p1"
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 0.01)); diff != "" {
				t.Errorf("AssessPhoto (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAssessPhotoFromJPEG reads the EXIF of a phone's JPEG, as bytes, and
// assesses it against reports at and away from where it was taken.
func TestAssessPhotoFromJPEG(t *testing.T) {
	data := exifJPEG(t, exifTestImage(32, 24), exifPhoneTIFF(binary.BigEndian))
	x, err := civicgrid.ReadEXIF(data, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	taken := time.Date(2026, 3, 14, 1, 26, 53, 0, time.UTC) // 09:26:53 +08:00
	tests := []struct {
		name       string
		reported   civicgrid.Point
		reportedAt time.Time
		wantWeak   bool
		reasons    []string
	}{
		{"same place, same morning", civicgrid.Point{Lat: 39.9077, Lon: 116.3974}, taken.Add(20 * time.Minute), false, nil},
		{"another district", civicgrid.Point{Lat: 39.99, Lon: 116.31}, taken.Add(20 * time.Minute), true, []string{"far_from_report"}},
		{"last week's photo", civicgrid.Point{Lat: 39.9076, Lon: 116.3973}, taken.Add(7 * 24 * time.Hour), true, []string{"taken_long_before"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := civicgrid.AssessPhoto("abc", x, tt.reported, tt.reportedAt, civicgrid.DefaultEvidenceRules())
			if ev.Weak != tt.wantWeak || !cmp.Equal(ev.Reasons, tt.reasons) {
				t.Errorf("AssessPhoto = weak %v %v, want weak %v %v", ev.Weak, ev.Reasons, tt.wantWeak, tt.reasons)
			}
			if !ev.Taken.Equal(taken) {
				t.Errorf("Taken = %v, want %v", ev.Taken, taken)
			}
		})
	}
}
