package sqlite

import (
	"context"
	"database/sql"

	"civicgrid"
)

// CreateAttachment stores a; an existing id is left as it is.
func (tx *Tx) CreateAttachment(ctx context.Context, a *civicgrid.Attachment) error {
	var lat, lon any
	if a.GPS != nil {
		lat, lon = a.GPS.Lat, a.GPS.Lon
	}
	_, err := tx.exec(ctx, `INSERT INTO attachments (id, mime, size, width, height, uploaded_by, created_at,
		taken, gps_lat, gps_lon, thumbnail_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		a.ID, a.MIME, a.Size, a.Width, a.Height, int64(a.UploadedBy), millis(a.CreatedAt),
		nullMillis(a.Taken), lat, lon, a.ThumbnailID)
	return formatError(err)
}

// FindAttachment returns the attachment with id, or NotFound.
func (tx *Tx) FindAttachment(ctx context.Context, id string) (*civicgrid.Attachment, error) {
	a := &civicgrid.Attachment{}
	var created int64
	var taken sql.NullInt64
	var lat, lon sql.NullFloat64
	err := tx.queryRow(ctx, `SELECT id, mime, size, width, height, uploaded_by, created_at, taken, gps_lat, gps_lon, thumbnail_id
		FROM attachments WHERE id = ?`, id).Scan(&a.ID, &a.MIME, &a.Size, &a.Width, &a.Height, &a.UploadedBy, &created,
		&taken, &lat, &lon, &a.ThumbnailID)
	if err != nil {
		return nil, notFound(err, "attachment %s not found", id)
	}
	a.CreatedAt, a.Taken = tx.at(created), tx.nullAt(taken)
	if lat.Valid && lon.Valid {
		a.GPS = &civicgrid.Point{Lat: lat.Float64, Lon: lon.Float64}
	}
	return a, nil
}
