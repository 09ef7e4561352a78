package civicgrid

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Camera is a registered camera (电子眼) whose detections become reports.
type Camera struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Point Point  `json:"point"`
}

// DetectionClass maps an alarm class of a video-analysis system (Dahua's
// 890 暴露垃圾, say) to a category. A detection of a class with AutoFileAbove
// set files itself when its confidence reaches it; any other waits, as a
// reported case, for an operator to file or cancel it.
type DetectionClass struct {
	Code          string  `json:"code"`
	Name          Text    `json:"name"`
	CategoryCode  string  `json:"category_code"`
	AutoFileAbove float64 `json:"auto_file_above,omitempty"` // 0: never files itself
}

// Settings keys for the camera registry and the class table.
const (
	SettingCameras          = "intake.cameras"
	SettingDetectionClasses = "intake.detection_classes"
)

// Detection is one alarm from a camera.
type Detection struct {
	CameraID    string    `json:"camera_id"`
	DetectionID string    `json:"detection_id"`
	ClassCode   string    `json:"class_code"`
	Confidence  float64   `json:"confidence"`
	At          time.Time `json:"at"`
	Point       *Point    `json:"point,omitempty"` // default: the camera's registered place
	Snapshot    string    `json:"snapshot,omitempty"`
}

// Validate checks the detection's own fields.
func (d *Detection) Validate() error {
	fe := FieldErrors{}
	if d.CameraID == "" || len(d.CameraID) > 64 {
		fe.Add("camera_id", "1–64 characters")
	}
	if d.DetectionID == "" || len(d.DetectionID) > 64 {
		fe.Add("detection_id", "1–64 characters")
	}
	if d.ClassCode == "" {
		fe.Add("class_code", "required")
	}
	if math.IsNaN(d.Confidence) || d.Confidence < 0 || d.Confidence > 1 {
		fe.Add("confidence", "between 0 and 1")
	}
	if d.At.IsZero() {
		fe.Add("at", "required")
	}
	return fe.Err()
}

// DetectionResult is what became of one detection of a batch.
type DetectionResult struct {
	DetectionID string     `json:"detection_id"`
	CaseID      CaseID     `json:"case_id,omitempty"`
	Number      string     `json:"number,omitempty"`
	Outcome     string     `json:"outcome"` // filed, awaiting_operator, folded, repeated, rejected
	Error       *ErrorBody `json:"error,omitempty"`
}

// ErrorBody is an error as a value, for results that carry one per item.
type ErrorBody struct {
	Code    ErrorCode         `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// errorBody renders err for a per-item result.
func errorBody(err error) *ErrorBody {
	b := &ErrorBody{Code: ErrorCodeOf(err), Message: ErrorMessage(err)}
	if e := AsError(err); e != nil {
		b.Fields = e.Fields
	}
	return b
}

// Detections takes a batch of camera detections. Each is a report from the
// camera channel, idempotent by (camera, detection id): a detection sent
// again returns its case. Items are independent: a bad one is rejected with
// its error and does not stop the others.
func (s *CaseService) Detections(ctx context.Context, batch []Detection) ([]DetectionResult, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if actor.Role != RoleAdmin && actor.Role != RoleApp && actor.Role != RoleSystem {
		return nil, Errorf(Forbidden, "only a camera system's API key may send detections")
	}
	if len(batch) == 0 || len(batch) > 500 {
		return nil, FieldError("detections", "send 1–500 detections")
	}
	out := make([]DetectionResult, len(batch))
	for i, d := range batch {
		out[i] = s.detection(ctx, d)
	}
	return out, nil
}

// detection takes one detection.
func (s *CaseService) detection(ctx context.Context, d Detection) DetectionResult {
	res := DetectionResult{DetectionID: d.DetectionID}
	reject := func(err error) DetectionResult { res.Outcome, res.Error = "rejected", errorBody(err); return res }
	if err := d.Validate(); err != nil {
		return reject(err)
	}
	city := s.city()
	cam, ok := city.Cameras[d.CameraID]
	if !ok {
		return reject(&Error{Code: Unprocessable, Message: "unknown camera " + d.CameraID, Fields: map[string]string{"camera_id": "not registered"}})
	}
	class, ok := city.DetectionClasses[d.ClassCode]
	if !ok {
		return reject(&Error{Code: Unprocessable, Message: "no category for class " + d.ClassCode, Fields: map[string]string{"class_code": "not mapped to a category"}})
	}
	pt := cam.Point
	if d.Point != nil {
		pt = *d.Point
	}
	at := d.At
	in := ReportInput{CategoryCode: class.CategoryCode, Lat: pt.Lat, Lon: pt.Lon, Source: SourceCamera,
		Description: fmt.Sprintf("%s（%s，置信度 %.0f%%）", class.Name.In("zh"), cam.Name, d.Confidence*100),
		Intake: Intake{ExternalID: d.CameraID + "/" + d.DetectionID, DeviceTime: &at, Attributes: map[string]string{
			"camera_id": d.CameraID, "class_code": d.ClassCode, "confidence": strconv.FormatFloat(d.Confidence, 'f', 3, 64)}}}
	if d.Snapshot != "" {
		in.Photos = []string{d.Snapshot}
	}
	auto := class.AutoFileAbove > 0 && d.Confidence >= class.AutoFileAbove
	r, err := s.intakeAndFile(ctx, in, auto)
	if err != nil {
		return reject(err)
	}
	res.CaseID, res.Number = r.Case.ID, r.Case.Number
	switch {
	case r.Repeated:
		res.Outcome = "repeated"
	case r.Folded:
		res.Outcome = "folded"
	case auto:
		res.Outcome = "filed"
	default:
		res.Outcome = "awaiting_operator"
	}
	return res
}

// autoFile files c, a case a detection just opened, as the system.
func (s *CaseService) autoFile(ctx context.Context, tx Tx, c *Case) error {
	city := s.city()
	ev, notify, err := city.Step(ctx, tx, c, SystemUser, ActionInput{Action: ActionFile, Version: c.Version,
		Note: "视频智能识别置信度达到自动立案阈值 (auto-filed above the class's confidence threshold)"}, s.now().In(city.Location()))
	if err != nil {
		return err
	}
	return persist(ctx, tx, c, ev, notify)
}
