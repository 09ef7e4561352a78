package sqlite

import "context"

// Setting returns the value of key, or NotFound.
func (tx *Tx) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := tx.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err != nil {
		return "", notFound(err, "setting %s not found", key)
	}
	return v, nil
}

// SetSetting creates or replaces the value of key.
func (tx *Tx) SetSetting(ctx context.Context, key, value string) error {
	_, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return formatError(err)
}
