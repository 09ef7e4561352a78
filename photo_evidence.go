package civicgrid

import "time"

// Reasons recorded in PhotoEvidence. The first three make a photo weak
// evidence; the last two are information only, since many apps strip EXIF.
const (
	ReasonFarFromReport    = "far_from_report"    // GPS position farther than MaxDistanceM from the reported place
	ReasonTakenLongBefore  = "taken_long_before"  // taken more than MaxAge before the report
	ReasonTakenAfterReport = "taken_after_report" // taken after the report, beyond the clock skew allowance
	ReasonNoEXIFTime       = "no_exif_time"       // the photo records no capture time
	ReasonNoEXIFGPS        = "no_exif_gps"        // the photo records no position
)

// photoClockSkew is how far a photo's capture time may lie after the
// report before it counts as impossible: cameras' clocks drift and run in
// the wrong zone.
const photoClockSkew = 10 * time.Minute

// EvidenceRules says how far from the reported place, and how long before
// the report, a photo may have been taken and still be good evidence. A
// zero field takes its default.
type EvidenceRules struct {
	MaxDistanceM float64       // default 200
	MaxAge       time.Duration // default 48h
}

// DefaultEvidenceRules returns the rules used where a city has not set its
// own: 200 m and 48 hours.
func DefaultEvidenceRules() EvidenceRules {
	return EvidenceRules{MaxDistanceM: 200, MaxAge: 48 * time.Hour}
}

// withDefaults returns r with its zero or negative fields set to the
// defaults.
func (r EvidenceRules) withDefaults() EvidenceRules {
	d := DefaultEvidenceRules()
	if r.MaxDistanceM <= 0 {
		r.MaxDistanceM = d.MaxDistanceM
	}
	if r.MaxAge <= 0 {
		r.MaxAge = d.MaxAge
	}
	return r
}

// PhotoEvidence is how well a photo's EXIF backs up the report it came
// with. Weak photos are flagged on the case for the operator; they are not
// rejected.
type PhotoEvidence struct {
	PhotoID string     `json:"photo_id"`
	Taken   *time.Time `json:"taken,omitempty"` // from EXIF
	Point   *Point     `json:"point,omitempty"` // from EXIF
	// DistanceM is the distance from Point to the reported place; 0
	// without Point.
	DistanceM float64 `json:"distance_m"`
	// Age is how long before the report the photo was taken (negative when
	// after); 0 without Taken. It is left out of JSON, where readers can
	// derive it from Taken and the report's time.
	Age     time.Duration `json:"-"`
	Weak    bool          `json:"weak"`
	Reasons []string      `json:"reasons,omitempty"` // Reason codes, position first, then time
}

// AssessPhoto compares the EXIF of photo id (nil when it has none) with
// the place and time of the report under rules. The photo is weak evidence
// when its position is farther than rules.MaxDistanceM from reported, when
// it was taken more than rules.MaxAge before reportedAt, or when it was
// taken more than ten minutes after reportedAt. Missing EXIF position or
// time is recorded in Reasons but does not make the photo weak.
func AssessPhoto(id string, exif *EXIF, reported Point, reportedAt time.Time, rules EvidenceRules) PhotoEvidence {
	rules = rules.withDefaults()
	if exif == nil {
		exif = &EXIF{}
	}
	e := PhotoEvidence{PhotoID: id, Taken: exif.Taken, Point: exif.Point}
	if exif.Point != nil {
		e.DistanceM = DistanceM(*exif.Point, reported)
		if e.DistanceM > rules.MaxDistanceM {
			e.Weak = true
			e.Reasons = append(e.Reasons, ReasonFarFromReport)
		}
	} else {
		e.Reasons = append(e.Reasons, ReasonNoEXIFGPS)
	}
	if exif.Taken != nil {
		e.Age = reportedAt.Sub(*exif.Taken)
		switch {
		case e.Age > rules.MaxAge:
			e.Weak = true
			e.Reasons = append(e.Reasons, ReasonTakenLongBefore)
		case e.Age < -photoClockSkew:
			e.Weak = true
			e.Reasons = append(e.Reasons, ReasonTakenAfterReport)
		}
	} else {
		e.Reasons = append(e.Reasons, ReasonNoEXIFTime)
	}
	return e
}
