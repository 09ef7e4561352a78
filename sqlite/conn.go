package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
)

// maxStmts caps a connection's prepared statement cache, which only the
// many shapes of a FindCases query could fill; a full cache is emptied.
const maxStmts = 512

// conn is one connection with the statements prepared on it. One goroutine
// at a time uses it: the writer goroutine, or the View holding it.
type conn struct {
	db    *sql.Conn
	stmts map[string]*sql.Stmt
	stats uint64 // the generation of planner statistics a reader loaded
}

func newConn(c *sql.Conn) *conn { return &conn{db: c, stmts: make(map[string]*sql.Stmt)} }

// stmt returns query prepared on the connection, from the cache. Preparing
// is most of the cost of a small statement.
func (c *conn) stmt(query string) (*sql.Stmt, error) {
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	s, err := c.db.PrepareContext(context.Background(), query)
	if err != nil {
		return nil, err
	}
	if len(c.stmts) >= maxStmts {
		c.closeStmts() // statements are cheap to prepare again
	}
	c.stmts[query] = s
	return s, nil
}

// exec runs a statement without arguments, such as BEGIN or RELEASE.
func (c *conn) exec(query string) error {
	s, err := c.stmt(query)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(context.Background())
	return err
}

// closeStmts releases the cached statements.
func (c *conn) closeStmts() {
	for q, s := range c.stmts {
		s.Close()
		delete(c.stmts, q)
	}
}

// close releases the statements and the connection.
func (c *conn) close() error {
	c.closeStmts()
	return c.db.Close()
}

// acquire takes an idle reader connection, replacing it first if the
// writer has refreshed the planner's statistics since it loaded them: a
// connection reads them only when it loads the schema, and ANALYZE on
// another connection does not make it reload.
func (db *DB) acquire(ctx context.Context) (*conn, error) {
	var c *conn
	select {
	case <-db.closing:
		return nil, errClosed
	default:
	}
	select {
	case c = <-db.readers:
	case <-ctx.Done():
		return nil, cancelled(ctx.Err())
	case <-db.closing:
		return nil, errClosed
	}
	if gen := db.stats.Load(); c.stats != gen {
		// The pool has room for one connection more than the readers, so
		// this does not wait; if it fails, the old connection will do.
		if fresh, err := db.reader.Conn(ctx); err == nil {
			c.discard()
			c = newConn(fresh)
			c.stats = gen
		}
	}
	return c, nil
}

// release returns a reader connection taken by acquire.
func (db *DB) release(c *conn) { db.readers <- c }

// discard closes the connection for good, rather than returning it to the
// database/sql pool, which would keep it, and its old statistics, open.
func (c *conn) discard() {
	c.closeStmts()
	c.db.Raw(func(any) error { return driver.ErrBadConn })
	c.db.Close()
}
