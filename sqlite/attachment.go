package sqlite

import (
	"context"

	"civicgrid"
)

// CreateAttachment stores a; an existing id is left as it is.
func (tx *Tx) CreateAttachment(ctx context.Context, a *civicgrid.Attachment) error {
	_, err := tx.exec(ctx, `INSERT INTO attachments (id, mime, size, width, height, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		a.ID, a.MIME, a.Size, a.Width, a.Height, int64(a.UploadedBy), millis(a.CreatedAt))
	return formatError(err)
}

// FindAttachment returns the attachment with id, or NotFound.
func (tx *Tx) FindAttachment(ctx context.Context, id string) (*civicgrid.Attachment, error) {
	a := &civicgrid.Attachment{}
	var created int64
	err := tx.queryRow(ctx, `SELECT id, mime, size, width, height, uploaded_by, created_at
		FROM attachments WHERE id = ?`, id).Scan(&a.ID, &a.MIME, &a.Size, &a.Width, &a.Height, &a.UploadedBy, &created)
	if err != nil {
		return nil, notFound(err, "attachment %s not found", id)
	}
	a.CreatedAt = tx.at(created)
	return a, nil
}
