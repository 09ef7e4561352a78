package web

import "net/http"

// routes returns the whole HTTP surface. Every pattern under /api/v1 is
// described in openapi.json; TestOpenAPICoversRoutes keeps the two in step.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	// api registers an authenticated JSON API route.
	api := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.authenticate(s.serve(h))) }

	mux.Handle("GET /healthz", s.serve(s.handleHealth))
	mux.Handle("GET /api/v1/openapi.json", s.serve(s.handleOpenAPI))
	mux.Handle("POST /api/v1/tokens", s.serve(s.handleTokenCreate))
	mux.Handle("GET /{$}", s.serve(s.handleIndex))

	api("GET /api/v1/me", s.handleMe)

	api("POST /api/v1/cases", s.handleCaseCreate)
	api("GET /api/v1/cases", s.handleCaseList)
	api("GET /api/v1/cases/{id}", s.handleCaseShow)
	api("POST /api/v1/cases/{id}/actions", s.handleCaseAct)

	api("POST /api/v1/photos", s.handlePhotoUpload)
	api("GET /api/v1/photos/{id}", s.handlePhotoShow)

	api("GET /api/v1/locate", s.handleLocate)
	api("GET /api/v1/cells", s.handleCellList)
	api("GET /api/v1/categories", s.handleCategoryList)
	api("GET /api/v1/units", s.handleUnitList)
	api("GET /api/v1/calendar", s.handleCalendarShow)
	api("GET /api/v1/workflow", s.handleWorkflowShow)

	mux.Handle("/api/", s.serve(s.handleAPIFallback(mux)))

	return s.requestID(s.accessLog(s.recoverPanic(mux)))
}
