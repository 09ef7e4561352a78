package civicgrid

import (
	"context"
	"time"
)

// CaseID identifies a case internally; people use its Number.
type CaseID int64

// Source is the channel a case came in through.
type Source string

// The sources.
const (
	SourceInspector Source = "inspector" // 监督员上报 (inspector app)
	SourceHotline   Source = "hotline"   // 12345 / hotline operator
	SourceWalkIn    Source = "walkin"    // 便民服务站 / 城管驿站
	SourceWeb       Source = "web"       // citizen web form
	SourceOpen311   Source = "open311"   // Open311 GeoReport v2 clients
	SourceCamera    Source = "camera"    // cameras and AI detections
	SourceVisit     Source = "visit"     // community visits
	SourcePatrol    Source = "patrol"    // patrol findings
	SourceLeader    Source = "leader"    // 领导交办
)

var sourceNames = map[Source]Text{
	SourceInspector: {"监督员上报", "Inspector"},
	SourceHotline:   {"热线", "Hotline"},
	SourceWalkIn:    {"窗口来访", "Walk-in"},
	SourceWeb:       {"网页", "Web"},
	SourceOpen311:   {"Open311", "Open311"},
	SourceCamera:    {"视频智能", "Camera / AI"},
	SourceVisit:     {"走访", "Community visit"},
	SourcePatrol:    {"巡查", "Patrol"},
	SourceLeader:    {"领导交办", "Leader assigned"},
}

// Valid reports whether s is a known source.
func (s Source) Valid() bool { _, ok := sourceNames[s]; return ok }

// Name returns the source's display name.
func (s Source) Name() Text { return sourceNames[s] }

// Reporter is who reported the problem. A logged-in reporter has a UserID.
type Reporter struct {
	Name   string `json:"name,omitempty"`
	Phone  string `json:"phone,omitempty"`
	Email  string `json:"email,omitempty"`
	UserID UserID `json:"user_id,omitempty"`
}

// Case is a case file (案卷): one problem at one place, followed from report
// to close. It is the projection of its events; both are written together.
type Case struct {
	ID               CaseID             `json:"id"`
	Number           string             `json:"number"`
	Source           Source             `json:"source"`
	CategoryCode     string             `json:"category_code"`
	Lat              float64            `json:"lat"`
	Lon              float64            `json:"lon"`
	Address          string             `json:"address,omitempty"`
	CellCode         string             `json:"cell_code"`
	CommunityCode    string             `json:"community_code"`
	StreetCode       string             `json:"street_code"`
	DistrictCode     string             `json:"district_code"`
	ComponentCode    string             `json:"component_code,omitempty"`
	Description      string             `json:"description"`
	Reporter         Reporter           `json:"reporter"`
	Intake           Intake             `json:"intake,omitzero"`
	Status           Status             `json:"status"`
	Stage            Stage              `json:"stage,omitempty"`
	StageStartedAt   *time.Time         `json:"stage_started_at,omitempty"`
	StageLimit       TimeLimit          `json:"stage_limit,omitzero"`
	Deadline         *time.Time         `json:"deadline"`
	Deadlines        map[Stage]Deadline `json:"deadlines,omitempty"`
	UnitID           UnitID             `json:"unit_id,omitempty"`
	DispatcherID     UserID             `json:"dispatcher_id,omitempty"` // who made the current dispatch (派遣员); cleared by a return
	InspectorID      UserID             `json:"inspector_id,omitempty"`
	Urgent           bool               `json:"urgent"`
	Overdue          bool               `json:"overdue"`
	Returns          int                `json:"returns"`
	Reworks          int                `json:"reworks"`
	Extensions       int                `json:"extensions"`
	Dispatches       int                `json:"dispatches"`
	Urges            int                `json:"urges"`
	Reports          int                `json:"reports"`
	PendingExtension *TimeLimit         `json:"pending_extension,omitempty"`
	SuspendedFrom    Status             `json:"suspended_from,omitempty"`
	SuspendedLeft    int                `json:"suspended_left_minutes,omitempty"`
	Photos           []string           `json:"photos,omitempty"`
	// WeakEvidence flags a case whose photos were taken far from the
	// reported place or long before the report; Evidence says why.
	WeakEvidence    bool            `json:"weak_evidence,omitempty"`
	Evidence        []PhotoEvidence `json:"evidence,omitempty"`
	WorkflowVersion int             `json:"workflow_version"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
	ClosedAt        *time.Time      `json:"closed_at,omitempty"`
	Version         int             `json:"version"`
}

// RedactFor returns c as u may see it. Who reported a problem is kept
// from those who act on it or merely follow it (举报人信息保密): units and
// inspectors never see the reporter, a citizen only themself, an
// application nobody; the centre's staff see everyone.
func (c *Case) RedactFor(u *User) *Case {
	if u == nil || !hidesReporter(u, c.Reporter) {
		return c
	}
	r := *c
	r.Reporter = Reporter{}
	r.Intake.ReceivedBy, r.Intake.APIKeyID = "", 0
	return &r
}

// RedactFor returns the report as u may see it, by the rule of
// Case.RedactFor.
func (r *CaseReport) RedactFor(u *User) *CaseReport {
	if u == nil || !hidesReporter(u, r.Reporter) {
		return r
	}
	p := *r
	p.Reporter = Reporter{}
	p.Intake.ReceivedBy, p.Intake.APIKeyID = "", 0
	return &p
}

// hidesReporter reports whether u may not see reporter.
func hidesReporter(u *User, reporter Reporter) bool {
	switch {
	case u.Role.Centre():
		return false
	case u.Role == RoleCitizen:
		return reporter.UserID != u.ID
	}
	return true
}

// Deadline is one stage's clock: when it started, when it is due, and when
// it ended (nil while running).
type Deadline struct {
	Started time.Time  `json:"started"`
	Due     time.Time  `json:"due"`
	Ended   *time.Time `json:"ended,omitempty"`
	Overdue bool       `json:"overdue"`
}

// counter returns the named counter, for escalation rules.
func (c *Case) counter(name string) int {
	switch name {
	case "extensions":
		return c.Extensions
	case "returns":
		return c.Returns
	case "reworks":
		return c.Reworks
	case "dispatches":
		return c.Dispatches
	case "urges":
		return c.Urges
	}
	return 0
}

// CaseEvent is one entry of a case's append-only log. Stage and OnTime are
// set on the event that ended a stage clock; Deadline on one that started
// one.
type CaseEvent struct {
	ID         int64             `json:"id"`
	CaseID     CaseID            `json:"case_id"`
	Action     Action            `json:"action"`
	ActorID    UserID            `json:"actor_id"`
	ActorName  string            `json:"actor_name"`
	Role       Role              `json:"role"`
	At         time.Time         `json:"at"`
	From       Status            `json:"from,omitempty"`
	To         Status            `json:"to"`
	Note       string            `json:"note,omitempty"`
	Data       map[string]string `json:"data,omitempty"`
	Photos     []string          `json:"photos,omitempty"`
	StageEnded Stage             `json:"stage_ended,omitempty"`
	OnTime     *bool             `json:"on_time,omitempty"`
	Deadline   *time.Time        `json:"deadline,omitempty"`
}

// DataDispatcher is the key, in the Data of a return event (回退), of the
// dispatcher (派遣员) whose dispatch the unit returned: the accurate
// dispatch count is kept per dispatcher by it.
const DataDispatcher = "dispatcher_id"

// CaseFilter selects cases. Nil or empty fields do not filter; the scope
// fields are set by the service from the actor, never by the caller.
type CaseFilter struct {
	IDs          []CaseID // when set, only these cases
	Statuses     []Status
	CategoryCode string
	Categories   []string // when set, only cases of these categories
	AreaCode     string   // a district, street, community or cell code (prefix match)
	UnitID       *UnitID
	Source       *Source
	Overdue      *bool
	CreatedFrom  *time.Time // inclusive
	CreatedTo    *time.Time // exclusive
	UpdatedFrom  *time.Time // inclusive
	UpdatedTo    *time.Time // exclusive

	// ComponentCode, when set, keeps the cases naming this registered
	// component (部件).
	ComponentCode string

	ScopeArea      string // the actor's area
	ScopeUnit      UnitID // a unit handler's unit
	ScopeInspector UserID // an inspector: their tasks or their cells
	ScopeReporter  UserID // a citizen: their own reports

	After  CaseID // cursor: only cases with a smaller id (newest first)
	Offset int    // skip this many (page-numbered clients); prefer After
	Limit  int
}

// OutboxEntry is a notification to be delivered, written in the same
// transaction as the change that caused it.
type OutboxEntry struct {
	ID          int64      `json:"id"`
	Topic       string     `json:"topic"` // e.g. case.dispatch, case.overdue
	CaseID      CaseID     `json:"case_id,omitempty"`
	Recipient   string     `json:"recipient"` // unit:12, user:7, reporter:13800000000, role:dispatcher
	Payload     string     `json:"payload"`   // JSON
	RunAt       time.Time  `json:"run_at"`
	CreatedAt   time.Time  `json:"created_at"`
	Attempts    int        `json:"attempts"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
}

// CaseStore persists cases and their events.
type CaseStore interface {
	// NextCaseSeq returns the next number in the year's case sequence.
	NextCaseSeq(ctx context.Context, year int) (int, error)
	// CreateCase stores c and sets c.ID; Conflict when the number exists.
	CreateCase(ctx context.Context, c *Case) error
	// UpdateCase stores c if the stored version is c.Version-1; Conflict
	// otherwise, NotFound when absent.
	UpdateCase(ctx context.Context, c *Case) error
	// FindCase returns the case with id, or NotFound.
	FindCase(ctx context.Context, id CaseID) (*Case, error)
	// FindCaseByNumber returns the case with the public number, or NotFound.
	FindCaseByNumber(ctx context.Context, number string) (*Case, error)
	// FindCases returns the cases matching f, newest first, at most f.Limit,
	// and the number matching f without the cursor and limit.
	FindCases(ctx context.Context, f CaseFilter) ([]*Case, int, error)
	// FindDueCases returns open cases whose deadline is at or before now and
	// which are not yet marked overdue, oldest deadline first, at most limit.
	FindDueCases(ctx context.Context, now time.Time, limit int) ([]*Case, error)
	// AppendEvent stores e and sets e.ID.
	AppendEvent(ctx context.Context, e *CaseEvent) error
	// FindEvents returns the events of a case, oldest first.
	FindEvents(ctx context.Context, id CaseID) ([]*CaseEvent, error)
	// FindEventsBetween returns the events of every case at or after from
	// and before to, oldest first (then by id), at most limit.
	FindEventsBetween(ctx context.Context, from, to time.Time, limit int) ([]*CaseEvent, error)
}

// OutboxStore persists notifications waiting for delivery.
type OutboxStore interface {
	// EnqueueOutbox stores the entries and sets their IDs.
	EnqueueOutbox(ctx context.Context, entries ...*OutboxEntry) error
	// FindOutbox returns undelivered entries for a case (0: all), oldest first.
	FindOutbox(ctx context.Context, caseID CaseID) ([]*OutboxEntry, error)
}
