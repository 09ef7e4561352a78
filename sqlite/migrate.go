package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"time"

	"civicgrid"
)

// migrations holds the schema changes, applied in file name order and
// never edited once released.
//
//go:embed migrations/*.sql
var migrations embed.FS

// MigrationNames returns the names of the embedded migrations, in the order
// they are applied; a parity test compares them with other backends'.
func MigrationNames() []string {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	for i, n := range names {
		names[i] = path.Base(n)
	}
	slices.Sort(names)
	return names
}

// migrate applies, on conn, the migrations not yet recorded in
// schema_migrations, each in its own transaction.
func migrate(ctx context.Context, conn *sql.Conn) error {
	const ddl = `CREATE TABLE IF NOT EXISTS schema_migrations (
		name       TEXT PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`
	if _, err := conn.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations: %w", formatError(err))
	}
	for _, name := range MigrationNames() {
		if err := migrateOne(ctx, conn, name); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
	}
	return nil
}

// migrateOne applies the migration name unless it is recorded; the check
// is inside the transaction so that two processes cannot both apply it.
func migrateOne(ctx context.Context, conn *sql.Conn, name string) (err error) {
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return formatError(err)
	}
	defer func() {
		if err != nil {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE name = ?", name).Scan(&n); err != nil {
		return formatError(err)
	}
	if n > 0 {
		_, err := conn.ExecContext(ctx, "ROLLBACK")
		return formatError(err)
	}
	body, err := migrations.ReadFile("migrations/" + name)
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, string(body)); err != nil {
		return formatError(err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
		name, time.Now().UnixMilli()); err != nil {
		return formatError(err)
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return formatError(err)
}

// AppliedMigrations returns the names recorded in schema_migrations, in name
// order, which is the order they were applied in.
func (db *DB) AppliedMigrations(ctx context.Context) ([]string, error) {
	var names []string
	err := db.View(ctx, func(t civicgrid.Tx) error {
		return t.(*Tx).queryAll(ctx, func(s scanner) error {
			var name string
			err := s.Scan(&name)
			names = append(names, name)
			return err
		}, "SELECT name FROM schema_migrations ORDER BY name")
	})
	return names, err
}
