package sqlite

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"civicgrid"
)

// maxBatch caps how many Updates share one commit.
const maxBatch = 256

// The states of a request: the writer claims a pending request before it
// runs fn, and a caller whose ctx ends abandons one that is still pending.
const (
	pending int32 = iota
	running
	abandoned
)

// request is one Update (fn) or one exclusive job (BulkLoad, Migrate)
// waiting for the writer.
type request struct {
	fn    func(civicgrid.Tx) error
	job   func() error
	state atomic.Int32
	done  chan error
}

// submit hands r to the writer goroutine and waits for its outcome.
func (db *DB) submit(ctx context.Context, r *request) error {
	if err := ctx.Err(); err != nil {
		return cancelled(err)
	}
	r.done = make(chan error, 1)
	select {
	case db.queue <- r:
	case <-ctx.Done():
		return cancelled(ctx.Err())
	case <-db.closing:
		return errClosed
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		if r.state.CompareAndSwap(pending, abandoned) {
			return cancelled(ctx.Err())
		}
		// fn is running or has run: its outcome is the truth.
		return <-r.done
	}
}

// run is the writer goroutine. It takes the first request, gathers the ones
// already waiting, and commits them together.
func (db *DB) run() {
	finished := false
	defer func() {
		if finished {
			close(db.done)
			return
		}
		// A fn called runtime.Goexit (t.FailNow inside an Update, say).
		// This goroutine is lost, but the writer must not be.
		db.w.rollback()
		reply(db.w.inflight, errGoexit)
		db.w.inflight = nil
		go db.run()
	}()
	db.loop()
	finished = true
}

// errGoexit answers the requests of a batch cut short by runtime.Goexit.
var errGoexit = civicgrid.Errorf(civicgrid.Internal, "sqlite: transaction function called runtime.Goexit")

// loop serves requests until Close.
func (db *DB) loop() {
	batch := make([]*request, 0, maxBatch)
	for {
		var r *request
		select {
		case r = <-db.queue:
		case <-db.closing:
			return
		}
		if r.job != nil {
			db.w.runJob(r)
			continue
		}
		batch = append(batch[:0], r)
		var job *request
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-db.queue:
				if r.job != nil {
					job = r
					break gather
				}
				batch = append(batch, r)
			default:
				break gather
			}
		}
		db.w.commit(batch, db.loc)
		if job != nil {
			db.w.runJob(job)
		}
		if time.Since(db.w.optimized) > optimizeEvery {
			db.w.optimize() // advisory: a failure costs nothing but speed
		}
	}
}

// writer is the write connection and the state of the writer goroutine,
// which alone uses it (after Open).
type writer struct {
	*conn
	inflight  []*request     // the requests of the transaction being run
	optimized time.Time      // when the planner's statistics were last refreshed
	stats     *atomic.Uint64 // bumped then, so that readers reload them
}

// optimizeEvery is how often the writer refreshes the planner's
// statistics, as SQLite advises for long-lived connections.
const optimizeEvery = time.Hour

// optimize refreshes the planner's statistics where they are stale; with
// SQLite's analysis_limit it takes milliseconds. Of the stat4 samples it
// keeps only those of the indexes that list pages search by range (an area,
// a date span), where they let the planner scan the newest cases instead of
// sorting the whole range. Elsewhere samples cost more than they save:
// SQLite re-prepares a statement whose plan they might change every time
// a parameter is bound, and a lookup by a key needs no estimate.
func (w *writer) optimize() error {
	w.optimized = time.Now()
	defer w.stats.Add(1)
	if err := w.exec("PRAGMA optimize=0x10002"); err != nil {
		return err
	}
	var n int
	s, err := w.stmt("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'")
	if err == nil {
		err = s.QueryRowContext(context.Background()).Scan(&n)
	}
	if err != nil || n == 0 {
		return err
	}
	return w.exec("DELETE FROM sqlite_stat4 WHERE idx NOT IN ('cases_cell_status', 'cases_cell_category', 'cases_open_cell', 'cases_created', 'cases_updated')")
}

// runJob runs an exclusive job unless its caller gave up.
func (w *writer) runJob(r *request) {
	if !r.state.CompareAndSwap(pending, running) {
		return
	}
	w.inflight = []*request{r}
	r.finish(r.job())
	w.inflight = nil
}

// commit runs each pending fn of batch in its own savepoint of one
// transaction, commits once, and then answers every caller.
func (w *writer) commit(batch []*request, loc *time.Location) {
	// Not cleared by a defer: on runtime.Goexit, run's deferred recovery
	// needs to see the batch.
	w.inflight = batch
	errs, rest := w.runBatch(batch, loc)
	answer(batch[:len(errs)], errs)
	w.inflight = nil
	if len(rest) > 0 {
		w.commit(rest, loc)
	}
}

// runBatch runs batch in one transaction and commits it, returning the
// error of each request it ran. When the transaction breaks partway (SQLite
// rolls back by itself after an I/O error or a full disk) it stops there and
// also returns the requests it did not get to, for a transaction of their
// own.
func (w *writer) runBatch(batch []*request, loc *time.Location) (errs []error, rest []*request) {
	errs = make([]error, len(batch))
	if err := w.exec("BEGIN IMMEDIATE"); err != nil {
		for _, r := range batch {
			r.state.CompareAndSwap(pending, running)
		}
		failSucceeded(batch, errs, formatError(err))
		return errs, nil
	}
	committed := false
	for i, r := range batch {
		if !r.state.CompareAndSwap(pending, running) {
			continue
		}
		var broken error
		if errs[i], broken = w.savepoint(r.fn, loc); broken != nil {
			w.rollback()
			errs[i] = broken
			failSucceeded(batch[:i], errs, broken)
			return errs[:i+1], batch[i+1:]
		}
		committed = committed || errs[i] == nil
	}
	if !committed {
		w.rollback()
	} else if err := w.exec("COMMIT"); err != nil {
		w.rollback()
		failSucceeded(batch, errs, &civicgrid.Error{Code: civicgrid.Internal, Message: "commit failed", Err: err})
	}
	return errs, nil
}

// failSucceeded gives err to each request of batch that ran without error.
func failSucceeded(batch []*request, errs []error, err error) {
	for i, r := range batch {
		if errs[i] == nil && r.state.Load() == running {
			errs[i] = err
		}
	}
}

// savepoint runs fn inside a savepoint and releases it, or rolls back to it
// when fn fails. broken reports that the enclosing transaction is unusable.
func (w *writer) savepoint(fn func(civicgrid.Tx) error, loc *time.Location) (err, broken error) {
	if err := w.exec("SAVEPOINT fn"); err != nil {
		return nil, formatError(err)
	}
	tx := &Tx{loc: loc, c: w.conn, write: true}
	err = call(fn, tx)
	if err == nil {
		err = tx.flushStats()
	}
	tx.end()
	if err == nil {
		if err := w.exec("RELEASE fn"); err != nil {
			return nil, formatError(err)
		}
		return nil, nil
	}
	if err := w.exec("ROLLBACK TO fn"); err != nil {
		return nil, formatError(err)
	}
	if err := w.exec("RELEASE fn"); err != nil {
		return nil, formatError(err)
	}
	return err, nil
}

// bulk runs fn in one transaction of its own.
func (w *writer) bulk(loc *time.Location, fn func(civicgrid.Tx) error) error {
	if err := w.exec("BEGIN IMMEDIATE"); err != nil {
		return formatError(err)
	}
	tx := &Tx{loc: loc, c: w.conn, write: true}
	err := call(fn, tx)
	if err == nil {
		err = tx.flushStats()
	}
	tx.end()
	if err != nil {
		w.rollback()
		return err
	}
	if err := w.exec("COMMIT"); err != nil {
		w.rollback()
		return formatError(err)
	}
	// A bulk load changes the shape of the data: without fresh statistics
	// list queries may walk the wrong index.
	return formatError(w.optimize())
}

// rollback ends the transaction. It fails harmlessly when SQLite has
// already rolled back on its own (after an I/O error or a full disk).
func (w *writer) rollback() {
	_ = w.exec("ROLLBACK")
}

// finish answers r's caller with err; later answers are dropped.
func (r *request) finish(err error) {
	select {
	case r.done <- err:
	default:
	}
}

// reply answers every request of batch that its caller has not abandoned
// with err.
func reply(batch []*request, err error) {
	for _, r := range batch {
		r.state.CompareAndSwap(pending, running)
		if r.state.Load() == running {
			r.finish(err)
		}
	}
}

// answer sends each request that ran its error.
func answer(batch []*request, errs []error) {
	for i, r := range batch {
		if r.state.Load() == running {
			r.finish(errs[i])
		}
	}
}

// call runs fn, turning a panic into an Internal error so that the writer
// goroutine survives it.
func call(fn func(civicgrid.Tx) error, tx civicgrid.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &civicgrid.Error{Code: civicgrid.Internal, Message: "internal error",
				Err: fmt.Errorf("sqlite: panic in transaction: %v\n%s", p, debug.Stack())}
		}
	}()
	return fn(tx)
}
