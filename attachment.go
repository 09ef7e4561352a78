package civicgrid

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"image"
	_ "image/jpeg" // registers JPEG for image.DecodeConfig
	_ "image/png"  // registers PNG for image.DecodeConfig
	"io"
	"time"
)

// Photo limits.
const (
	MaxPhotoBytes  = 10 << 20   // 10 MiB
	MaxPhotoPixels = 50_000_000 // 50 megapixels
)

// Attachment is a stored photo, addressed by the SHA-256 of its bytes: the
// same photo uploaded twice is stored once.
type Attachment struct {
	ID         string    `json:"id"` // hex SHA-256
	MIME       string    `json:"mime"`
	Size       int64     `json:"size"`
	Width      int       `json:"width"`
	Height     int       `json:"height"`
	UploadedBy UserID    `json:"uploaded_by"`
	CreatedAt  time.Time `json:"created_at"`
	// Taken and GPS come from the photo's EXIF, when it has them.
	Taken *time.Time `json:"taken,omitempty"`
	GPS   *Point     `json:"gps,omitempty"`
	// ThumbnailID is the blob of a small JPEG for lists and timelines
	// ("" for WebP, which the standard library cannot decode).
	ThumbnailID string `json:"thumbnail_id,omitempty"`
}

// BlobStore keeps attachment bytes, content-addressed.
type BlobStore interface {
	// Put stores data under id (its hex SHA-256) durably; storing the same
	// id twice is a no-op.
	Put(ctx context.Context, id string, data []byte) error
	// Open returns the bytes of id, or NotFound.
	Open(ctx context.Context, id string) (io.ReadCloser, error)
}

// AttachmentStore persists attachment metadata.
type AttachmentStore interface {
	// CreateAttachment stores a; an existing id is left as it is.
	CreateAttachment(ctx context.Context, a *Attachment) error
	// FindAttachment returns the attachment with id, or NotFound.
	FindAttachment(ctx context.Context, id string) (*Attachment, error)
}

// InspectPhoto checks that data is a JPEG, PNG or WebP image within the
// limits, by its content rather than its name, and describes it.
func InspectPhoto(data []byte) (*Attachment, error) {
	if len(data) > MaxPhotoBytes {
		return nil, Errorf(TooLarge, "photo is %d bytes; the limit is %d", len(data), MaxPhotoBytes)
	}
	if len(data) == 0 {
		return nil, FieldError("photo", "empty file")
	}
	a := &Attachment{Size: int64(len(data))}
	sum := sha256.Sum256(data)
	a.ID = hex.EncodeToString(sum[:])
	if isWebP(data) {
		a.MIME = "image/webp"
		a.Width, a.Height = webpSize(data)
	} else {
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || (format != "jpeg" && format != "png") {
			return nil, FieldError("photo", "not a JPEG, PNG or WebP image")
		}
		a.MIME = "image/" + format
		a.Width, a.Height = cfg.Width, cfg.Height
	}
	if a.Width <= 0 || a.Height <= 0 {
		return nil, FieldError("photo", "image has no size")
	}
	if a.Width*a.Height > MaxPhotoPixels {
		return nil, Errorf(TooLarge, "photo is %d×%d pixels; the limit is %d pixels", a.Width, a.Height, MaxPhotoPixels)
	}
	return a, nil
}

func isWebP(b []byte) bool {
	return len(b) >= 30 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP"
}

// webpSize reads the canvas size from the first chunk of a WebP file
// (lossy VP8, lossless VP8L or extended VP8X); 0, 0 when unreadable.
func webpSize(b []byte) (int, int) {
	switch string(b[12:16]) {
	case "VP8 ":
		if b[23] == 0x9d && b[24] == 0x01 && b[25] == 0x2a {
			return int(binary.LittleEndian.Uint16(b[26:28]) & 0x3fff), int(binary.LittleEndian.Uint16(b[28:30]) & 0x3fff)
		}
	case "VP8L":
		if b[20] == 0x2f {
			bits := binary.LittleEndian.Uint32(b[21:25])
			return int(bits&0x3fff) + 1, int((bits>>14)&0x3fff) + 1
		}
	case "VP8X":
		w := int(b[24]) | int(b[25])<<8 | int(b[26])<<16
		h := int(b[27]) | int(b[28])<<8 | int(b[29])<<16
		return w + 1, h + 1
	}
	return 0, 0
}
