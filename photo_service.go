package civicgrid

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// PhotoService stores uploaded photos: it checks them by content, keeps the
// bytes in the BlobStore and records them, so that cases and events can
// refer to them by id.
type PhotoService struct {
	store Store
	blobs BlobStore
	now   func() time.Time
	loc   *time.Location // for EXIF times without a zone
}

// ThumbnailSide is the longer side of the thumbnails made at upload.
const ThumbnailSide = 320

// NewPhotoService returns a PhotoService.
func NewPhotoService(store Store, blobs BlobStore, now func() time.Time) *PhotoService {
	return &PhotoService{store: store, blobs: blobs, now: now, loc: DefaultCalendar().Location()}
}

// Upload checks data (a JPEG, PNG or WebP within the limits) and stores it.
// The same photo uploaded twice is stored once and gets the same id.
func (s *PhotoService) Upload(ctx context.Context, data []byte) (*Attachment, error) {
	actor := ActorFrom(ctx)
	if actor == nil || !actor.Active {
		return nil, Errorf(Unauthorized, "sign in first")
	}
	a, err := InspectPhoto(data)
	if err != nil {
		return nil, err
	}
	a.UploadedBy, a.CreatedAt = actor.ID, s.now()
	if x, err := ReadEXIF(data, s.loc); err == nil && x != nil {
		a.Taken, a.GPS = x.Taken, x.Point
	}
	// The bytes go first, outside the transaction: they are addressed by
	// their hash, so bytes left by a failed commit are harmless, and the
	// single writer is not held while a large file is synced.
	if err := s.blobs.Put(ctx, a.ID, data); err != nil {
		return nil, err
	}
	if thumb, err := Thumbnail(data, ThumbnailSide); err == nil {
		sum := sha256.Sum256(thumb)
		a.ThumbnailID = hex.EncodeToString(sum[:])
		if err := s.blobs.Put(ctx, a.ThumbnailID, thumb); err != nil {
			return nil, err
		}
	}
	if err := s.store.Update(ctx, func(tx Tx) error { return tx.CreateAttachment(ctx, a) }); err != nil {
		return nil, err
	}
	return a, nil
}
