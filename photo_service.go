package civicgrid

import (
	"context"
	"time"
)

// PhotoService stores uploaded photos: it checks them by content, keeps the
// bytes in the BlobStore and records them, so that cases and events can
// refer to them by id.
type PhotoService struct {
	store Store
	blobs BlobStore
	now   func() time.Time
}

// NewPhotoService returns a PhotoService.
func NewPhotoService(store Store, blobs BlobStore, now func() time.Time) *PhotoService {
	return &PhotoService{store: store, blobs: blobs, now: now}
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
	// The bytes go first, outside the transaction: they are addressed by
	// their hash, so bytes left by a failed commit are harmless, and the
	// single writer is not held while a large file is synced.
	if err := s.blobs.Put(ctx, a.ID, data); err != nil {
		return nil, err
	}
	if err := s.store.Update(ctx, func(tx Tx) error { return tx.CreateAttachment(ctx, a) }); err != nil {
		return nil, err
	}
	return a, nil
}
