// Package sqlite implements civicgrid.Store on an SQLite database file,
// through modernc.org/sqlite (pure Go, so the binary stays static).
//
// Writes go through one connection owned by a writer goroutine that groups
// the Updates queued while it was busy into one transaction, each in its own
// savepoint, and commits them with one fsync (group commit). Reads go
// through a small pool of query-only connections, which WAL lets run beside
// the writer.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"civicgrid"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Interface guards.
var (
	_ civicgrid.Store = (*DB)(nil)
	_ civicgrid.Tx    = (*Tx)(nil)
)

// readers is the size of the read pool.
const readers = 4

// Options configures Open.
type Options struct {
	// Location is the zone times are returned in; UTC when nil.
	Location *time.Location
	// Synchronous is the writer's synchronous pragma: "FULL" (the default:
	// a commit survives power loss) or "NORMAL" (a commit survives a crash
	// of the process, not of the machine).
	Synchronous string
}

// DB is a civicgrid.Store on one SQLite database file. It is safe for
// concurrent use; Close it when done.
type DB struct {
	loc     *time.Location
	writer  *sql.DB // one connection, owned by the writer goroutine
	reader  *sql.DB // query-only connections for View
	w       *writer
	readers chan *conn    // the idle reader connections
	stats   atomic.Uint64 // bumped when the writer refreshes planner statistics

	queue   chan *request // unbuffered: a request is queued while its sender waits
	closing chan struct{}
	done    chan struct{} // closed when the writer goroutine has exited

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating it if needed) the database file at path, brings its
// schema up to date and starts the writer.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, ":memory:") {
		return nil, civicgrid.Errorf(civicgrid.Invalid, "sqlite: %q is not a database file path", path)
	}
	syncMode := strings.ToUpper(opts.Synchronous)
	switch syncMode {
	case "":
		syncMode = "FULL"
	case "FULL", "NORMAL":
	default:
		return nil, civicgrid.Errorf(civicgrid.Invalid, "sqlite: synchronous must be FULL or NORMAL, not %q", opts.Synchronous)
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	db := &DB{loc: loc, readers: make(chan *conn, readers), queue: make(chan *request),
		closing: make(chan struct{}), done: make(chan struct{})}
	if err := db.open(ctx, path, syncMode); err != nil {
		db.closePools()
		return nil, err
	}
	go db.run()
	return db, nil
}

// open sets up both pools and migrates the schema on the writer connection.
func (db *DB) open(ctx context.Context, path, syncMode string) error {
	var err error
	// busy_timeout is applied first by the driver, whatever the order here.
	// temp_store(MEMORY) keeps the journal of each Update's savepoint (the
	// old content of the pages the Update changes, dropped when the
	// savepoint is released) in memory: as the file SQLite makes of it past
	// 64 KiB, each of those pages cost a write system call.
	db.writer, err = sql.Open("sqlite", dsn(path, "_txlock=immediate",
		"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(ON)", "synchronous("+syncMode+")",
		"cache_size(-65536)", "temp_store(MEMORY)"))
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.writer.SetMaxOpenConns(1)
	db.writer.SetMaxIdleConns(1)
	db.writer.SetConnMaxLifetime(0)
	db.writer.SetConnMaxIdleTime(0)
	c, err := db.writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", path, formatError(err))
	}
	db.w = &writer{conn: newConn(c), stats: &db.stats}
	if err := migrate(ctx, c); err != nil {
		return err
	}
	if err := db.w.optimize(); err != nil {
		return fmt.Errorf("sqlite: optimize: %w", formatError(err))
	}
	db.reader, err = sql.Open("sqlite", dsn(path, "", "busy_timeout(10000)", "foreign_keys(ON)", "query_only(1)",
		"cache_size(-16384)"))
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.reader.SetMaxOpenConns(readers + 1) // room to replace one; see acquire
	db.reader.SetMaxIdleConns(0)           // an idle connection is one acquire discarded
	db.reader.SetConnMaxLifetime(0)
	db.reader.SetConnMaxIdleTime(0)
	for range readers {
		c, err := db.reader.Conn(ctx)
		if err != nil {
			return fmt.Errorf("sqlite: open %s: %w", path, formatError(err))
		}
		db.readers <- newConn(c)
	}
	return nil
}

// dsn builds a modernc.org/sqlite data source name: path, then the extra
// query parameter (if any), then one _pragma per pragma; the driver runs
// the pragmas on every new connection.
func dsn(path, extra string, pragmas ...string) string {
	q := make([]string, 0, len(pragmas)+1)
	if extra != "" {
		q = append(q, extra)
	}
	for _, p := range pragmas {
		q = append(q, "_pragma="+url.QueryEscape(p))
	}
	return path + "?" + strings.Join(q, "&")
}

// Close stops the writer, after the batch it is committing, waits for the
// Views in progress, and closes the database. Updates and Views waiting
// for a connection fail with Unavailable.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		close(db.closing)
		<-db.done
		if err := db.w.optimize(); err != nil {
			db.closeErr = formatError(err)
		}
		for range readers {
			db.closeErr = errors.Join(db.closeErr, (<-db.readers).close())
		}
		db.closeErr = errors.Join(db.closeErr, db.closePools())
	})
	return db.closeErr
}

// closePools closes the writer connection, the idle readers, and the pools.
func (db *DB) closePools() error {
	var errs []error
	if db.w != nil {
		errs = append(errs, db.w.close())
	}
	for len(db.readers) > 0 {
		errs = append(errs, (<-db.readers).close())
	}
	if db.writer != nil {
		errs = append(errs, db.writer.Close())
	}
	if db.reader != nil {
		errs = append(errs, db.reader.Close())
	}
	return errors.Join(errs...)
}

// View runs fn in a read-only transaction on a snapshot of the database,
// on the caller's goroutine. Writes inside fn fail.
func (db *DB) View(ctx context.Context, fn func(civicgrid.Tx) error) error {
	c, err := db.acquire(ctx)
	if err != nil {
		return err
	}
	defer db.release(c)
	if err := c.exec("BEGIN"); err != nil {
		return formatError(err)
	}
	defer c.exec("ROLLBACK")
	tx := &Tx{loc: db.loc, c: c}
	defer tx.end()
	return fn(tx)
}

// Update runs fn in a read-write transaction and returns once its changes
// are durable, or fn's error with nothing of fn written. Concurrent Updates
// share a commit: fn runs on the writer goroutine in a savepoint of the
// batch's transaction. A ctx that ends while fn waits for the writer
// cancels it; once fn runs, its outcome is returned. A panic in fn is
// returned as an Internal error. fn must not keep tx, nor call Update,
// which would wait for itself.
func (db *DB) Update(ctx context.Context, fn func(civicgrid.Tx) error) error {
	return db.submit(ctx, &request{fn: fn})
}

// BulkLoad runs fn in one plain write transaction of its own, without the
// savepoint of Update, for imports and generated data: fn's inserts reuse
// prepared statements, and the whole load commits (or, if fn fails, rolls
// back) at once. Updates wait while it runs.
func (db *DB) BulkLoad(ctx context.Context, fn func(civicgrid.Tx) error) error {
	return db.submit(ctx, &request{job: func() error { return db.w.bulk(db.loc, fn) }})
}

// Migrate applies the embedded migrations not yet recorded in
// schema_migrations, each in its own transaction. Open already does this;
// Migrate is for a running process that wants to be sure.
func (db *DB) Migrate(ctx context.Context) error {
	return db.submit(ctx, &request{job: func() error { return migrate(context.Background(), db.w.db) }})
}

// errClosed is returned by calls on a closed DB.
var errClosed = civicgrid.Errorf(civicgrid.Unavailable, "database is closed")

// cancelled turns a context's error into a domain error that still
// matches context.Canceled or context.DeadlineExceeded with errors.Is.
func cancelled(err error) error {
	return &civicgrid.Error{Code: civicgrid.Unavailable, Message: "request cancelled", Err: err}
}
