package open311

import (
	"context"

	"civicgrid"
)

// findByNumber returns the public case with the number (a service_request_id)
// and its public events, or NotFound in Open311's words.
func (s *server) findByNumber(ctx context.Context, number string) (*civicgrid.Case, []*civicgrid.CaseEvent, error) {
	c, events, err := s.cases.PublicFindByNumber(ctx, number)
	if civicgrid.ErrorCodeOf(err) == civicgrid.NotFound {
		return nil, nil, civicgrid.Errorf(civicgrid.NotFound, "unknown service_request_id %q", number)
	}
	return c, events, err
}
