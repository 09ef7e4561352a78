package civicgrid

import (
	"context"
	"math"
	"time"
)

// Intake is how a report reached the city, beyond its Source: the walk-in
// station and the person who received it, the inspector's device time, the
// hotline's work-order number, the API key of the application.
type Intake struct {
	Station    string            `json:"station,omitempty"`     // 便民服务站 / 城管驿站 name
	ReceivedBy string            `json:"received_by,omitempty"` // who took the report at the station or on the phone
	DeviceTime *time.Time        `json:"device_time,omitempty"` // the reporting device's clock
	ExternalID string            `json:"external_id,omitempty"` // the work-order or request number in the sending system
	APIKeyID   int64             `json:"api_key_id,omitempty"`
	Attributes map[string]string `json:"attributes,omitempty"` // answers to a service definition's questions (Open311)
}

// CaseReport is one report of a case's problem. A case has one for its
// first report and one for every duplicate folded into it, so that every
// reporter can be told the outcome.
type CaseReport struct {
	ID          int64     `json:"id"`
	CaseID      CaseID    `json:"case_id"`
	Source      Source    `json:"source"`
	Reporter    Reporter  `json:"reporter"`
	Description string    `json:"description"`
	Lat         float64   `json:"lat"`
	Lon         float64   `json:"lon"`
	Photos      []string  `json:"photos,omitempty"`
	Intake      Intake    `json:"intake,omitzero"`
	At          time.Time `json:"at"`
}

// CaseReportStore persists the reports of cases.
type CaseReportStore interface {
	// AddCaseReport stores r and sets r.ID; Conflict when another report
	// from the same source has the same Intake.ExternalID.
	AddCaseReport(ctx context.Context, r *CaseReport) error
	// FindCaseReports returns the reports of a case, oldest first.
	FindCaseReports(ctx context.Context, id CaseID) ([]*CaseReport, error)
	// FindCaseReportByExternalID returns the report from source with the
	// sending system's id, or NotFound.
	FindCaseReportByExternalID(ctx context.Context, source Source, externalID string) (*CaseReport, error)
	// MoveCaseReports gives the reports of case from to case to: those
	// with the ids given, or all of them when none are, and returns how many
	// moved.
	MoveCaseReports(ctx context.Context, from, to CaseID, ids ...int64) (int, error)
	// FindOpenCasesNear returns open cases of the category whose location
	// lies in b and that were created at or after since, newest first, at
	// most limit.
	FindOpenCasesNear(ctx context.Context, categoryCode string, b Bounds, since time.Time, limit int) ([]*Case, error)
}

// DefaultDuplicateWindow is how far back an open case may have been reported
// for a new report nearby to be folded into it, when the category sets no
// window of its own.
const DefaultDuplicateWindow = 7 * 24 * time.Hour

// boundsAround returns the bounds of the circle of radius metres around p.
func boundsAround(p Point, metres float64) Bounds {
	const mPerDegLat = 111_320.0
	dLat := metres / mPerDegLat
	dLon := metres / (mPerDegLat * cosDeg(p.Lat))
	return Bounds{MinLon: p.Lon - dLon, MinLat: p.Lat - dLat, MaxLon: p.Lon + dLon, MaxLat: p.Lat + dLat}
}

// nearestWithin returns the case nearest to p among cases no farther than
// metres, or nil.
func nearestWithin(cases []*Case, p Point, metres float64) *Case {
	var best *Case
	bestD := metres
	for _, c := range cases {
		if d := DistanceM(p, Point{Lat: c.Lat, Lon: c.Lon}); d <= bestD {
			best, bestD = c, d
		}
	}
	return best
}

func cosDeg(deg float64) float64 { return math.Cos(deg * math.Pi / 180) }
