package web

import (
	"net/http"

	"civicgrid"
)

// detectionBatch is a batch of camera detections.
type detectionBatch struct {
	Detections []civicgrid.Detection `json:"detections"`
}

// handleDetections takes a batch of camera/AI detections, each becoming a
// case (waiting for an operator, or filed at once above its class's
// threshold); items fail one by one, so the answer is 200 with a result
// per detection.
func (s *Server) handleDetections(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[detectionBatch](w, r)
	if err != nil {
		return err
	}
	results, err := s.cases.Detections(r.Context(), in.Detections)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, struct {
		Results []civicgrid.DetectionResult `json:"results"`
	}{results})
}
