package sqlite

import (
	"context"
	"database/sql"
	"time"

	"civicgrid"
)

// apiKeyColumns are the columns scanAPIKey reads, in order.
const apiKeyColumns = "id, name, prefix, hash, user_id, created_at, revoked_at"

// scanAPIKey reads one row of apiKeyColumns.
func (tx *Tx) scanAPIKey(s scanner) (*civicgrid.APIKey, error) {
	k := &civicgrid.APIKey{}
	var created int64
	var revoked sql.NullInt64
	if err := s.Scan(&k.ID, &k.Name, &k.Prefix, &k.Hash, &k.UserID, &created, &revoked); err != nil {
		return nil, err
	}
	k.CreatedAt, k.RevokedAt = tx.at(created), tx.nullAt(revoked)
	return k, nil
}

// CreateAPIKey stores k and sets k.ID; Conflict when the name (or the
// hash) is taken, Invalid when its user does not exist.
func (tx *Tx) CreateAPIKey(ctx context.Context, k *civicgrid.APIKey) error {
	res, err := tx.exec(ctx, `INSERT INTO api_keys (name, prefix, hash, user_id, created_at, revoked_at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		k.Name, k.Prefix, k.Hash, nullID(k.UserID), millis(k.CreatedAt), nullMillis(k.RevokedAt))
	if err != nil {
		err = describe(err, civicgrid.Conflict, "API key %s exists", k.Name)
		return describe(err, civicgrid.Invalid, "API key %s: user %d does not exist", k.Name, k.UserID)
	}
	k.ID, err = res.LastInsertId()
	return formatError(err)
}

// FindAPIKeyByHash returns the key with hash, revoked or not, or NotFound.
func (tx *Tx) FindAPIKeyByHash(ctx context.Context, hash string) (*civicgrid.APIKey, error) {
	k, err := tx.scanAPIKey(tx.queryRow(ctx, "SELECT "+apiKeyColumns+" FROM api_keys WHERE hash = ?", hash))
	if err != nil {
		return nil, notFound(err, "API key not found")
	}
	return k, nil
}

// FindAPIKeys returns every key, ordered by id.
func (tx *Tx) FindAPIKeys(ctx context.Context) ([]*civicgrid.APIKey, error) {
	var keys []*civicgrid.APIKey
	err := tx.queryAll(ctx, func(s scanner) error {
		k, err := tx.scanAPIKey(s)
		keys = append(keys, k)
		return err
	}, "SELECT "+apiKeyColumns+" FROM api_keys ORDER BY id")
	return keys, err
}

// RevokeAPIKey marks the key revoked at at; a key revoked before keeps its
// first time, when it stopped working. NotFound when absent.
func (tx *Tx) RevokeAPIKey(ctx context.Context, id int64, at time.Time) error {
	res, err := tx.exec(ctx, "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", millis(at), id)
	if err != nil {
		return formatError(err)
	}
	return notFound(changed(res), "API key %d not found", id)
}
