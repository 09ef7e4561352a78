package web

import "net/http"

// routes returns the whole HTTP surface. Every pattern under /api/v1 is
// described in openapi.json; TestOpenAPICoversRoutes keeps the two in step.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	// api registers an authenticated JSON API route.
	api := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.authenticate(s.serve(h))) }
	// post registers an authenticated POST route that honours
	// Idempotency-Key, with a body of at most limit bytes.
	post := func(pattern string, limit int64, h handlerFunc) {
		mux.Handle(pattern, s.authenticate(s.idempotent(limit, s.serve(h))))
	}

	mux.Handle("GET /healthz", s.serve(s.handleHealth))
	mux.Handle("GET /api/v1/openapi.json", s.serve(s.handleOpenAPI))
	// Answers holding a new secret are never kept: these two POSTs ignore
	// Idempotency-Key.
	mux.Handle("POST /api/v1/tokens", s.limitAddress(s.serve(s.handleTokenCreate)))

	api("GET /api/v1/me", s.handleMe)

	post("POST /api/v1/cases", maxReportBytes, s.handleCaseCreate)
	post("POST /api/v1/detections", maxJSONBytes, s.handleDetections)
	api("GET /api/v1/cases", s.handleCaseList)
	post("POST /api/v1/cases/merge", maxJSONBytes, s.handleCaseMerge)
	post("POST /api/v1/cases/dispatch", maxJSONBytes, s.handleBulkDispatch)
	api("GET /api/v1/cases/{id}", s.handleCaseShow)
	api("GET /api/v1/cases/{id}/reports", s.handleCaseReports)
	post("POST /api/v1/cases/{id}/actions", maxJSONBytes, s.handleCaseAct)
	post("POST /api/v1/cases/{id}/split", maxJSONBytes, s.handleCaseSplit)
	post("POST /api/v1/cases/{id}/comments", maxJSONBytes, s.handleCaseComment)
	post("POST /api/v1/cases/{id}/rating", maxJSONBytes, s.handleCaseRate)

	post("POST /api/v1/photos", maxPhotoRequestBytes, s.handlePhotoUpload)
	api("GET /api/v1/photos/{id}", s.handlePhotoShow)
	api("GET /api/v1/photos/{id}/thumbnail", s.handlePhotoThumbnail)

	api("GET /api/v1/locate", s.handleLocate)
	api("GET /api/v1/cells", s.handleCellList)
	api("GET /api/v1/map/cells", s.handleMapCells)
	api("GET /api/v1/map/cells/{code}/cases", s.handleMapCellCases)
	api("GET /api/v1/map/cases", s.handleMapCases)
	api("GET /api/v1/categories", s.handleCategoryList)
	api("GET /api/v1/units", s.handleUnitList)
	api("GET /api/v1/calendar", s.handleCalendarShow)
	api("GET /api/v1/workflow", s.handleWorkflowShow)
	api("GET /api/v1/metrics", s.handleMetrics)
	api("GET /api/v1/stats", s.handleStats)
	api("GET /api/v1/evaluations", s.handleEvaluation)
	api("GET /api/v1/evaluations/trend", s.handleEvaluationTrend)
	post("POST /api/v1/evaluations/publish", maxJSONBytes, s.handleEvaluationPublish)
	post("POST /api/v1/evaluations/corrections", maxJSONBytes, s.handleEvaluationCorrect)
	api("GET /api/v1/dashboard", s.handleDashboard)
	api("GET /api/v1/views", s.handleSavedViewList)
	post("POST /api/v1/views", maxJSONBytes, s.handleSavedViewCreate)
	api("DELETE /api/v1/views/{id}", s.handleSavedViewDelete)
	api("GET /api/v1/hotspots", s.handleHotspots)
	api("GET /api/v1/hotspots/config", s.handleHotspotConfig)
	api("PUT /api/v1/hotspots/config", s.handleHotspotConfigSet)
	api("GET /api/v1/hotspots/components", s.handleHotspotComponents)
	api("GET /api/v1/components", s.handleComponentList)
	api("GET /api/v1/components/{code}", s.handleComponentShow)
	api("PUT /api/v1/components/{code}", s.handleComponentPut)
	post("POST /api/v1/components/import", maxComponentCSVBytes, s.handleComponentImport)
	api("GET /api/v1/stats/durations", s.handleStatsDurations)
	api("GET /api/v1/stats/series", s.handleStatsSeries)
	api("GET /api/v1/reports/{kind}", s.handleReportAPI)

	api("GET /api/v1/apikeys", s.handleAPIKeyList)
	api("POST /api/v1/apikeys", s.handleAPIKeyCreate)
	post("POST /api/v1/apikeys/{id}/revoke", maxJSONBytes, s.handleAPIKeyRevoke)

	mux.Handle("/api/", s.serve(s.handleAPIFallback(mux)))

	// The pages: the user comes from the session cookie, and form posts
	// must pass the cross-origin check (CSRF; the cookie is SameSite=Lax
	// too).
	cop := s.sameOrigin
	cop.SetDenyHandler(s.serve(s.handleCrossOrigin))
	page := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.withSession(s.serve(h))) }
	form := func(pattern string, h handlerFunc) { mux.Handle(pattern, cop.Handler(s.withSession(s.serve(h)))) }
	mux.Handle("GET /static/{name}", s.serve(s.handleStatic))
	page("GET /{$}", s.handleHome)
	page("GET /login", s.handleLoginPage)
	form("POST /login", s.handleLogin)
	form("POST /logout", s.handleLogout)
	page("GET /password", s.handlePasswordPage)
	form("POST /password", s.handlePassword)
	page("GET /lang", s.handleLang)
	page("GET /cases", s.handleCaseListPage)
	form("POST /cases/views", s.handleSavedViewForm)
	form("POST /cases/views/{id}/delete", s.handleSavedViewDeleteForm)
	form("POST /cases/dispatch", s.handleBulkDispatchForm)
	page("GET /dashboard", s.handleDashboardPage)
	page("GET /cases/{id}", s.handleCasePage)
	form("POST /cases/{id}/act", s.handleCaseActForm)
	page("GET /report", s.handleReportPage)
	page("GET /map", s.handleMapPage)
	page("GET /hotspots", s.handleHotspotsPage)
	page("GET /reports", s.handleReportsPage)
	page("GET /reports/report.css", s.handleReportCSS)
	page("GET /reports/{file}", s.handleReportFile)
	page("GET /reports/{kind}/{table}", s.handleReportCSV)
	form("POST /report", s.handleReport)
	page("GET /follow", s.handleFollow)
	form("POST /cases/{id}/rate", s.handleRateForm)
	page("GET /inspector", s.handleInspectorPage)
	form("POST /inspector/tasks/{id}", s.handleInspectorTask)
	mux.Handle("GET /sw.js", s.serve(s.handleServiceWorker))
	page("GET /photos/{id}", s.handlePhotoFile(false))
	page("GET /photos/{id}/thumbnail", s.handlePhotoFile(true))
	s.adminRoutes(page, form)
	page("GET /rankings", s.handleRankingsPage)
	form("POST /rankings/publish", s.handleRankingsPublish)
	form("POST /rankings/corrections", s.handleRankingsCorrect)
	page("GET /metrics", s.handleMetricsPage)
	page("/", s.handleNotFound)

	if s.open311 != nil {
		mux.Handle("/open311/v2/", s.limitAddress(s.open311Key(s.Idempotent(s.open311))))
	}

	return s.requestID(s.accessLog(s.recoverPanic(mux)))
}
